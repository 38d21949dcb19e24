#!/usr/bin/env node
"use strict";
/**
 * The second half of `npm run build` (after `tsc -p tsconfig.build.json`): bundles the compiled
 * synth (dist/src/cli/synth-bundle-entry.js: everything that loads cdktf, the providers and zod)
 * into one file with esbuild, so a synth reads one file instead of ~700 and V8 can keep its
 * compiled code in a code cache (src/cli/synth-load.ts runs it).
 *
 *   dist/bundle/synth.cjs    the bundle (CommonJS, platform node, target node20)
 *   dist/bundle/synth.json   what it was built from: the content hash of the compiled program and
 *                            package-lock.json (the synth cache's build fingerprint, so one hash
 *                            serves both), the bundle's own hash, size and time
 *
 * The manifest is removed first and written last: a bundle whose build failed or was interrupted
 * has none and is never run. `node dist/main.js` runs the bundle only while the fingerprint of
 * dist/ and package-lock.json equals the recorded one (a `tsc` on its own, or a changed lock file,
 * makes it stale: the plain build runs until the next `npm run build`).
 *
 * Kept out of the bundle, loaded from node_modules on first use instead (a synth never uses them):
 * cdktf's asset code (`cdktf/lib/private/fs.js`: zip archives through `archiver`, which alone costs
 * ~0.1 s to load, and a `node <its own file>` child process that only works from its own file)
 * and `semver` (only the Terraform CLI version check of some backends). Never in it at all:
 * `@cloud-copilot/*` (verify and report only) and `playwright-core`; the build fails if they are.
 *
 * Needs the devDependency `esbuild`. BUNDLE_VERBOSE=1 prints the largest inputs by package.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(process.env.BUNDLE_ROOT || path.join(__dirname, ".."));
const DIST = path.join(ROOT, "dist");
const ENTRY = path.join(DIST, "src", "cli", "synth-bundle-entry.js");
const OUT_DIR = path.join(DIST, "bundle");
const BUNDLE = path.join(OUT_DIR, "synth.cjs");
const MANIFEST = path.join(OUT_DIR, "synth.json");
/** Bumped when the way the bundle is made or run changes (src/cli/synth-load.ts checks it). */
const FORMAT = 1;

/** Package (as imported) → the importing file inside node_modules it is lazy for. */
const LAZY = [
  { importer: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]terraform(-module)?-asset\.js$/, request: "./private/fs" },
  { importer: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]validations[\\/]validate-binary-version\.js$/, request: "semver" },
];
/** Inputs that must never be in the bundle. */
const NEVER = [/[\\/]node_modules[\\/]@cloud-copilot[\\/]/, /[\\/]node_modules[\\/]playwright-core[\\/]/, /[\\/]node_modules[\\/](.*[\\/])?archiver[\\/]/];

/**
 * A stand-in module whose exports load the real one on first use, resolved from the importing
 * file's own place in node_modules (as the importer's own require would). At run time __dirname is
 * the entry's folder (dist/src/cli), whatever folder the bundle sits in.
 */
function lazyStub(importerFromEntry, request) {
  return `"use strict";
let real;
const load = () => real || (real = require("node:module").createRequire(require("node:path").join(__dirname, ${JSON.stringify(importerFromEntry)}))(${JSON.stringify(request)}));
module.exports = new Proxy(function lazy() {}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  set: (_, key, value) => ((load()[key] = value), true),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
});
`;
}

const lazyPlugin = {
  name: "lazy-modules",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const lazy = LAZY.find((entry) => entry.request === args.path && entry.importer.test(args.importer));
      if (!lazy) return undefined;
      const importerFromEntry = path.relative(path.dirname(ENTRY), args.importer).split(path.sep).join("/");
      return { path: `${importerFromEntry} ${args.path}`, namespace: "lazy", pluginData: { importerFromEntry, request: args.path } };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({ contents: lazyStub(args.pluginData.importerFromEntry, args.pluginData.request), loader: "js" }));
  },
};

function loadEsbuild() {
  try {
    return require(require.resolve("esbuild", { paths: [ROOT, ...(process.env.NODE_PATH ? process.env.NODE_PATH.split(path.delimiter) : [])] }));
  } catch (error) {
    throw new Error(`esbuild is not installed (a devDependency: run npm ci): ${error.message.split("\n")[0]}`);
  }
}

async function main() {
  if (!fs.existsSync(ENTRY)) throw new Error(`${path.relative(ROOT, ENTRY)} is missing: run tsc -p tsconfig.build.json first`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // Nothing of an earlier bundle survives a failed one: no manifest, no code cache.
  for (const file of fs.readdirSync(OUT_DIR)) fs.rmSync(path.join(OUT_DIR, file), { force: true, recursive: true });

  const esbuild = loadEsbuild();
  const { buildFingerprint } = require(path.join(DIST, "src", "cli", "synth-cache.js"));
  const options = { buildRoot: DIST, lockFile: path.join(ROOT, "package-lock.json"), cacheRoot: "" };
  const before = buildFingerprint(options);
  const started = Date.now();
  const temporary = `${BUNDLE}.${process.pid}`;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: temporary,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // Whitespace and syntax only: no identifier is renamed. Every input is CommonJS, so each
    // module keeps its own scope and esbuild renames nothing (classes become `var X = class`,
    // which keeps their name); keepNames would cost ~15 ms of __name calls at every start.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    // ASCII only (other characters escaped), so the loader may read it as latin1 (no UTF-8 decoding).
    charset: "ascii",
    metafile: true,
    logLevel: "warning",
    plugins: [lazyPlugin],
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => path.resolve(ROOT, file));
  const forbidden = inputs.filter((file) => NEVER.some((pattern) => pattern.test(file)));
  if (forbidden.length > 0) throw new Error(`the synth bundle must not hold ${forbidden.map((file) => path.relative(ROOT, file)).join(", ")}`);
  // The program must not have changed under the bundler (another build running at once).
  if (buildFingerprint({ ...options }) !== before) throw new Error("dist/ changed while it was bundled: run npm run build again");

  const content = fs.readFileSync(temporary);
  if (content.some((byte) => byte > 0x7f)) throw new Error("the bundle is not ASCII (src/cli/synth-load.ts reads it as latin1)");
  fs.renameSync(temporary, BUNDLE);
  const stat = fs.statSync(BUNDLE);
  const manifest = {
    format: FORMAT,
    inputs: before,
    bundle: { file: path.basename(BUNDLE), sha256: crypto.createHash("sha256").update(content).digest("hex"), size: stat.size, mtimeMs: stat.mtimeMs },
    esbuild: esbuild.version,
    modules: inputs.length,
  };
  fs.writeFileSync(`${MANIFEST}.${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${MANIFEST}.${process.pid}`, MANIFEST);

  if (process.env.BUNDLE_VERBOSE === "1") {
    const byPackage = new Map();
    for (const [file, input] of Object.entries(result.metafile.inputs)) {
      const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
      const key = match ? match[1] : "(the program)";
      byPackage.set(key, (byPackage.get(key) || 0) + input.bytes);
    }
    for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`  ${name}: ${(bytes / 1e6).toFixed(2)} MB in`);
  }
  console.error(`bundle: ${path.relative(ROOT, BUNDLE)}, ${inputs.length} modules, ${(stat.size / 1e6).toFixed(1)} MB, ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(`bundle: ${error.message}`);
  process.exitCode = 1;
});

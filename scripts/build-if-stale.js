#!/usr/bin/env node
"use strict";
/**
 * Every `npm run` command that runs compiled code (synth, verify, connect, report, pki, ovpn,
 * plan-offline, drift, docs, backend-snippet, bench, and cdktf.json's app) starts with this one
 * staleness check, so none recompiles unless a source changed. Preloaded, in the command's own
 * process (no second Node start-up):
 *
 *   node -r ./scripts/build-if-stale.js dist/src/cli/verify.js [args]
 *
 * or on its own, checking the outputs named: `node scripts/build-if-stale.js [OUTPUT ...]`.
 *
 * Up to date (nothing to do) when dist/main.js and the command's own compiled file (the script
 * preloaded for, or every OUTPUT named) exist and are newer than every .ts file of the app
 * (main.ts, src/, modules/, terraform-state-backend/), than the folders holding them (a deleted or
 * renamed file changes its folder's time) and than tsconfig.json, tsconfig.build.json and
 * package-lock.json; otherwise run `tsc -p tsconfig.build.json` (one compile writes every output)
 * with this terminal, then, as `npm run build` does, scripts/bundle.js (the bundles of synth,
 * verify, report, connect and drift). Then, preloaded, the command runs unless the compile failed
 * (the process exits with tsc's code); on its own, this script exits with tsc's code. A failed
 * build leaves dist/main.js dated 1970, so the next run builds again instead of running what a
 * failed compile emitted. A failed bundle (esbuild not installed) is a warning only: a command then
 * runs the plain build, which is what its bundle holds (src/cli/bundle-load.ts). `npm test` still
 * type-checks and builds in full every time.
 *
 * Plain Node, no dependencies. For tests:
 *   BUILD_IF_STALE_ROOT=DIR   the project folder (default: this script's parent folder)
 *   BUILD_IF_STALE_TSC=FILE   a script run with node instead of TypeScript's tsc (same arguments)
 *   (the bundle step runs only when the project folder has scripts/bundle.js)
 *   BUILD_IF_STALE_VERBOSE=1  say why it builds (on stderr)
 */
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(process.env.BUILD_IF_STALE_ROOT || path.join(__dirname, ".."));
const OUTPUT = path.join(ROOT, "dist", "main.js");
const BUNDLER = path.join(ROOT, "scripts", "bundle.js");
const SOURCE_DIRS = ["src", "modules", "terraform-state-backend"];
const SOURCE_FILES = ["main.ts", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];
const SKIP_DIRS = new Set(["node_modules", "dist", ".git"]);

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when the folder (or anything under it) is newer than `limit`; stops at the first one. */
function newerUnder(dir, limit) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error && error.code === "ENOENT") return false;
    throw error;
  }
  if (fs.statSync(dir).mtimeMs > limit) return true;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || entry.name.startsWith("cdktf.out")) continue;
      if (newerUnder(full, limit)) return true;
    } else if (entry.name.endsWith(".ts")) {
      const time = mtimeMs(full);
      if (time !== undefined && time > limit) return true;
    }
  }
  return false;
}

/** Why a build is needed, or undefined when dist/main.js and `outputs` are up to date. */
function staleReason(outputs) {
  let built = Infinity;
  for (const output of [OUTPUT, ...outputs]) {
    const time = mtimeMs(output);
    if (time === undefined) return `${path.relative(ROOT, output)} is missing`;
    built = Math.min(built, time);
  }
  for (const file of SOURCE_FILES) {
    const time = mtimeMs(path.join(ROOT, file));
    if (time !== undefined && time > built) return `${file} changed`;
  }
  for (const dir of SOURCE_DIRS) if (newerUnder(path.join(ROOT, dir), built)) return `${dir}/ changed`;
  return undefined;
}

function tscBin() {
  if (process.env.BUILD_IF_STALE_TSC) return path.resolve(process.env.BUILD_IF_STALE_TSC);
  const manifestPath = require.resolve("typescript/package.json", { paths: [ROOT] });
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin && manifest.bin.tsc;
  if (!bin) throw new Error(`no tsc bin in ${manifestPath}`);
  return path.join(path.dirname(manifestPath), bin);
}

function main(args) {
  const outputs = args.map((arg) => path.resolve(ROOT, arg));
  const reason = staleReason(outputs);
  if (reason === undefined) return 0;
  if (process.env.BUILD_IF_STALE_VERBOSE === "1") console.error(`build-if-stale: ${reason}: building`);
  const run = spawnSync(process.execPath, [tscBin(), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
  if (run.error) throw run.error;
  const code = run.status === null ? 1 : run.status;
  if (code !== 0 && mtimeMs(OUTPUT) !== undefined) fs.utimesSync(OUTPUT, 0, 0);
  if (code === 0 && fs.existsSync(BUNDLER)) {
    const bundle = spawnSync(process.execPath, [BUNDLER], { cwd: ROOT, stdio: "inherit" });
    if (bundle.status !== 0) console.error("build-if-stale: the synth bundle was not made; synth runs the plain build, as do verify, report, connect and drift (npm run build says why)");
  }
  return code;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
} else {
  // Preloaded (node -r): the main script is not loaded yet, so a build here is what it runs.
  const code = main(process.argv[1] ? [process.argv[1]] : []);
  if (code !== 0) process.exit(code);
}

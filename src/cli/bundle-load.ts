import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { CacheOptions, buildFingerprint } from "./synth-cache";

/**
 * Loads the heavy half of a command (the synth's, verify's, report's, connect's, drift's) from its
 * bundle when it is fresh, from the plain build otherwise. Node built-ins only.
 *
 * A bundle (dist/bundle/<name>.cjs, made by scripts/bundle.js in `npm run build`) is one file of
 * the same compiled code as its entry (a file of dist/src/cli), run through a V8 code cache: the
 * command then reads one file instead of hundreds and skips most of V8's parsing and compiling. It
 * is used only when its manifest (dist/bundle/<name>.json) names that entry and records the same
 * build fingerprint (a content hash of every .js file of dist/ and of package-lock.json, the synth
 * cache's own) as the program on disk now, and the bundle file is the one the manifest describes
 * (size and time); anything else runs the plain build, which is never stale (`tsc` on its own, a
 * changed lock file, a missing or interrupted bundle).
 *
 * The code cache (dist/bundle/<name>.<bundle hash>.v8-cache) is written after the first complete
 * run (exit code 0, or another the command names: verify's broken path, drift's drift) that had
 * none or whose cache V8 rejected (another Node version or V8 flags: `script.cachedDataRejected`);
 * its name carries the bundle's content hash, since V8 itself only compares the source's length.
 *
 * PRIVATE_ACCESS_DEBUG=1 (readable stack traces) or the bundle's own switch set to 0 runs the plain
 * build; its verbose switch set to 1 says on stderr which one ran and why (`<name>-load: …`).
 */

/** Must match scripts/bundle.js's FORMAT. */
const FORMAT = 2;
const DIST = path.join(__dirname, "..", "..");
const BUNDLE_DIR = path.join(DIST, "bundle");

export interface BundleSpec {
  /** dist/bundle/<name>.cjs and <name>.json */
  readonly name: string;
  /** The plain entry, a file of this folder without .js: the bundle runs as if it were this file (its require, __dirname). */
  readonly entry: string;
  /** The environment variable that, set to 0, runs the plain build. */
  readonly offSwitch: string;
  /** The environment variable that, set to 1, says on stderr which one ran and why. */
  readonly verboseSwitch: string;
  /**
   * The exit codes of a run that went all the way (default 0 only), after which the code cache is
   * written: it then holds every function such a run compiles, not only those of an early refusal.
   */
  readonly completeRunCodes?: readonly number[];
}

/** What verify, report, connect and drift load (the synth's is ./synth-load's): <name>-run of this folder. */
export function commandBundle(name: string, completeRunCodes?: readonly number[]): BundleSpec {
  return { name, entry: `${name}-run`, offSwitch: "PRIVATE_ACCESS_BUNDLE", verboseSwitch: "PRIVATE_ACCESS_BUNDLE_VERBOSE", completeRunCodes };
}

/** The compiled program and lock file whose fingerprint a bundle records (the synth cache's inputs). */
export function programOptions(): CacheOptions {
  return { buildRoot: DIST, lockFile: path.join(DIST, "..", "package-lock.json"), cacheRoot: "" };
}

interface Manifest {
  readonly format: number;
  readonly entry: string;
  readonly inputs: string;
  readonly bundle: { readonly file: string; readonly sha256: string; readonly size: number; readonly mtimeMs: number };
}

export type BundleState = { readonly fresh: true; readonly file: string; readonly codeCache: string } | { readonly fresh: false; readonly reason: string };

const entryFile = (spec: BundleSpec) => path.join(__dirname, `${spec.entry}.js`);

/** Whether the bundle is the current program; `options`: the compiled program and lock file (the synth cache's). */
export function bundleState(spec: BundleSpec, options: CacheOptions = programOptions()): BundleState {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(BUNDLE_DIR, `${spec.name}.json`), "utf8")) as Manifest;
  } catch {
    return { fresh: false, reason: "no bundle (npm run build makes it)" };
  }
  if (manifest.format !== FORMAT) return { fresh: false, reason: "the bundle was made by another version of scripts/bundle.js" };
  if (manifest.entry !== path.relative(DIST, entryFile(spec)).split(path.sep).join("/")) return { fresh: false, reason: `the bundle was made from ${manifest.entry}` };
  const file = path.join(BUNDLE_DIR, manifest.bundle.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { fresh: false, reason: `${manifest.bundle.file} is missing` };
  }
  if (stat.size !== manifest.bundle.size || stat.mtimeMs !== manifest.bundle.mtimeMs) return { fresh: false, reason: `${manifest.bundle.file} is not the file its manifest describes` };
  if (manifest.inputs !== buildFingerprint(options)) return { fresh: false, reason: "the program or package-lock.json changed since it was bundled (npm run build)" };
  return { fresh: true, file, codeCache: path.join(BUNDLE_DIR, `${spec.name}.${manifest.bundle.sha256.slice(0, 16)}.v8-cache`) };
}

/** The entry's exports: from the fresh bundle through the code cache, else the plain build. */
export function loadBundled<T>(spec: BundleSpec, options: CacheOptions = programOptions()): T {
  const disabled = process.env[spec.offSwitch] === "0" || process.env.PRIVATE_ACCESS_DEBUG === "1";
  const state: BundleState = disabled ? { fresh: false, reason: `turned off (${spec.offSwitch}=0 or PRIVATE_ACCESS_DEBUG=1)` } : bundleState(spec, options);
  const verbose = process.env[spec.verboseSwitch] === "1";
  const entry = entryFile(spec);
  if (!state.fresh) {
    if (verbose) console.error(`${spec.name}-load: plain build: ${state.reason}`);
    return require(entry) as T;
  }
  // ASCII (scripts/bundle.js checks it): latin1 gives the same string without UTF-8 decoding.
  const source = fs.readFileSync(state.file, "latin1");
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(state.codeCache);
  } catch {
    // The first run: compiled from source, and the cache written at exit.
  }
  // The same wrapper Node gives a CommonJS file, so the bundle's require, module and __dirname are the entry's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: state.file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(entry), module, entry, path.dirname(entry));
  const rejected = cachedData !== undefined && script.cachedDataRejected === true;
  if (verbose) console.error(`${spec.name}-load: bundle, code cache ${cachedData === undefined ? "none yet" : rejected ? "rejected by V8" : "used"}`);
  if (cachedData === undefined || rejected) {
    // After a complete run: the cache then holds every function the command compiled.
    process.once("exit", (code) => {
      if (!(spec.completeRunCodes ?? [0]).includes(code)) return;
      try {
        const temporary = `${state.codeCache}.${process.pid}`;
        fs.writeFileSync(temporary, script.createCachedData());
        fs.renameSync(temporary, state.codeCache);
      } catch {
        // A read-only build folder: the bundle still runs, compiled each time.
      }
    });
  }
  return module.exports;
}

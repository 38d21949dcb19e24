import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { CacheOptions, buildFingerprint } from "./synth-cache";

/**
 * Loads the heavy half of a synth (./synth-bundle-entry: cdktf, the providers, zod), from the
 * bundle when it is fresh, from the plain build otherwise. Node built-ins only.
 *
 * The bundle (dist/bundle/synth.cjs, made by scripts/bundle.js in `npm run build`) is one file of
 * the same compiled code, run through a V8 code cache: a synth then reads one file instead of ~700
 * and skips most of V8's parsing and compiling. It is used only when its manifest records the
 * same build fingerprint (a content hash of every .js file of dist/ and of package-lock.json, the
 * synth cache's own) as the program on disk now, and the bundle file is the one the manifest
 * describes (size and time); anything else runs the plain build, which is never stale (`tsc` on
 * its own, a changed lock file, a missing or interrupted bundle).
 *
 * The code cache (dist/bundle/synth.<bundle hash>.v8-cache) is written after the first
 * successful run that had none or whose cache V8 rejected (another Node version or V8 flags:
 * `script.cachedDataRejected`); its name carries the bundle's content hash, since V8 itself only
 * compares the source's length.
 *
 * PRIVATE_ACCESS_SYNTH_BUNDLE=0 (or PRIVATE_ACCESS_DEBUG=1, for readable stack traces) runs the plain build.
 */

export type SynthModule = typeof import("./synth-bundle-entry");

/** Must match scripts/bundle.js's FORMAT. */
const FORMAT = 1;
const BUNDLE_DIR = path.join(__dirname, "..", "..", "bundle");
const MANIFEST = path.join(BUNDLE_DIR, "synth.json");
/** The plain entry: the bundle runs as if it were this file (its require, __dirname). */
const ENTRY = path.join(__dirname, "synth-bundle-entry.js");

interface Manifest {
  readonly format: number;
  readonly inputs: string;
  readonly bundle: { readonly file: string; readonly sha256: string; readonly size: number; readonly mtimeMs: number };
}

export type BundleState = { readonly fresh: true; readonly file: string; readonly codeCache: string } | { readonly fresh: false; readonly reason: string };

/** Whether the bundle is the current program; `options`: the compiled program and lock file (the synth cache's). */
export function bundleState(options: CacheOptions): BundleState {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Manifest;
  } catch {
    return { fresh: false, reason: "no bundle (npm run build makes it)" };
  }
  if (manifest.format !== FORMAT) return { fresh: false, reason: "the bundle was made by another version of scripts/bundle.js" };
  const file = path.join(BUNDLE_DIR, manifest.bundle.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { fresh: false, reason: `${manifest.bundle.file} is missing` };
  }
  if (stat.size !== manifest.bundle.size || stat.mtimeMs !== manifest.bundle.mtimeMs) return { fresh: false, reason: `${manifest.bundle.file} is not the file its manifest describes` };
  if (manifest.inputs !== buildFingerprint(options)) return { fresh: false, reason: "the program or package-lock.json changed since it was bundled (npm run build)" };
  return { fresh: true, file, codeCache: path.join(BUNDLE_DIR, `synth.${manifest.bundle.sha256.slice(0, 16)}.v8-cache`) };
}

/** The synth's heavy half: from the fresh bundle through the code cache, else the plain build. */
export function loadSynth(options: CacheOptions): SynthModule {
  const disabled = process.env.PRIVATE_ACCESS_SYNTH_BUNDLE === "0" || process.env.PRIVATE_ACCESS_DEBUG === "1";
  const state: BundleState = disabled ? { fresh: false, reason: "turned off (PRIVATE_ACCESS_SYNTH_BUNDLE=0 or PRIVATE_ACCESS_DEBUG=1)" } : bundleState(options);
  const verbose = process.env.PRIVATE_ACCESS_SYNTH_BUNDLE_VERBOSE === "1";
  if (!state.fresh) {
    if (verbose) console.error(`synth-load: plain build: ${state.reason}`);
    return require("./synth-bundle-entry") as SynthModule;
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
  const module = { exports: {} as SynthModule };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(ENTRY), module, ENTRY, path.dirname(ENTRY));
  const rejected = cachedData !== undefined && script.cachedDataRejected === true;
  if (verbose) console.error(`synth-load: bundle, code cache ${cachedData === undefined ? "none yet" : rejected ? "rejected by V8" : "used"}`);
  if (cachedData === undefined || rejected) {
    // After a successful run: the cache then holds every function the synth compiled.
    process.once("exit", (code) => {
      if (code !== 0) return;
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

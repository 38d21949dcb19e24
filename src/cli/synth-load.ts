import { BundleSpec, loadBundled } from "./bundle-load";
import { CacheOptions } from "./synth-cache";

/**
 * Loads the heavy half of a synth (./synth-bundle-entry: cdktf, the providers, zod), from the
 * bundle dist/bundle/synth.cjs through V8's code cache when it is the current program, from the
 * plain build otherwise (./bundle-load says how, for every bundled command). Node built-ins only.
 *
 * PRIVATE_ACCESS_SYNTH_BUNDLE=0 (or PRIVATE_ACCESS_DEBUG=1, for readable stack traces) runs the plain build.
 */

export type SynthModule = typeof import("./synth-bundle-entry");

const SYNTH_BUNDLE: BundleSpec = { name: "synth", entry: "synth-bundle-entry", offSwitch: "PRIVATE_ACCESS_SYNTH_BUNDLE", verboseSwitch: "PRIVATE_ACCESS_SYNTH_BUNDLE_VERBOSE" };

/** The synth's heavy half; `options`: the compiled program and lock file (the synth cache's, with its memoized fingerprint). */
export function loadSynth(options: CacheOptions): SynthModule {
  return loadBundled<SynthModule>(SYNTH_BUNDLE, options);
}

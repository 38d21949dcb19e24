/**
 * What the synth bundle (scripts/bundle.js → dist/bundle/synth.cjs) exposes: the part of a synth
 * that loads cdktf, the providers and zod. main.ts and the worker processes get it through
 * ./synth-load, which runs the bundle when it is fresh and this file's plain build otherwise.
 */
export { runSynth } from "./synth-run";
export { GuardrailViolations, synthesize } from "./synth";

import { ConfigErrors } from "../config/errors";
import { costSummary } from "../cost/summary";
import { internetSummary } from "../report/summary";
import { stackNames } from "../stacks/aws-stack";
import { GuardrailViolations, SynthCache, SynthRequest, synthesize } from "./synth";
import { commitRequest, requestKey } from "./synth-cache";
import { printSynth } from "./synth-print";

/**
 * A synth that builds (main.ts comes here when the cache has no identical request): validate,
 * synthesize, publish, print. Returns the exit code.
 */
export function runSynth(request: SynthRequest, cache: SynthCache | undefined, debug: boolean): number {
  try {
    const result = synthesize(request, cache);
    const summary = [
      ...internetSummary(result.synthesized),
      // One line per environment: its monthly on-demand estimate (src/cost/), last.
      ...costSummary(result.environments, (env) => Object.values(stackNames(env)), result.synthesized),
    ];
    printSynth({ ...result, summary });
    if (result.workers > 0) console.log(`built ${result.environments.length - result.reusedEnvironments.length} environment(s) in ${result.workers} worker processes`);
    if (result.reusedEnvironments.length > 0) {
      console.log(`reused the stacks of ${result.reusedEnvironments.length} of ${result.environments.length} environment(s) unchanged since they were built (PRIVATE_ACCESS_SYNTH_CACHE=0 builds everything)`);
    }
    // Stored only if no input changed while it ran (an editor saving a file mid-synth).
    if (cache?.requestKey && cache.requestInputs && requestKey(cache.options, cache.requestInputs) === cache.requestKey) {
      commitRequest(cache.options, cache.requestKey, { stacks: result.stacks, warnings: result.warnings, summary, extras: result.extras });
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) {
      console.error(error.message);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split("\n")[0]}`);
    if (debug) console.error(error);
    return 1;
  }
}

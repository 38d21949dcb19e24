import { readSynthesized } from "../synthesized/read-synthesized";
import { costLine, estimateMonthlyCost } from "./estimate";

/**
 * The lines printed at the end of a synth: each environment's monthly on-demand estimate, with the
 * usage it assumes. `stacksOf` names an environment's stacks; only those in `published` are read.
 */
export function costSummary(
  outdir: string,
  environments: readonly { name: string }[],
  stacksOf: (env: { name: string }) => readonly string[],
  published: readonly string[],
): string[] {
  return environments.map((env) => {
    const names = stacksOf(env).filter((name) => published.includes(name));
    try {
      return costLine(estimateMonthlyCost(env.name, readSynthesized(outdir, names)));
    } catch (error) {
      return `${env.name}: no monthly cost estimate: ${(error as Error).message}`;
    }
  });
}

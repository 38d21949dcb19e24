import type { SynthesizedStack } from "../synthesized/terraform-json";
import { costLine, estimateMonthlyCost } from "./estimate";

/**
 * The lines printed at the end of a synth: each environment's monthly on-demand estimate, with the
 * usage it assumes. `stacksOf` names an environment's stacks; each is looked up in `published`
 * (what the synth wrote, read once).
 */
export function costSummary(environments: readonly { name: string }[], stacksOf: (env: { name: string }) => readonly string[], published: readonly SynthesizedStack[]): string[] {
  const byName = new Map(published.map((stack) => [stack.name, stack]));
  return environments.map((env) => {
    const stacks = stacksOf(env).flatMap((name) => byName.get(name) ?? []);
    try {
      return costLine(estimateMonthlyCost(env.name, stacks));
    } catch (error) {
      return `${env.name}: no monthly cost estimate: ${(error as Error).message}`;
    }
  });
}

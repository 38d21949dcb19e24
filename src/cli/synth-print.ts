/** What a synth prints, the same whether it built or republished (no imports: main's fast path uses it). */
export function printSynth(result: {
  readonly warnings: readonly string[];
  readonly stacks: readonly { name: string; resources: number }[];
  readonly removed: readonly string[];
  readonly summary: readonly string[];
}): void {
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  for (const stack of result.stacks) console.log(`synthesized ${stack.name}: ${stack.resources} resources`);
  for (const dir of result.removed) console.log(`removed ${dir}: no environment file gives this stack any more (its state file, if any, is kept)`);
  for (const line of result.summary) console.log(line);
}

import { accessMatrix } from "./access-matrix";
import type { SynthesizedStack } from "../synthesized/terraform-json";

/** The lines printed after synth: every path from the internet, so a new one never goes unnoticed. */
export function internetSummary(stacks: readonly SynthesizedStack[]): string[] {
  const paths = accessMatrix(stacks).filter((p) => p.fromInternet);
  if (paths.length === 0) return ["paths from the internet: none"];
  return [
    `paths from the internet: ${paths.length}`,
    ...paths.map((p) => `  ${p.stack}: ${p.source} → ${p.destination} port ${p.port} [${p.verdict}]`),
  ];
}

import * as fs from "node:fs";
import * as path from "node:path";
import type { Annotation, StackJson, SynthesizedStack } from "./terraform-json";

/** Reads the named stacks (or all) from a cdktf output folder, with their manifest annotations. */
export function readSynthesized(outdir: string, names?: readonly string[]): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string; annotations?: Annotation[] }>;
  };
  return Object.entries(manifest.stacks)
    .filter(([name]) => !names || names.includes(name))
    .map(([name, entry]) => ({
      name,
      json: JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8")) as StackJson,
      annotations: entry.annotations ?? [],
    }));
}

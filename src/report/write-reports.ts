import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config/load";
import { accessMatrix, accessMatrixMarkdown } from "./access-matrix";
import { cidrPlanMarkdown } from "./cidr-plan";
import type { EnvironmentProof } from "../verify/proof";
import { proofVerdictOf } from "./proof-verdicts";
import { writeReviewPage } from "./review-page";
import { buildDiagram, toMermaid } from "./diagram";
import { SynthesizedStack, resources } from "../synthesized/terraform-json";

/** Writes cidr-plan.md, access-matrix.md, architecture.md and architecture.svg for one environment. */
export async function writeReports(env: EnvironmentConfig, stacks: readonly SynthesizedStack[], dir: string, proof?: EnvironmentProof, chromium?: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const vpn = stacks.flatMap((s) => resources(s.json, "aws_ec2_client_vpn_endpoint"))[0]?.[1].client_cidr_block;
  const paths = accessMatrix(stacks).map((row) => ({ ...row, proof: proofVerdictOf(row, proof) }));
  const diagram = buildDiagram(env.cidrPlan, stacks, paths);
  const files: [string, string][] = [
    ["cidr-plan.md", cidrPlanMarkdown(env.name, env.cidrPlan, vpn)],
    ["access-matrix.md", accessMatrixMarkdown(env.name, paths)],
    ["architecture.md", [`# Architecture: ${env.name}`, "", "![architecture](architecture.svg)", "", "Open index.html for the full review page.", "", "```mermaid", toMermaid(diagram).trimEnd(), "```", ""].join("\n")],
  ];
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  // The review page writes its own architecture.svg (the full drawing) over the summary one above.
  const page = await writeReviewPage(env, stacks, proof, dir, { matrix: paths, chromium });
  return [...files.map(([name]) => path.join(dir, name)).filter((f) => !page.includes(f)), ...page];
}

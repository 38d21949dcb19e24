import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config/load";
import { accessMatrix, accessMatrixMarkdown } from "./access-matrix";
import { cidrPlanMarkdown } from "./cidr-plan";
import type { EnvironmentProof } from "../verify/proof";
import { proofVerdictOf } from "./proof-verdicts";
import { buildDiagram, renderSvg, toDot, toMermaid } from "./diagram";
import { SynthesizedStack, resources } from "./terraform-json";

/** Writes cidr-plan.md, access-matrix.md, architecture.md and architecture.svg for one environment. */
export async function writeReports(env: EnvironmentConfig, stacks: readonly SynthesizedStack[], dir: string, proof?: EnvironmentProof): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const vpn = stacks.flatMap((s) => resources(s.json, "aws_ec2_client_vpn_endpoint"))[0]?.[1].client_cidr_block;
  const paths = accessMatrix(stacks).map((row) => ({ ...row, proof: proofVerdictOf(row, proof) }));
  const diagram = buildDiagram(env.cidrPlan, stacks, paths);
  const files: [string, string][] = [
    ["cidr-plan.md", cidrPlanMarkdown(env.name, env.cidrPlan, vpn)],
    ["access-matrix.md", accessMatrixMarkdown(env.name, paths)],
    ["architecture.md", [`# Architecture: ${env.name}`, "", "![architecture](architecture.svg)", "", "```mermaid", toMermaid(diagram).trimEnd(), "```", ""].join("\n")],
    ["architecture.svg", await renderSvg(toDot(diagram))],
  ];
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  return files.map(([name]) => path.join(dir, name));
}

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { synthesize } from "../../src/cli/synth";
import type { EnvironmentProof, PathProof } from "../../src/verify/proof";
import { verifyEnvironment } from "../../src/verify/verify";
import { exampleDocument } from "./environment";

/** Synthesizes an edited example (as `npm run synth` would) into a scratch output folder. */
export function synthesizeVariant(edit: (doc: Record<string, any>) => void = () => {}, name = "example"): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-verify-test-"));
  fs.mkdirSync(path.join(project, "environments"));
  const doc = exampleDocument();
  edit(doc);
  fs.writeFileSync(path.join(project, "environments", `${name}.yaml`), stringify(doc));
  const outdir = path.join(project, "cdktf.out");
  synthesize({ environmentsDir: path.join(project, "environments"), outdir, offline: false });
  return outdir;
}

/** Copies a synthesized output and lets a test edit one stack's JSON (a mutation of what Terraform would build). */
export function mutated(outdir: string, stack: string, edit: (json: any) => void): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pa-verify-mutant-"));
  fs.cpSync(outdir, copy, { recursive: true });
  const file = path.join(copy, "stacks", stack, "cdk.tf.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
  return copy;
}

export async function proofOf(outdir: string, env = "example"): Promise<EnvironmentProof> {
  return verifyEnvironment(outdir, env);
}

export function pathById(proof: EnvironmentProof, id: string): PathProof {
  const found = proof.paths.find((p) => p.id === id);
  if (!found) throw new Error(`no path ${id}; paths: ${proof.paths.map((p) => p.id).join(", ")}`);
  return found;
}

/** The entries of one resource type whose logical name contains `fragment`. */
export function entries(json: any, type: string, fragment = ""): [string, any][] {
  return (Object.entries(json.resource?.[type] ?? {}) as [string, any][]).filter(([name]) => name.includes(fragment));
}

/** The `${aws_subnet.<name>.id}` references of one tier's subnets. */
export function subnetRefs(json: any, tier: string): string[] {
  return entries(json, "aws_subnet").filter(([, s]) => s.tags?.Tier === tier).map(([name]) => `\${aws_subnet.${name}.id}`);
}

/** A network ACL rule as aws_network_acl writes it inline. */
export function aclRule(rule_no: number, action: "allow" | "deny", protocol: string, from_port: number, to_port: number, cidr_block = "0.0.0.0/0") {
  return { rule_no, action, protocol, from_port, to_port, cidr_block };
}

/** Puts a custom network ACL (named `<tier>-acl`) on one tier's subnets, with the rules given. */
export function aclOnTier(json: any, tier: string, ingress: unknown[], egress: unknown[]): void {
  const [vpc] = entries(json, "aws_vpc")[0];
  json.resource.aws_network_acl = { [`${tier}_acl`]: { vpc_id: `\${aws_vpc.${vpc}.id}`, subnet_ids: subnetRefs(json, tier), ingress, egress, tags: { Name: `${tier}-acl` } } };
}

/** The boot facts recorded on the app servers' launch template. */
export function bootFactsIn(json: any): any {
  return entries(json, "aws_launch_template", "app-servers")[0][1]["//"]["private-access"].boot;
}

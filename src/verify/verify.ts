import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config/load";
import type { StackJson } from "../synthesized/terraform-json";
import { ProofContext } from "./context";
import type { EnvironmentProof, PathProof } from "./proof";
import { bastionPaths, instanceConnectPaths, portForwardingPaths, sessionManagerPaths } from "./proofs/admin-access";
import { appEgressPaths } from "./proofs/app-egress";
import { clientVpnPaths } from "./proofs/client-vpn";
import { cloudflarePaths } from "./proofs/cloudflare";
import { dnsOwnersProof } from "./proofs/dns-owners";
import { exposureProofs } from "./proofs/exposure";
import { vocabularyProof } from "./proofs/vocabulary";
import { webPaths } from "./proofs/web";
import { StackModel } from "./stack-model";

/** Where synth records each environment's validated settings, beside the stacks. */
export const ENVIRONMENTS_FOLDER = "environments";

/** Bad input to the verifier (missing folder, unknown environment): exit code 2. */
export class VerifyInputError extends Error {}

/** The environments a synthesized output holds (those synth recorded settings for). */
export function environmentsIn(outdir: string): string[] {
  const folder = path.join(outdir, ENVIRONMENTS_FOLDER);
  if (!fs.existsSync(path.join(outdir, "manifest.json"))) throw new VerifyInputError(`${outdir}: no synthesized output here (no manifest.json); run npm run synth first, or name the folder with --out`);
  if (!fs.existsSync(folder)) throw new VerifyInputError(`${outdir}: holds no ${ENVIRONMENTS_FOLDER}/ folder: it was synthesized by an older version; run npm run synth again`);
  return fs.readdirSync(folder).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

function readStack(outdir: string, name: string): StackJson | undefined {
  const file = path.join(outdir, "stacks", name, "cdk.tf.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as StackJson) : undefined;
}

/** Proves every declared path of one environment from its synthesized stacks. */
export async function verifyEnvironment(outdir: string, name: string): Promise<EnvironmentProof> {
  const file = path.join(outdir, ENVIRONMENTS_FOLDER, `${name}.json`);
  if (!fs.existsSync(file)) throw new VerifyInputError(`${outdir}: no environment named "${name}" (known: ${environmentsIn(outdir).join(", ") || "none"})`);
  const env = JSON.parse(fs.readFileSync(file, "utf8")) as EnvironmentConfig;
  const awsJson = readStack(outdir, `${name}-aws`);
  if (!awsJson) throw new VerifyInputError(`${outdir}: stack ${name}-aws is missing`);
  const cloudflareJson = readStack(outdir, `${name}-cloudflare`);
  const aws = new StackModel(`${name}-aws`, awsJson, env.aws.region, env.aws.accountId);
  const cloudflare = cloudflareJson ? new StackModel(`${name}-cloudflare`, cloudflareJson, env.aws.region, env.aws.accountId) : undefined;
  const provider = ((awsJson as any).provider?.aws ?? []).find((p: any) => !p.alias);
  const defaultTags = provider?.default_tags?.[0]?.tags ?? {};
  const ctx = new ProofContext(env, aws, cloudflare, defaultTags);
  const families: Promise<PathProof[]>[] = [
    webPaths(ctx),
    sessionManagerPaths(ctx),
    portForwardingPaths(ctx),
    instanceConnectPaths(ctx),
    clientVpnPaths(ctx),
    bastionPaths(ctx),
    cloudflarePaths(ctx),
    appEgressPaths(ctx),
    exposureProofs(ctx),
    Promise.resolve([dnsOwnersProof(ctx)].filter((p): p is PathProof => p !== undefined)),
    vocabularyProof(ctx).then((p) => [p]),
  ];
  const paths = (await Promise.all(families)).flat();
  return { environment: name, stacks: [aws.name, ...(cloudflare ? [cloudflare.name] : [])], paths };
}

export async function verifyOutput(outdir: string, selection: readonly string[] = []): Promise<EnvironmentProof[]> {
  const known = environmentsIn(outdir);
  const names = selection.length > 0 ? [...selection] : known;
  for (const name of names) if (!known.includes(name)) throw new VerifyInputError(`${outdir}: no environment named "${name}" (known: ${known.join(", ") || "none"})`);
  const proofs: EnvironmentProof[] = [];
  for (const name of names) proofs.push(await verifyEnvironment(outdir, name));
  return proofs;
}

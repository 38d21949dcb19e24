import type { TerraformResource } from "cdktf";
import type { BootManifest } from "./boot/render-user-data";

/**
 * Facts a module records about what it built, once, where it builds it: in the construct's
 * metadata (the guardrails read it) and in the resource's `//` comment in the synthesized JSON
 * (Terraform ignores `//` keys; reports and the verifier read them instead of guessing from names).
 */
export const FACTS_KEY = "private-access";

export interface RecordedFacts {
  /** Built on purpose in a way a guardrail would otherwise refuse: the rules it is exempt from and why. */
  readonly publicEntry?: { readonly rules: readonly string[]; readonly reason: string };
  /** What a security group is for (its key: alb, app, db …). */
  readonly purpose?: string;
  /** The role a principal plays (an ElastiCache user: app, operator). */
  readonly role?: string;
  /** What a launch template's boot parts establish on the server (see modules/common/boot). */
  readonly boot?: BootManifest;
}

export function recordFact<K extends keyof RecordedFacts>(resource: TerraformResource, name: K, value: NonNullable<RecordedFacts[K]>): void {
  resource.addOverride(`//.${FACTS_KEY}.${name}`, value);
  resource.node.addMetadata(`${FACTS_KEY}:${name}`, value);
}

/** The facts recorded on a resource of synthesized JSON. */
export function recordedFacts(resource: unknown): RecordedFacts {
  const comment = (resource as { "//"?: Record<string, unknown> } | undefined)?.["//"];
  return (comment?.[FACTS_KEY] as RecordedFacts | undefined) ?? {};
}

/**
 * The public entry point of the architecture (the ALB's 80/443 with no edge, the bastion's public
 * address): exempt from the rules named, for the reason given, recorded like a suppression.
 */
export function markPublicEntry(resource: TerraformResource, rules: readonly string[], reason: string): void {
  recordFact(resource, "publicEntry", { rules, reason });
}

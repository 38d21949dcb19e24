import type { IConstruct } from "constructs";

/**
 * Metadata a module attaches to a construct it built on purpose in a way a guardrail would
 * otherwise reject (for example the public ALB's 443 from the internet). Guardrails read it;
 * it never changes the synthesized Terraform.
 */
export const PUBLIC_ENTRY_MARKER = "private-access:public-entry";

export function markPublicEntry(construct: IConstruct): void {
  construct.node.addMetadata(PUBLIC_ENTRY_MARKER, true);
}

export function isMarkedPublicEntry(construct: IConstruct): boolean {
  return construct.node.metadata.some((entry) => entry.type === PUBLIC_ENTRY_MARKER);
}

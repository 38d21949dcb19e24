/** The parts of a synthesized stack (cdk.tf.json) the reports read. */
export interface StackJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
}

export interface Annotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

export interface SynthesizedStack {
  readonly name: string;
  readonly json: StackJson;
  /** From cdktf.out/manifest.json: guardrail warnings (suppressions) live here. */
  readonly annotations: readonly Annotation[];
}

export function resources(json: StackJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** `${aws_security_group.web-tier_alb-sg_group_ABC.id}` → `aws_security_group.web-tier_alb-sg_group_ABC` */
export function referencedResource(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(value)?.[1];
}

/** The attribute a whole-value reference takes (`${aws_iam_role.x.arn}` → `arn`). */
export function referencedAttribute(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^\$\{(?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.([a-z0-9_]+)\}$/.exec(value)?.[1];
}

/** The construct path cdktf records in each resource's metadata. */
export function constructPath(resource: Record<string, any>): string | undefined {
  return resource["//"]?.metadata?.path;
}

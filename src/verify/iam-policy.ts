/** IAM policy documents as the verifier passes them around, and the small readers both IAM modules use. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatementJson[];
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

export function toArray<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** A policy's statements; IAM also accepts a single statement object. */
export function statementsOf(policy: PolicyDocument): PolicyStatementJson[] {
  return toArray(policy.Statement as PolicyStatementJson | PolicyStatementJson[]);
}

export function statementLabel(policy: PolicyDocument | undefined, index1: number, sid?: string): string {
  const found = sid ?? (policy ? statementsOf(policy)[index1 - 1]?.Sid : undefined);
  return found !== undefined && found !== "" ? found : `#${index1}`;
}

/** What the cloudflared validators share: whose rule a problem is, and how values are named in messages. */
export type ProblemSource = "cloudflared" | "project";

/** A problem with one setting: the field at fault, one line, and whose rule it is. */
export interface SettingProblem {
  readonly field: string;
  readonly message: string;
  readonly source: ProblemSource;
}

/** Messages of this project's own rules start with this. */
export const PROJECT = "(project rule)";

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
export const describe = (value: unknown) => (typeof value === "string" ? `the string ${JSON.stringify(value)}` : Array.isArray(value) ? "a list" : value === null ? "null" : `${typeof value} ${JSON.stringify(value)}`);

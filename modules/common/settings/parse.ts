import { z } from "zod";

/**
 * A capability's settings are wrong. `path` is relative to the capability's settings (the wiring
 * that built the module knows where those live in the environment file and prefixes it), so a
 * module used alone and the synth CLI report the same field.
 */
export class SettingsError extends Error {
  constructor(
    readonly path: readonly PropertyKey[],
    readonly problem: string,
  ) {
    super(path.length > 0 ? `${formatPath(path)} ${problem}` : problem);
    this.name = "SettingsError";
  }
}

/**
 * A rule a capability's settings must meet in the network it is given (subnets per AZ, an S3
 * endpoint …): one function per capability, called by the module with its network and by the
 * environment file's cross-checks with the planned subnets, so the rule and its wording exist once.
 */
export interface PlacementProblem {
  readonly path: readonly PropertyKey[];
  readonly problem: string;
}

/** A module refuses the first placement problem, as a SettingsError. */
export function refusePlacement(problems: readonly PlacementProblem[]): void {
  if (problems.length > 0) throw new SettingsError(problems[0].path, problems[0].problem);
}

/** Several problems found by one parse; each has its own path. */
export class SettingsErrors extends Error {
  constructor(readonly errors: readonly SettingsError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "SettingsErrors";
  }
}

/**
 * Validates a module's settings with the schema the module owns (the same schema the environment
 * file is checked with) and fills in its defaults. The one validation layer of a capability.
 */
export function parseSettings<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new SettingsErrors(parsed.error.issues.map((issue) => new SettingsError(issue.path, describeIssue(issue))));
}

/** ["network", "subnets", 2, "cidr"] → "network.subnets[2].cidr" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, "");
}

/** The problem half of a one-line message, worded for a person editing YAML. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      // A schema may explain why a field is required (its own message); zod's default says nothing useful.
      if (input === undefined) return issue.message.startsWith("Invalid input") ? "is required" : issue.message;
      return `must be ${article(issue.expected)}, got ${show(input)}`;
    case "invalid_value":
      return `${show(input)} must be one of ${issue.values.map(show).join(", ")}`;
    case "unrecognized_keys":
      return "is not a known field (check the spelling against the README's environment file reference)";
    case "invalid_union":
      return issue.message;
    default:
      return input === undefined || typeof input === "object" ? issue.message : `${show(input)} ${issue.message}`;
  }
}

/** Unrecognized keys name the key itself, not the object holding it. */
export function issueFields(issue: z.core.$ZodIssue): (readonly PropertyKey[])[] {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...issue.path, key]);
  return [issue.path];
}

/**
 * A tagged union whose error lists its own choices: zod's message for a missing or unknown tag
 * names none, so each union says which values its tag takes.
 */
export function taggedUnion<const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(tag: string, options: T) {
  const choices = options.map((option) => {
    const shape = (option as unknown as { _zod: { def: { shape: Record<string, { _zod: { def: { values: unknown[] } } }> } } })._zod.def.shape;
    return String(shape[tag]._zod.def.values[0]);
  });
  return z.discriminatedUnion(tag, options as never as T, {
    error: (issue) => {
      const value = (issue.input as Record<string, unknown> | undefined)?.[tag];
      // zod puts the tag in the issue's path already.
      if (issue.code === "invalid_union" && value === undefined) return `is required: one of ${choices.join(", ")}`;
      if (issue.code === "invalid_union") return `${show(value)} must be one of ${choices.join(", ")}`;
      return undefined;
    },
  });
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

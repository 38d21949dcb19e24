import type { core } from "zod";

/** A bad environment file: one line naming the file, the field path and the problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
    readonly code = "PA-CONFIG",
  ) {
    super(field ? `${file}: ${field} ${problem}` : `${file}: ${problem}`);
    this.name = "ConfigError";
  }
}

/** Several problems found in one pass; each is reported on its own line. */
export class ConfigErrors extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ConfigErrors";
  }
}

/** ["network", "subnets", 2, "cidr"] → "network.subnets[2].cidr" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, "");
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Turns one zod issue into a ConfigError worded for a person editing YAML. */
export function fromZodIssue(file: string, issue: core.$ZodIssue): ConfigError {
  const field = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      // A schema may explain why a field is required (its own message); zod's default says nothing useful.
      if (input === undefined) return new ConfigError(file, field, issue.message.startsWith("Invalid input") ? "is required" : issue.message);
      return new ConfigError(file, field, `must be ${article(issue.expected)}, got ${show(input)}`);
    case "invalid_value":
      return new ConfigError(file, field, `${show(input)} must be one of ${issue.values.map(show).join(", ")}`);
    case "unrecognized_keys":
      return new ConfigError(
        file,
        issue.keys.map((key) => (field ? `${field}.${key}` : key)).join(", "),
        "is not a known field (check the spelling against the README's environment file reference)",
      );
    case "invalid_union": {
      const discriminator = (issue as { note?: string }).note === "No matching discriminator";
      if (discriminator) {
        return new ConfigError(file, field, "must be one of local, s3, terraform-cloud");
      }
      return new ConfigError(file, field, issue.message);
    }
    default:
      return new ConfigError(file, field, input === undefined ? issue.message : `${show(input)} ${issue.message}`);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

import type { core } from "zod";
import { SettingsError, describeIssue, formatPath, issueFields } from "../../modules/common/settings/parse";

export { formatPath };

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

/** Turns one zod issue into ConfigErrors worded for a person editing YAML (one per unknown key). */
export function fromZodIssue(file: string, issue: core.$ZodIssue): ConfigError[] {
  const problem = describeIssue(issue);
  return issueFields(issue).map((path) => new ConfigError(file, formatPath(path), problem));
}

/** A module's settings error, with its path inside the environment file (`prefix`, e.g. `dataTier.cache`). */
export function fromSettingsError(file: string, prefix: readonly PropertyKey[], error: SettingsError): ConfigError {
  return new ConfigError(file, formatPath([...prefix, ...error.path]), error.problem);
}

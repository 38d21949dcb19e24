import type { core } from "zod";
import { SettingsError, describeIssue, formatPath, issueFields } from "../../modules/common/settings/parse";

export { formatPath };

export { ConfigError, ConfigErrors } from "./config-error";
import { ConfigError } from "./config-error";

/** Turns one zod issue into ConfigErrors worded for a person editing YAML (one per unknown key). */
export function fromZodIssue(file: string, issue: core.$ZodIssue): ConfigError[] {
  const problem = describeIssue(issue);
  return issueFields(issue).map((path) => new ConfigError(file, formatPath(path), problem));
}

/** A module's settings error, with its path inside the environment file (`prefix`, e.g. `dataTier.cache`). */
export function fromSettingsError(file: string, prefix: readonly PropertyKey[], error: SettingsError): ConfigError {
  return new ConfigError(file, formatPath([...prefix, ...error.path]), error.problem);
}

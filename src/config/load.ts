import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { CidrPlan } from "../../modules/network/cidr/plan";
import { planSubnets } from "../../modules/network/settings";
import { SettingsError } from "../../modules/common/settings/parse";
import { crossCheck } from "./cross-checks";
import { ConfigError, ConfigErrors, fromSettingsError, fromZodIssue } from "./errors";
import { EnvironmentFile, environmentSchema } from "./schema";
import { yamlDepthExceeds } from "./yaml-depth";

export { findEnvironmentFiles } from "./environment-files";

/** A validated environment: the file's settings with defaults filled in, and its CIDR plan. */
export interface EnvironmentConfig extends EnvironmentFile {
  /** From the file name: `environments/prod.yaml` → `prod`. */
  readonly name: string;
  /** The file it came from, as given (used in messages). */
  readonly file: string;
  readonly cidrPlan: CidrPlan;
  /** Contents of webTier.servers.bootScriptFile, read by the loader. */
  readonly webBootScript?: string;
}

const MAX_ERRORS = 10;

/** Parses and validates an environment file's text. Throws ConfigErrors, each a one-line message. */
export function parseEnvironment(file: string, text: string): EnvironmentConfig {
  const name = environmentName(file);
  const raw = readYaml(file, text);
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigErrors(parsed.error.issues.flatMap((issue) => fromZodIssue(file, issue)).slice(0, MAX_ERRORS));
  }
  const env = parsed.data;
  let cidrPlan: CidrPlan;
  try {
    cidrPlan = planSubnets(env.network, env.aws.region);
  } catch (error) {
    if (error instanceof SettingsError) throw new ConfigErrors([fromSettingsError(file, ["network"], error)]);
    throw error;
  }
  const crossErrors = crossCheck(file, env, cidrPlan);
  if (crossErrors.length > 0) throw new ConfigErrors(crossErrors.slice(0, MAX_ERRORS));
  return { ...env, name, file, cidrPlan };
}

/** Aliases a document may expand (yaml's own cap is 100; environment files need few). */
const MAX_ALIAS_COUNT = 50;

/** The largest environment file read (the bundled example is under 8 KiB). */
export const MAX_ENVIRONMENT_BYTES = 256 * 1024;

/**
 * How deep maps and lists may nest (the schema's deepest field is 5 levels down). yaml's composer
 * recurses once per level, so a few thousand levels ("[[[[…" or "- - - …") overflow the stack.
 */
export const MAX_YAML_DEPTH = 64;

const tooLarge = (file: string, bytes: number) =>
  new ConfigErrors([new ConfigError(file, "", `is ${Math.ceil(bytes / 1024)} KiB, more than the ${MAX_ENVIRONMENT_BYTES / 1024} KiB an environment file may be: not read`, "PA-CONFIG-YAML")]);

const tooDeep = (file: string) =>
  new ConfigErrors([
    new ConfigError(file, "", `is not valid YAML for an environment: maps and lists nest more than ${MAX_YAML_DEPTH} levels deep (an environment file needs fewer than 10)`, "PA-CONFIG-YAML"),
  ]);

/**
 * The file's YAML as plain data. Syntax errors name their line; aliases that are undefined,
 * recursive or expand exponentially get one line each instead of an exception.
 */
function readYaml(file: string, text: string): unknown {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_ENVIRONMENT_BYTES) throw tooLarge(file, bytes);
  if (yamlDepthExceeds(text, MAX_YAML_DEPTH)) throw tooDeep(file);
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    // Depth is checked above; this is the net under it, so no overflow leaves without the file's name.
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const where = error.linePos ? `line ${error.linePos[0].line}` : "";
    const what = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigErrors([new ConfigError(file, where, `is not valid YAML: ${what}`, "PA-CONFIG-YAML")]);
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    const message = (error as Error).message;
    const what = /Excessive alias count/.test(message)
      ? `expands aliases more than ${MAX_ALIAS_COUNT} times (a document built to exhaust memory, or one to write out in full)`
      : /Unresolved alias/.test(message)
        ? `uses an alias whose anchor is not defined before it (${message.replace(/^.*?: /, "")})`
        : `cannot be read: ${message}`;
    throw new ConfigErrors([new ConfigError(file, "", `is not valid YAML: ${what}`, "PA-CONFIG-YAML")]);
  }
  if (isCyclic(data)) throw new ConfigErrors([new ConfigError(file, "", "is not valid YAML for an environment: an alias refers to the node that contains it (a cycle)", "PA-CONFIG-YAML")]);
  return data;
}

function isCyclic(value: unknown, ancestors: Set<unknown> = new Set()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  const cyclic = children.some((child) => isCyclic(child, ancestors));
  ancestors.delete(value);
  return cyclic;
}

export function loadEnvironmentFile(file: string): EnvironmentConfig {
  let text: string;
  try {
    // A file too large is refused before it is read into memory.
    const bytes = fs.statSync(file).size;
    if (bytes > MAX_ENVIRONMENT_BYTES) throw tooLarge(file, bytes);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigErrors) throw error;
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    throw new ConfigErrors([new ConfigError(file, "", reason, "PA-CONFIG-FILE")]);
  }
  const env = parseEnvironment(file, text);
  const scriptFile = env.webTier?.servers.bootScriptFile;
  if (!scriptFile) return withSource(env, text);
  try {
    return withSource({ ...env, webBootScript: fs.readFileSync(scriptFile, "utf8") }, text);
  } catch {
    throw new ConfigErrors([new ConfigError(file, "webTier.servers.bootScriptFile", `${scriptFile} cannot be read (paths are relative to the project folder)`, "PA-CONFIG-FILE")]);
  }
}

/** The text each loaded environment was parsed from (the synth cache keys on exactly these bytes). */
const sources = new WeakMap<EnvironmentConfig, string>();

function withSource(env: EnvironmentConfig, text: string): EnvironmentConfig {
  sources.set(env, text);
  return env;
}

/** What `loadEnvironmentFile` read for `env`: the file's text and the boot script it names. */
export function sourceOf(env: EnvironmentConfig): { readonly text: string; readonly bootScript?: string } | undefined {
  const text = sources.get(env);
  return text === undefined ? undefined : { text, bootScript: env.webBootScript };
}

/** The rule for environment names (the file name without extension): it names the stacks. */
export function isEnvironmentName(name: string): boolean {
  return /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(name);
}

function environmentName(file: string): string {
  const name = path.basename(file, path.extname(file));
  if (!isEnvironmentName(name)) {
    throw new ConfigErrors([
      new ConfigError(
        file,
        "",
        `file name "${name}" must be an environment name of 2-32 lowercase letters, digits and dashes (it names the stacks)`,
        "PA-CONFIG-NAME",
      ),
    ]);
  }
  return name;
}

/**
 * Every file, loaded as synth loads them: all of them are read, and every error of every file is
 * reported together (one ConfigErrors), so a user fixes them in one pass.
 */
export function loadEnvironmentFiles(files: readonly string[]): EnvironmentConfig[] {
  const errors: ConfigError[] = [];
  const environments: EnvironmentConfig[] = [];
  for (const file of files) {
    try {
      environments.push(loadEnvironmentFile(file));
    } catch (error) {
      if (!(error instanceof ConfigErrors)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length > 0) throw new ConfigErrors(errors);
  return environments;
}

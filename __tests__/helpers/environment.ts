import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { EnvironmentConfig, parseEnvironment } from "../../src/config/load";

export const EXAMPLE_FILE = path.join(__dirname, "..", "..", "environments", "example.yaml");

/** The bundled example as parsed YAML, for tests that change one field. */
export function exampleDocument(): Record<string, any> {
  return parse(fs.readFileSync(EXAMPLE_FILE, "utf8"));
}

/** Applies `edit` to a copy of the example and validates it as `environments/<name>.yaml`. */
export function exampleWith(edit: (doc: Record<string, any>) => void = () => {}, name = "example"): EnvironmentConfig {
  const doc = exampleDocument();
  edit(doc);
  return parseEnvironment(`environments/${name}.yaml`, stringify(doc));
}

/** The message a ConfigErrors throws for the edited example. */
export function errorFor(edit: (doc: Record<string, any>) => void, name = "example"): string {
  try {
    exampleWith(edit, name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the environment to be rejected, but it was accepted");
}

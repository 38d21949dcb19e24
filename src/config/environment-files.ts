import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, ConfigErrors } from "./config-error";

const EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * The environment files to synthesize: every file in `dir`, or only the named ones
 * (a name is a file in `dir` without extension, or a path).
 */
export function findEnvironmentFiles(dir: string, selection?: readonly string[]): string[] {
  if (selection && selection.length > 0) {
    return selection.map((entry) => {
      if (entry.includes("/") || EXTENSIONS.includes(path.extname(entry))) return entry;
      const found = EXTENSIONS.map((ext) => path.join(dir, entry + ext)).find((candidate) => fs.existsSync(candidate));
      if (!found) {
        throw new ConfigErrors([
          new ConfigError(path.join(dir, `${entry}.yaml`), "", `does not exist (no environment named "${entry}")`, "PA-CONFIG-FILE"),
        ]);
      }
      return found;
    });
  }
  if (!fs.existsSync(dir)) {
    throw new ConfigErrors([new ConfigError(dir, "", "does not exist: create it with at least one environment file", "PA-CONFIG-FILE")]);
  }
  return fs
    .readdirSync(dir)
    .filter((entry) => EXTENSIONS.includes(path.extname(entry)))
    .sort()
    .map((entry) => path.join(dir, entry));
}

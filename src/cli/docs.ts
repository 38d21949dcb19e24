import * as fs from "node:fs";
import { withReference } from "../config/reference";
import { CommandSpec, runCommand } from "./command";

export const DOCS_COMMAND: CommandSpec = {
  name: "docs",
  summary: "Regenerate the README's environment file reference from the settings schemas (modules/*/settings.ts).",
  options: [{ name: "check", type: "boolean", description: "change nothing; exit 1 when README.md differs from the schemas" }],
};

/** `npm run docs [-- --check]` */
runCommand(DOCS_COMMAND, process.argv.slice(2), (args) => {
  const readme = fs.readFileSync("README.md", "utf8");
  const generated = withReference(readme);
  if (args.options.check) {
    if (generated === readme) return 0;
    console.error("README.md: the environment file reference differs from the schemas; run npm run docs");
    return 1;
  }
  if (generated !== readme) fs.writeFileSync("README.md", generated);
  console.log(generated === readme ? "README.md: the reference is up to date" : "README.md: the environment file reference was regenerated from the schemas");
  return 0;
}).then((code) => (process.exitCode = code));

import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { findEnvironmentFiles, isEnvironmentName, loadEnvironmentFiles } from "../config/load";
import { newEnvironment } from "../config/new-environment";
import { CommandSpec, UsageError, runCommand, stringOption } from "./command";

const ENVIRONMENTS_DIR = "environments";

export const NEW_ENV_COMMAND: CommandSpec = {
  name: "new-env",
  summary:
    "Write environments/<name>.yaml from an existing environment, made to synthesize and verify next to every other one: its own VPC range (subnets moved with it), web domain and tunnel hostnames under the same zones, and the Session Manager preferences left to the environment of the same account and region that manages them. Never overwrites.",
  words: [{ name: "<name>", description: "the new environment (2-32 lowercase letters, digits and dashes; it names the file and the stacks)" }],
  options: [{ name: "from", type: "string", description: "the environment to start from", defaultText: "example, or the only environment there is" }],
  examples: ["npm run new-env -- staging", "npm run new-env -- prod --from staging", "npm run new-env -- staging && npm run synth && npm run verify"],
};

/** A refusal of the command itself: one line, exit 1. */
class NewEnvError extends Error {}

/** `npm run new-env -- <name> [--from <env>]`: 0 written or help, 1 refused, 2 usage. */
export async function runNewEnv(argv: readonly string[]): Promise<number> {
  return runCommand(NEW_ENV_COMMAND, argv, (args) => {
    try {
      for (const line of newEnv(args.words[0], stringOption(args, "from"))) console.log(line);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`new-env: ${error.message}`);
        return 2;
      }
      if (error instanceof ConfigErrors) {
        console.error(error.message);
        return 1;
      }
      console.error(`new-env: ${(error as Error).message.split("\n")[0]}`);
      if (!(error instanceof NewEnvError) && process.env.PRIVATE_ACCESS_DEBUG === "1") console.error(error);
      return 1;
    }
  });
}

function newEnv(name: string, fromOption: string | undefined): string[] {
  if (!isEnvironmentName(name)) throw new UsageError(`"${name}" is not an environment name: 2-32 lowercase letters, digits and dashes, starting with a letter (it names the file and the stacks)`);
  const files = findEnvironmentFiles(ENVIRONMENTS_DIR);
  const nameOf = (file: string) => path.basename(file, path.extname(file));
  const existing = files.find((file) => nameOf(file) === name);
  if (existing) throw new NewEnvError(`${existing} already exists; new-env never overwrites a file (pick another name, or remove it first)`);
  const known = files.map(nameOf);
  const from = fromOption ?? (known.includes("example") || known.length !== 1 ? "example" : known[0]);
  const sourceFile = files.find((file) => nameOf(file) === from);
  if (!sourceFile) {
    throw new NewEnvError(`unknown environment "${from}"${fromOption === undefined ? " (the default of --from)" : " for --from"}: environments: ${known.join(", ") || "none"}`);
  }

  // Every environment, loaded as synth loads them: the new one must fit next to all of them.
  const environments = loadEnvironmentFiles(files);
  const source = environments.find((env) => env.file === sourceFile)!;

  const file = path.join(ENVIRONMENTS_DIR, `${name}.yaml`);
  const made = newEnvironment({ name, file, source, sourceText: fs.readFileSync(sourceFile, "utf8"), environments });
  try {
    fs.writeFileSync(file, made.text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new NewEnvError(`${file} already exists; new-env never overwrites a file`);
    throw error;
  }
  return [
    `wrote ${file} from ${sourceFile}:`,
    ...made.changes.map((line) => `  ${line}`),
    `its header lists what is still ${from}'s (account id, zones, office ranges, people); then: npm run synth && npm run verify`,
  ];
}

if (require.main === module) {
  runNewEnv(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

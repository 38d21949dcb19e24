import { commandBundle, loadBundled } from "./bundle-load";
import { CommandSpec, runCommand, stringOption } from "./command";

/**
 * `npm run report [-- --env NAME] [-- --out DIR]`: synthesizes (into a scratch folder, never over
 * cdktf.out) and writes each environment's CIDR plan, access matrix and diagram to DIR/<env>/.
 * PRIVATE_ACCESS_BUNDLE=0 runs the plain build (see ./bundle-load).
 */
export const REPORT_COMMAND: CommandSpec = {
  name: "report",
  summary: "Synthesize into a scratch folder and write each environment's CIDR plan, access matrix (with proof verdicts) and diagram.",
  options: [
    { name: "env", type: "string", description: "one environment", defaultText: "every file in environments/" },
    { name: "out", type: "string", description: "where the reports go (<out>/<env>/)", defaultText: "reports" },
  ],
};

/** Reads the arguments (help and usage mistakes need nothing else), then runs the heavy half, bundled when it is fresh. */
async function main(argv: readonly string[]): Promise<number> {
  return runCommand(REPORT_COMMAND, argv, (args) => loadBundled<typeof import("./report-run")>(commandBundle("report")).report({ env: stringOption(args, "env"), out: stringOption(args, "out") }));
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

import { commandBundle, loadBundled } from "./bundle-load";
import { CommandSpec, ParsedCommand, UsageError, booleanOption, numberOption, runCommand, stringOption } from "./command";

/**
 * `npm run drift [-- --env NAME] [--parallel N] [--refresh-only] [--offline] [--json FILE] [--details]`:
 * synth, then `terraform init` + `plan -detailed-exitcode -lock=false` in every stack with one shared
 * plugin cache; the saved plan's JSON says what would change. Prints a compact table (one row per
 * stack), optionally every changed address, and writes a JSON report with every address and its actions.
 *
 * Exit codes: 0 clean (or skipped), 1 any stack failed, 2 any stack drifted, 3 a stack has no state
 * yet (never applied: every change is a create and the prior state is empty) and nothing drifted or
 * failed. No-state gets its own code rather than 0 so a scheduled check notices an environment that
 * was declared but never applied, and rather than 2 so it is not mistaken for drift. Usage mistakes
 * exit 2 as well (shared command framework), with one line on stderr and no table.
 *
 * This file reads the arguments; synth and the plans (./drift-run) load only then, from
 * dist/bundle/drift.cjs when it is fresh (PRIVATE_ACCESS_BUNDLE=0: the plain build; see ./bundle-load).
 */
export const DRIFT_COMMAND: CommandSpec = {
  name: "drift",
  summary: [
    "Synthesize, then terraform init + plan -detailed-exitcode in every stack; print one row per stack",
    "(status, changes by action: +create ~update -delete ±replace, seconds, error) and write a JSON",
    "report with every changed address and its actions.",
    "Statuses: clean, drift, no-state (never applied: no prior state, every change a create), error, skipped.",
    "Exit: 0 clean; 1 an error; 2 drift; 3 no-state only (not applied yet); 2 also for a usage mistake.",
  ].join("\n"),
  options: [
    { name: "env", type: "string", description: "only this environment", defaultText: "every environment" },
    { name: "parallel", type: "integer", min: 1, max: 16, description: "stacks planned at a time (1-16)", defaultText: "2" },
    { name: "refresh-only", type: "boolean", description: "plan -refresh-only: report only what changed outside Terraform" },
    { name: "offline", type: "boolean", description: "AWS stacks against the provider mirror, -refresh=false; others skipped" },
    { name: "json", type: "string", description: "where the JSON report goes (- for standard output; the table then goes to standard error)", defaultText: "<outdir>/drift-report.json" },
    { name: "details", type: "boolean", description: "after the table, every changed address per stack" },
  ],
  examples: ["npm run drift", "npm run drift -- --env prod --parallel 4 --details", "npm run drift -- --refresh-only --json drift-report.json", "npm run drift -- --offline"],
};

export interface DriftArgs {
  readonly env?: string;
  readonly parallel: number;
  readonly refreshOnly: boolean;
  readonly offline: boolean;
  readonly json?: string;
  readonly details: boolean;
}

/** Typed options, with the combinations that cannot work refused (UsageError, one line). */
export function driftArgs(args: ParsedCommand): DriftArgs {
  const options: DriftArgs = {
    env: stringOption(args, "env"),
    parallel: numberOption(args, "parallel") ?? 2,
    refreshOnly: booleanOption(args, "refresh-only"),
    offline: booleanOption(args, "offline"),
    json: stringOption(args, "json"),
    details: booleanOption(args, "details"),
  };
  if (options.refreshOnly && options.offline) {
    throw new UsageError("--refresh-only cannot be used with --offline (offline plans run with -refresh=false, so there is nothing to refresh)");
  }
  return options;
}

/**
 * The command: parses argv (help: exit 0; usage mistake: one line, exit 2) and only then calls
 * `check` (synth + plans; replaceable in tests).
 */
export async function driftCommand(argv: readonly string[], check: (options: DriftArgs) => Promise<number> = checkDrift): Promise<number> {
  return runCommand(DRIFT_COMMAND, argv, async (args) => {
    let options: DriftArgs;
    try {
      options = driftArgs(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      console.error(`${DRIFT_COMMAND.name}: ${error.message}`);
      return 2;
    }
    return check(options);
  });
}

/** Synth and the plans: the heavy half, bundled when it is fresh (its code cache written after a run that planned every stack: drift and no-state too). */
function checkDrift(options: DriftArgs): Promise<number> {
  return loadBundled<typeof import("./drift-run")>(commandBundle("drift", [0, 2, 3])).checkDrift(options);
}

if (require.main === module) {
  driftCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

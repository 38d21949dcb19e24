import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { detectDrift } from "../drift/run";
import { StackDrift, countChanges, driftDetails, driftExitCode, driftReportJson, driftSummary, driftTable } from "../drift/report";
import { prepareOfflineTerraform } from "../terraform/offline";
import { CommandSpec, ParsedCommand, STDIO, UsageError, booleanOption, numberOption, runCommand, stringOption, writeOutput } from "./command";
import { GuardrailViolations, synthesize } from "./synth";

const STATE_BACKEND_FILE = "terraform-state-backend/backend.yaml";

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

async function checkDrift(options: DriftArgs): Promise<number> {
  try {
    const { offline } = options;
    const outdir = offline ? "cdktf.out.offline" : (process.env.CDKTF_OUTDIR ?? "cdktf.out");
    const result = synthesize({
      environmentsDir: "environments",
      selection: options.env ? [options.env] : [],
      outdir,
      offline,
      stateBackendFile: fs.existsSync(STATE_BACKEND_FILE) ? STATE_BACKEND_FILE : undefined,
    });
    let env: NodeJS.ProcessEnv;
    if (offline) {
      const setup = prepareOfflineTerraform(path.join(outdir, ".terraform-offline"));
      if (!setup.ok) throw new Error(`${setup.missing}; ${setup.fix}`);
      env = setup.terraform.env;
    } else {
      // Keep the user's own terraform configuration; only share one plugin cache between stacks.
      const cache = path.resolve(outdir, ".plugin-cache");
      fs.mkdirSync(cache, { recursive: true });
      env = { ...process.env, TF_PLUGIN_CACHE_DIR: process.env.TF_PLUGIN_CACHE_DIR ?? cache, TF_IN_AUTOMATION: "1" };
    }
    const names = result.stacks.map((s) => s.name);
    // Offline, only AWS stacks can run (there is no offline Cloudflare provider).
    const runnable = offline ? names.filter((n) => n.endsWith("-aws") || n === "state-backend") : names;
    const skipped: StackDrift[] = names
      .filter((n) => !runnable.includes(n))
      .map((stack) => ({ stack, status: "skipped", changes: [], counts: countChanges([]), seconds: 0, error: "no offline provider" }));
    const results = [
      ...(await detectDrift({
        outdir,
        stacks: runnable,
        env,
        parallel: options.parallel,
        refreshOnly: options.refreshOnly,
        noRefresh: offline,
        onProgress: (line) => console.error(line),
      })),
      ...skipped,
    ];
    // With the report on standard output, the table goes to standard error so the JSON stays parseable.
    const say = options.json === STDIO ? (text: string) => console.error(text) : (text: string) => console.log(text);
    say(driftTable(results));
    if (options.details) say(`\n${driftDetails(results)}\n`);
    say(driftSummary(results));
    const reportFile = options.json ?? path.join(outdir, "drift-report.json");
    writeOutput(reportFile, driftReportJson(results, { environment: options.env ?? null, refreshOnly: options.refreshOnly, offline }));
    if (reportFile !== STDIO) say(`report: ${reportFile}`);
    return driftExitCode(results);
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) console.error(error.message);
    else console.error(`drift: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  driftCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { detectDrift } from "../drift/run";
import { StackDrift, countChanges, driftDetails, driftExitCode, driftReportJson, driftSummary, driftTable } from "../drift/report";
import { prepareOfflineTerraform } from "../terraform/offline";
import { STDIO, writeOutput } from "./command";
import type { DriftArgs } from "./drift";
import { GuardrailViolations, synthesize } from "./synth";

const STATE_BACKEND_FILE = "terraform-state-backend/backend.yaml";

/**
 * The heavy half of `npm run drift` (./drift.ts reads the arguments, then loads this through
 * ./bundle-load: from dist/bundle/drift.cjs when it is fresh, else this file's plain build).
 */
export async function checkDrift(options: DriftArgs): Promise<number> {
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

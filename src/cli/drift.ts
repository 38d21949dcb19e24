import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { detectDrift } from "../drift/run";
import { StackDrift, driftExitCode, driftTable } from "../drift/report";
import { prepareOfflineTerraform } from "../terraform/offline";
import { parseArgs } from "./args";
import { GuardrailViolations, synthesize } from "./synth";

const STATE_BACKEND_FILE = "terraform-state-backend/backend.yaml";

/**
 * `npm run drift [-- --env NAME] [--parallel N] [--refresh-only true] [--offline true] [--json FILE]`:
 * synth, then `terraform init` + `plan -detailed-exitcode -lock=false` in every stack with one shared
 * plugin cache. Prints a table, writes a JSON report, exits 0 clean, 2 drift, 1 error.
 */
async function main(): Promise<number> {
  try {
    const { options } = parseArgs(process.argv.slice(2));
    const offline = options.offline === "true";
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
      if (!setup.ok) throw new Error(setup.missing);
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
    const skipped: StackDrift[] = names.filter((n) => !runnable.includes(n)).map((stack) => ({ stack, status: "skipped", changed: [], seconds: 0, detail: "no offline provider" }));
    const results = [
      ...(await detectDrift({
        outdir,
        stacks: runnable,
        env,
        parallel: Number(options.parallel ?? 2),
        refreshOnly: options["refresh-only"] === "true",
        noRefresh: offline,
        onProgress: (line) => console.error(line),
      })),
      ...skipped,
    ];
    console.log(driftTable(results));
    const reportFile = options.json ?? path.join(outdir, "drift-report.json");
    fs.writeFileSync(reportFile, `${JSON.stringify({ generatedAt: new Date().toISOString(), results }, null, 2)}\n`);
    console.log(`report: ${reportFile}`);
    return driftExitCode(results);
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) console.error(error.message);
    else console.error(`drift: ${(error as Error).message}`);
    return 1;
  }
}

main().then((code) => (process.exitCode = code));

import * as fs from "node:fs";
import { ConfigErrors } from "./src/config/errors";
import { GuardrailViolations, synthesize } from "./src/cli/synth";
import { internetSummary } from "./src/report/summary";

/**
 * The cdktf app. Environment variables (read here and nowhere in src/ or modules/):
 * - PRIVATE_ACCESS_ENVIRONMENTS: comma-separated environment names or files (default: every file in environments/)
 * - PRIVATE_ACCESS_OFFLINE=1: offline mode for tests and CI (never for real plans)
 * - CDKTF_OUTDIR: output folder, set by the cdktf CLI (default cdktf.out)
 * The `state-backend` stack is synthesized too when terraform-state-backend/backend.yaml exists.
 */
const STATE_BACKEND_FILE = "terraform-state-backend/backend.yaml";

function main(): number {
  const selection = (process.env.PRIVATE_ACCESS_ENVIRONMENTS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  try {
    const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
    const result = synthesize({
      environmentsDir: "environments",
      selection,
      outdir,
      offline: process.env.PRIVATE_ACCESS_OFFLINE === "1",
      stateBackendFile: fs.existsSync(STATE_BACKEND_FILE) ? STATE_BACKEND_FILE : undefined,
    });
    for (const warning of result.warnings) console.warn(`warning: ${warning}`);
    for (const stack of result.stacks) console.log(`synthesized ${stack.name}: ${stack.resources} resources`);
    for (const line of internetSummary(outdir, result.stacks.map((stack) => stack.name))) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) {
      console.error(error.message);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split("\n")[0]}`);
    if (process.env.PRIVATE_ACCESS_DEBUG === "1") console.error(error);
    return 1;
  }
}

process.exitCode = main();

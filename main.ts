import * as fs from "node:fs";
import * as path from "node:path";
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

const HELP = `usage: npm run synth   (or: node dist/main.js, cdktf synth)

Validates every environment file, synthesizes each environment's stacks, runs the guardrails, and
only then writes cdktf.out/ (a bad file changes nothing). Settings come from the environment:
  PRIVATE_ACCESS_ENVIRONMENTS=a,b   only these environments (names or files)
  PRIVATE_ACCESS_OFFLINE=1          offline mode for tests and CI: writes cdktf.out.offline/, never cdktf.out
  CDKTF_OUTDIR=DIR                  output folder (set by the cdktf CLI)
  PRIVATE_ACCESS_DEBUG=1            a stack trace on unexpected errors
`;

function main(): number {
  if (process.argv.slice(2).some((arg) => arg === "--help" || arg === "-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const selection = (process.env.PRIVATE_ACCESS_ENVIRONMENTS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  try {
    const offline = process.env.PRIVATE_ACCESS_OFFLINE === "1";
    let outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
    if (offline && path.resolve(outdir) === path.resolve("cdktf.out")) {
      // Offline output carries the provider's skip flags and a local backend: never where real plans run.
      outdir = "cdktf.out.offline";
      console.warn("offline mode: writing cdktf.out.offline/ (cdktf.out is left for real plans)");
    }
    const result = synthesize({
      environmentsDir: "environments",
      selection,
      outdir,
      offline,
      stateBackendFile: fs.existsSync(STATE_BACKEND_FILE) ? STATE_BACKEND_FILE : undefined,
      keepCreationStacks: process.env.PRIVATE_ACCESS_DEBUG === "1",
    });
    for (const warning of result.warnings) console.warn(`warning: ${warning}`);
    for (const stack of result.stacks) console.log(`synthesized ${stack.name}: ${stack.resources} resources`);
    for (const dir of result.removed) console.log(`removed ${dir}: no environment file gives this stack any more (its state file, if any, is kept)`);
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

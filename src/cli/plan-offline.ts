import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { prepareOfflineTerraform, planStackOffline } from "../terraform/offline";
import { GuardrailViolations, synthesize } from "./synth";
import { CommandSpec, runCommand } from "./command";

export const PLAN_OFFLINE_COMMAND: CommandSpec = {
  name: "plan-offline",
  summary: "Synthesize in offline mode into cdktf.out.offline/ (never the real cdktf.out) and run terraform init, validate and plan on every AWS stack against the local provider mirror (PRIVATE_ACCESS_PROVIDER_MIRROR, or else found on this machine). Cloudflare stacks are skipped (there is no offline Cloudflare provider). Progress on stderr; one line per stack and a summary on stdout.",
  words: [{ name: "env...", description: "environments to plan (default: all)", optional: true, variadic: true }],
  options: [],
};

/** Only AWS stacks (and the state backend) can plan offline; why another stack cannot, or undefined. */
export function offlineSkipReason(stack: string): string | undefined {
  if (stack.endsWith("-aws") || stack === "state-backend") return undefined;
  if (stack.endsWith("-cloudflare")) return "no offline Cloudflare provider (its plan needs the Cloudflare API: npm run drift or terraform plan with credentials)";
  return "not an AWS stack (only AWS stacks plan against the provider mirror)";
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `npm run plan-offline [-- NAME ...]`: synthesizes in offline mode into cdktf.out.offline/
 * (never over the real cdktf.out) and runs terraform init, validate and plan on every AWS stack
 * against the local provider mirror. For CI and for trying the project with no AWS account.
 * Progress (each stack's steps as they start) goes to stderr; a line per stack, what was skipped
 * and why, and a summary go to stdout.
 */
function main(selection: string[]): number {
  const outdir = "cdktf.out.offline";
  const started = Date.now();
  const progress = (line: string) => console.error(line);
  try {
    const stateBackendFile = "terraform-state-backend/backend.yaml";
    progress(`synthesizing offline into ${outdir}/ ...`);
    const result = synthesize({
      environmentsDir: "environments",
      selection,
      outdir,
      offline: true,
      stateBackendFile: fs.existsSync(stateBackendFile) ? stateBackendFile : undefined,
    });
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    const setup = prepareOfflineTerraform(path.join(outdir, ".terraform-offline"));
    if (!setup.ok) {
      console.error(`plan-offline: ${setup.missing}; ${setup.fix}`);
      return 1;
    }
    const planned = result.stacks.filter((s) => offlineSkipReason(s.name) === undefined);
    const skipped = result.stacks.filter((s) => offlineSkipReason(s.name) !== undefined);
    for (const stack of skipped) console.log(`${stack.name}: skipped: ${offlineSkipReason(stack.name)}`);
    let created = 0;
    for (const [index, stack] of planned.entries()) {
      const stackDir = path.join(outdir, "stacks", stack.name);
      const plan = planStackOffline(setup.terraform, stackDir, (step) => progress(`[${index + 1}/${planned.length}] ${stack.name}: terraform ${step} ...`));
      const changes = plan.plan.resource_changes ?? [];
      const creates = changes.filter((c) => c.change.actions.includes("create")).length;
      created += creates;
      const { init, validate, plan: planSeconds } = plan.seconds;
      console.log(`${stack.name}: plan ok, ${creates} to create (init ${init.toFixed(1)} s, validate ${validate.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s)`);
      fs.rmSync(path.join(stackDir, "offline.tfplan"), { force: true });
    }
    const skippedText = skipped.length > 0 ? `; skipped ${skipped.length} (${skipped.map((s) => s.name).join(", ")})` : "";
    console.log(`planned ${planned.length} stack(s) offline in ${seconds(Date.now() - started)}: ${created} resources to create${skippedText}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) {
      console.error(error.message);
      return 1;
    }
    console.error(`plan-offline: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  runCommand(PLAN_OFFLINE_COMMAND, process.argv.slice(2), (args) => main(args.words)).then((code) => (process.exitCode = code));
}

import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { prepareOfflineTerraform, planStackOffline } from "../terraform/offline";
import { GuardrailViolations, synthesize } from "./synth";
import { CommandSpec, runCommand } from "./command";

export const PLAN_OFFLINE_COMMAND: CommandSpec = {
  name: "plan-offline",
  summary: "Synthesize in offline mode into cdktf.out.offline/ (never the real cdktf.out) and run terraform init, validate and plan on every AWS stack against the local provider mirror (PRIVATE_ACCESS_PROVIDER_MIRROR, or else found on this machine).",
  words: [{ name: "env...", description: "environments to plan (default: all)", optional: true, variadic: true }],
  options: [],
};

/**
 * `npm run plan-offline [-- NAME ...]`: synthesizes in offline mode into cdktf.out.offline/
 * (never over the real cdktf.out) and runs terraform init, validate and plan on every AWS stack
 * against the local provider mirror. For CI and for trying the project with no AWS account.
 */
function main(selection: string[]): number {
  const outdir = "cdktf.out.offline";
  try {
    const stateBackendFile = "terraform-state-backend/backend.yaml";
    const result = synthesize({
      environmentsDir: "environments",
      selection,
      outdir,
      offline: true,
      stateBackendFile: fs.existsSync(stateBackendFile) ? stateBackendFile : undefined,
    });
    const setup = prepareOfflineTerraform(path.join(outdir, ".terraform-offline"));
    if (!setup.ok) {
      console.error(`plan-offline: ${setup.missing}; ${setup.fix}`);
      return 1;
    }
    // Only AWS stacks can plan offline (there is no offline Cloudflare provider).
    for (const stack of result.stacks.filter((s) => s.name.endsWith("-aws") || s.name === "state-backend")) {
      const stackDir = path.join(outdir, "stacks", stack.name);
      const planned = planStackOffline(setup.terraform, stackDir);
      const changes = planned.plan.resource_changes ?? [];
      const creates = changes.filter((c) => c.change.actions.includes("create")).length;
      const { init, validate, plan } = planned.seconds;
      console.log(
        `${stack.name}: plan ok, ${creates} to create (init ${init.toFixed(1)} s, validate ${validate.toFixed(1)} s, plan ${plan.toFixed(1)} s)`,
      );
      fs.rmSync(path.join(stackDir, "offline.tfplan"), { force: true });
    }
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

runCommand(PLAN_OFFLINE_COMMAND, process.argv.slice(2), (args) => main(args.words)).then((code) => (process.exitCode = code));

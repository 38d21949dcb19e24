import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliConfiguration, locateProviderMirror } from "./provider-mirror";

export interface OfflineTerraform {
  /** Environment for every terraform call: the project's CLI configuration and dummy credentials. */
  readonly env: NodeJS.ProcessEnv;
  readonly mirror: string;
  /** How the mirror was found: named by the variable, one of Terraform's implied folders, or searched for. */
  readonly mirrorFound: "named" | "implied" | "searched";
  readonly version: string;
}

/** `missing` says what is missing, `fix` what to do about it (one clause each, for one line). */
export type OfflineSetup = { ok: true; terraform: OfflineTerraform } | { ok: false; missing: string; fix: string };

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function terraformVersion(): string | undefined {
  const run = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (run.status !== 0) return undefined;
  return (JSON.parse(run.stdout) as { terraform_version: string }).terraform_version;
}

/**
 * Prepares offline terraform runs: writes the project's own CLI configuration (mirror + shared
 * plugin cache) into `workDir`, and dummy credentials that the provider never checks (offline mode
 * sets its skip flags). Says what is missing instead of throwing.
 */
export function prepareOfflineTerraform(workDir: string, env: NodeJS.ProcessEnv = process.env): OfflineSetup {
  const version = terraformVersion();
  if (!version) {
    return { ok: false, missing: "terraform is not on PATH", fix: "install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)" };
  }
  const lookup = locateProviderMirror({ env });
  if (!lookup.found) return { ok: false, missing: lookup.reason, fix: lookup.fix };
  const mirror = lookup.mirror;
  const cacheDir = path.join(workDir, "plugin-cache");
  fs.mkdirSync(cacheDir, { recursive: true });
  const configFile = path.join(workDir, "terraform.rc");
  fs.writeFileSync(configFile, cliConfiguration(path.resolve(mirror), path.resolve(cacheDir)));
  return {
    ok: true,
    terraform: {
      mirror,
      mirrorFound: lookup.how,
      version,
      env: {
        ...env,
        TF_CLI_CONFIG_FILE: path.resolve(configFile),
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        CHECKPOINT_DISABLE: "1",
        AWS_ACCESS_KEY_ID: "offline-plan-dummy",
        AWS_SECRET_ACCESS_KEY: "offline-plan-dummy",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    },
  };
}

export function runTerraform(tf: OfflineTerraform, cwd: string, args: readonly string[]): TerraformRun {
  const run = spawnSync("terraform", [...args, "-no-color"], { cwd, env: tf.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { code: run.status ?? 1, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}

export interface StackPlan {
  readonly stackDir: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan: PlanJson;
  readonly seconds: { init: number; validate: number; plan: number };
}

export interface PlannedChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: { actions: string[]; after: Record<string, unknown> | null };
}

export interface PlanJson {
  readonly resource_changes?: PlannedChange[];
  readonly planned_values?: unknown;
}

export type OfflineStep = "init" | "validate" | "plan";

/**
 * init → validate → plan → show -json in one stack folder; throws with terraform's own words on failure.
 * `onStep` hears each step as it starts (for progress).
 */
export function planStackOffline(tf: OfflineTerraform, stackDir: string, onStep: (step: OfflineStep) => void = () => {}): StackPlan {
  const step = (args: string[]) => {
    if (args[0] === "init" || args[0] === "validate" || args[0] === "plan") onStep(args[0]);
    const started = Date.now();
    const run = runTerraform(tf, stackDir, args);
    if (run.code !== 0) {
      const detail = (run.stderr || run.stdout).trim().split("\n").filter(Boolean).slice(0, 12).join("\n");
      throw new Error(`terraform ${args[0]} failed in ${stackDir}:\n${detail}`);
    }
    return { run, seconds: (Date.now() - started) / 1000 };
  };
  const init = step(["init", "-input=false"]);
  const validate = step(["validate"]);
  const plan = step(["plan", "-input=false", "-lock=false", "-out=offline.tfplan"]);
  const show = step(["show", "-json", "offline.tfplan"]);
  return {
    stackDir,
    plan: JSON.parse(show.run.stdout) as PlanJson,
    seconds: { init: init.seconds, validate: validate.seconds, plan: plan.seconds },
  };
}

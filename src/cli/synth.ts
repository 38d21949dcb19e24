import * as fs from "node:fs";
import { withoutCreationStacks } from "../stacks/creation-stacks";
import * as path from "node:path";
import { EnvironmentConfig, findEnvironmentFiles, loadEnvironmentFile } from "../config/load";
import { ConfigError, ConfigErrors } from "../config/errors";
import { checkAcrossEnvironments } from "../config/across-environments";
import type { Violation } from "../policy/rule";
import { buildApp } from "../stacks/app";
import { loadStateBackendConfig } from "../../terraform-state-backend/config";

export interface SynthRequest {
  readonly environmentsDir: string;
  /** Environment names or file paths; empty means every file in `environmentsDir`. */
  readonly selection?: readonly string[];
  /** Final output folder (cdktf.out). It is only touched after a fully successful synth. */
  readonly outdir: string;
  readonly offline: boolean;
  /** terraform-state-backend/backend.yaml: when given, the `state-backend` stack is synthesized too. */
  readonly stateBackendFile?: string;
  /** Keep cdktf's token creation stack traces (debugging a token that fails to resolve); off by default: they cost a third of a synth. */
  readonly keepCreationStacks?: boolean;
}

export interface SynthResult {
  readonly environments: readonly EnvironmentConfig[];
  readonly stacks: readonly { name: string; resources: number }[];
  readonly warnings: readonly string[];
  /** Stack folders of environments that no longer exist, removed from the output. */
  readonly removed: readonly string[];
}

export class GuardrailViolations extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(violations.map((v) => `guardrail ${v.ruleId} at ${v.path}: ${v.message}`).join("\n"));
    this.name = "GuardrailViolations";
  }
}

/** Loads every environment first, so one bad file stops the run before anything is written. */
export function loadEnvironments(dir: string, selection?: readonly string[]): EnvironmentConfig[] {
  const files = findEnvironmentFiles(dir, selection);
  if (files.length === 0) {
    throw new ConfigErrors([new ConfigError(dir, "", "holds no environment file (.yaml, .yml or .json)", "PA-CONFIG-FILE")]);
  }
  const errors: ConfigError[] = [];
  const environments: EnvironmentConfig[] = [];
  for (const file of files) {
    try {
      environments.push(loadEnvironmentFile(file));
    } catch (error) {
      if (!(error instanceof ConfigErrors)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length > 0) throw new ConfigErrors(errors);
  const shared = checkAcrossEnvironments(environments);
  if (shared.length > 0) throw new ConfigErrors(shared);
  return environments;
}

/**
 * Validates, synthesizes into a staging folder, runs the guardrails, and only then publishes
 * into `outdir` (files are replaced one by one, so `.terraform/` folders already there survive).
 */
export function synthesize(request: SynthRequest): SynthResult {
  const environments = loadEnvironments(request.environmentsDir, request.selection);
  const staging = `${request.outdir.replace(/\/+$/, "")}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const projectRootFromStack = path.relative(path.resolve(request.outdir, "stacks", "stack"), process.cwd()) || ".";
    const localStatePath = path.join(projectRootFromStack, "terraform.{stack}.tfstate");
    const stateBackend = request.stateBackendFile ? loadStateBackendConfig(request.stateBackendFile) : undefined;
    const built = withoutCreationStacks(request.keepCreationStacks === true, () => {
      const app = buildApp(environments, staging, { offline: request.offline, localStatePath, projectRootFromStack }, stateBackend);
      try {
        app.app.synth();
      } catch (error) {
        // Error annotations abort synth; report them as guardrail lines rather than cdktf's dump.
        const found = app.guardrails.flatMap((report) => report.violations);
        if (found.length > 0) throw new GuardrailViolations(found);
        throw error;
      }
      return app;
    });
    const violations = () => built.guardrails.flatMap((report) => report.violations);
    if (violations().length > 0) throw new GuardrailViolations(violations());
    // Each environment's validated settings, beside its stacks: what `npm run verify` proves them against.
    fs.mkdirSync(path.join(staging, "environments"), { recursive: true });
    for (const env of environments) fs.writeFileSync(path.join(staging, "environments", `${env.name}.json`), `${JSON.stringify(env, null, 2)}\n`);
    const stateWarnings = request.offline
      ? []
      : environments
          .filter((env) => env.cloudflareTunnel?.enabled && env.backend.type === "local")
          .map((env) => `${env.file}: backend is local, so ${env.name}-cloudflare keeps its state, which holds the tunnel token, in a plain file on this machine; use backend: s3 (KMS) or terraform-cloud`);
    const warnings = [...stateWarnings, ...built.guardrails.flatMap((report) => [
      // A module's recorded exceptions are part of the design (listed in the review reports); the file's are warned about.
      ...report.suppressed.filter((s) => s.source === "environment file").map((s) => `guardrail ${s.ruleId} suppressed at ${s.path}: ${s.message} (reason: ${s.reason})`),
      ...report.unusedSuppressions.map((s) => `guardrail suppression ${s.rule} for ${s.path} matched nothing; remove it`),
    ])];
    const stacks = built.stacks.map((stack) => ({
      name: stack.node.id,
      resources: countResources(path.join(staging, "stacks", stack.node.id, "cdk.tf.json")),
    }));
    publish(staging, request.outdir);
    // With every environment synthesized, a stack folder nothing produced belongs to a deleted
    // environment: a loop over cdktf.out/stacks/* would still plan it. Only folders this project
    // wrote (holding cdk.tf.json) are removed; a partial synth removes nothing.
    const removed = request.selection && request.selection.length > 0 ? [] : removeStaleStacks(request.outdir, stacks.map((s) => s.name));
    return { environments, stacks, warnings, removed };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function removeStaleStacks(outdir: string, current: readonly string[]): string[] {
  const folder = path.join(outdir, "stacks");
  if (!fs.existsSync(folder)) return [];
  const stale = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.includes(entry.name) && fs.existsSync(path.join(folder, entry.name, "cdk.tf.json")))
    .map((entry) => path.join(folder, entry.name));
  for (const dir of stale) fs.rmSync(dir, { recursive: true, force: true });
  return stale;
}

function countResources(file: string): number {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

function publish(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) publish(source, target);
    else fs.copyFileSync(source, target);
  }
}

import * as fs from "node:fs";
import { Manifest } from "cdktf/lib/manifest";
import { CacheOptions, CachedEnvironment, ExtraInput, RequestInputs, StackFiles, environmentKey, extraInput, findEnvironment, pruneEnvironments, stageRequestOutput, storeEnvironment } from "./synth-cache";
import { countResources, publish, removeStaleStacks, writeFiles } from "./output-folder";
import { withoutCreationStacks } from "../stacks/creation-stacks";
import { withPlainValueResolve } from "../stacks/plain-value-resolve";
import * as path from "node:path";
import { threadId } from "node:worker_threads";
import { runWorkers, workerCount } from "./synth-workers";
import { EnvironmentConfig, findEnvironmentFiles, loadEnvironmentFiles, sourceOf } from "../config/load";
import { ConfigError, ConfigErrors } from "../config/errors";
import { checkAcrossEnvironments } from "../config/across-environments";
import type { Violation } from "../policy/rule";
import { buildApp } from "../stacks/app";
import { stackNames } from "../stacks/aws-stack";
import { danglingReferences } from "../stacks/dangling-references";
import { loadStateBackendConfig } from "../../terraform-state-backend/config";
import type { Annotation, StackJson, SynthesizedStack } from "../synthesized/terraform-json";

export interface SynthRequest {
  readonly environmentsDir: string;
  /** Environment names or file paths; empty means every file in `environmentsDir`. */
  readonly selection?: readonly string[];
  /** Final output folder (cdktf.out). It is only touched after a fully successful synth. */
  readonly outdir: string;
  readonly offline: boolean;
  /** terraform-state-backend/backend.yaml: when given, the `state-backend` stack is synthesized too. */
  readonly stateBackendFile?: string;
  /** Worker processes for many environments (src/cli/synth-workers.ts); default none; each gets at least 8 environments. */
  readonly workers?: number;
  /** A worker's run: build into the cache only; publish nothing. */
  readonly storeOnly?: boolean;
  /** Keep cdktf's token creation stack traces (debugging a token that fails to resolve); off by default: they cost a third of a synth. */
  readonly keepCreationStacks?: boolean;
}

export interface SynthResult {
  readonly environments: readonly EnvironmentConfig[];
  readonly stacks: readonly { name: string; resources: number }[];
  /** The same stacks as written, each parsed once (for the summaries). */
  readonly synthesized: readonly SynthesizedStack[];
  readonly warnings: readonly string[];
  /** Stack folders of environments that no longer exist, removed from the output. */
  readonly removed: readonly string[];
  /** Files read besides the environment files (boot scripts), for the cache. */
  readonly extras: readonly ExtraInput[];
  /** Environments whose stacks were copied from the cache, not built. */
  readonly reusedEnvironments: readonly string[];
  /** Worker processes that built environments (0: this process built them). */
  readonly workers: number;
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
  const environments = loadEnvironmentFiles(files);
  const shared = checkAcrossEnvironments(environments);
  if (shared.length > 0) throw new ConfigErrors(shared);
  return environments;
}

/** Reuse of unchanged environments' stacks (src/cli/synth-cache.ts); absent: everything is built. */
export interface SynthCache {
  readonly options: CacheOptions;
  /** The options that change the output, as text (part of every key). */
  readonly settings: string;
  /** When given, the whole output is stored under this key for an identical request. */
  readonly requestKey?: string;
  /** What the request key was computed from (checked again before the output is stored). */
  readonly requestInputs?: RequestInputs;
}

/**
 * Validates, synthesizes into a staging folder, runs the guardrails, and only then publishes
 * into `outdir` (files are replaced one by one, so `.terraform/` folders already there survive).
 * With a cache, an environment whose inputs are unchanged is not built: its stacks (which passed
 * the guardrails when they were built) are copied as they were.
 */
export function synthesize(request: SynthRequest, cache?: SynthCache): SynthResult {
  const environments = loadEnvironments(request.environmentsDir, request.selection);
  const staging = `${request.outdir.replace(/\/+$/, "")}.staging-${process.pid}-${threadId}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const projectRootFromStack = path.relative(path.resolve(request.outdir, "stacks", "stack"), process.cwd()) || ".";
    const localStatePath = path.join(projectRootFromStack, "terraform.{stack}.tfstate");
    const stateBackend = request.stateBackendFile ? loadStateBackendConfig(request.stateBackendFile) : undefined;
    const keys = new Map(environments.map((env) => [env.name, cache ? environmentKey(cache.options, cache.settings, env.file, env.name, sourceOf(env)?.text ?? "") : ""]));
    const reused = new Map<string, { entry: CachedEnvironment; files: StackFiles }>();
    if (cache) {
      for (const env of environments) {
        const found = findEnvironment(cache.options, keys.get(env.name)!);
        if (found) reused.set(env.name, found);
      }
    }
    let toBuild = environments.filter((env) => !reused.has(env.name));
    const builtByWorkers = new Set<string>();
    const workers = cache && !request.storeOnly ? workerCount(toBuild.length, request.workers) : 1;
    if (workers > 1 && cache) {
      // Each worker builds a share into the cache; every stack is then copied from there.
      const scratch = `${staging}-workers`;
      fs.mkdirSync(scratch, { recursive: true });
      const shares = Array.from({ length: workers }, (_, index) => toBuild.filter((_, i) => i % workers === index).map((env) => env.file));
      let outcomes;
      try {
        outcomes = runWorkers(shares.map((files) => ({ files, request: { ...request }, cache: { ...cache, requestKey: undefined } })), scratch);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
      const failed = outcomes.find((outcome) => !outcome.ok);
      if (failed && !failed.ok) throw failed.violations ? new GuardrailViolations(failed.violations) : new Error(failed.message);
      for (const env of toBuild) {
        const found = findEnvironment(cache.options, keys.get(env.name)!);
        if (found) reused.set(env.name, found);
        builtByWorkers.add(env.name);
      }
      toBuild = environments.filter((env) => !reused.has(env.name));
    }
    const debug = request.keepCreationStacks === true;
    const built = withoutCreationStacks(debug, () =>
      withPlainValueResolve(debug, () => {
        const app = buildApp(toBuild, staging, { offline: request.offline, localStatePath, projectRootFromStack }, stateBackend);
        try {
          app.app.synth();
        } catch (error) {
          // Error annotations abort synth; report them as guardrail lines rather than cdktf's dump.
          const found = app.guardrails.flatMap((report) => report.violations);
          if (found.length > 0) throw new GuardrailViolations(found);
          throw error;
        }
        return app;
      }),
    );
    const violations = built.guardrails.flatMap((report) => report.violations);
    if (violations.length > 0) throw new GuardrailViolations(violations);

    // What each built stack produced, by stack name.
    const manifestFile = path.join(staging, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { version: string; stacks: Record<string, unknown> };
    const builtStacks = new Map(
      built.stacks.map((stack, index) => {
        const name = stack.node.id;
        const report = built.guardrails[index];
        const warnings = [
          // A module's recorded exceptions are part of the design (listed in the review reports); the file's are warned about.
          ...report.suppressed.filter((s) => s.source === "environment file").map((s) => `guardrail ${s.ruleId} suppressed at ${s.path}: ${s.message} (reason: ${s.reason})`),
          ...report.unusedSuppressions.map((s) => `guardrail suppression ${s.rule} for ${s.path} matched nothing; remove it`),
        ];
        const file = path.join(staging, "stacks", name, "cdk.tf.json");
        const json = JSON.parse(fs.readFileSync(file, "utf8")) as StackJson;
        const dangling = danglingReferences(json);
        if (dangling.length > 0) throw new Error(`${name} refers to ${dangling.join(", ")}, which it does not declare: the stacks share nothing through Terraform (a value another stack needs goes through an SSM parameter of known name)`);
        return [name, { name, json, resources: countResources(json), manifest: manifest.stacks[name], warnings }];
      }),
    );

    // Every environment's stacks in the order a full synth gives them: built or copied.
    const stacks: { name: string; resources: number }[] = [];
    const synthesized: SynthesizedStack[] = [];
    const annotationsOf = (entry: unknown) => (entry as { annotations?: Annotation[] } | undefined)?.annotations ?? [];
    const warnings: string[] = [];
    // One warning for every environment whose tunnel state would be a local file, not one each.
    const localTunnelState = request.offline ? [] : environments.filter((env) => env.cloudflareTunnel?.enabled && env.backend.type === "local");
    if (localTunnelState.length === 1) {
      const [env] = localTunnelState;
      warnings.push(`${env.file}: backend is local, so ${env.name}-cloudflare keeps its state, which holds the tunnel token, in a plain file on this machine; use backend: s3 (KMS) or terraform-cloud`);
    } else if (localTunnelState.length > 1) {
      warnings.push(
        `backend is local in ${localTunnelState.map((env) => env.file).join(", ")}, so their Cloudflare stacks (${localTunnelState.map((env) => `${env.name}-cloudflare`).join(", ")}) keep their state, which holds the tunnel token, in plain files on this machine; use backend: s3 (KMS) or terraform-cloud`,
      );
    }
    for (const env of environments) {
      const copy = reused.get(env.name);
      if (copy) {
        for (const stack of copy.entry.stacks) {
          writeFiles(copy.files[stack.name], path.join(staging, "stacks", stack.name));
          manifest.stacks[stack.name] = stack.manifest;
          stacks.push({ name: stack.name, resources: stack.resources });
          synthesized.push({ name: stack.name, json: JSON.parse(copy.files[stack.name]["cdk.tf.json"]) as StackJson, annotations: annotationsOf(stack.manifest) });
        }
        warnings.push(...copy.entry.warnings);
        continue;
      }
      const names = Object.values(stackNames(env)).filter((name) => builtStacks.has(name));
      const own = names.map((name) => builtStacks.get(name)!);
      stacks.push(...own.map(({ name, resources }) => ({ name, resources })));
      synthesized.push(...own.map(({ name, json, manifest: entry }) => ({ name, json, annotations: annotationsOf(entry) })));
      warnings.push(...own.flatMap((stack) => stack.warnings));
      if (cache) {
        const bootScript = env.webTier?.servers.bootScriptFile;
        storeEnvironment(
          cache.options,
          keys.get(env.name)!,
          Object.fromEntries(names.map((name) => [name, path.join(staging, "stacks", name)])),
          { stacks: own.map(({ name, resources, manifest: entry }) => ({ name, resources, manifest: entry })), warnings: own.flatMap((stack) => stack.warnings), extras: bootScript ? [extraInput(bootScript, env.webBootScript)] : [] },
        );
      }
    }
    const stateBackendStack = builtStacks.get("state-backend");
    if (stateBackendStack) {
      stacks.push({ name: stateBackendStack.name, resources: stateBackendStack.resources });
      synthesized.push({ name: stateBackendStack.name, json: stateBackendStack.json, annotations: annotationsOf(stateBackendStack.manifest) });
      warnings.push(...stateBackendStack.warnings);
    }
    // cdktf's own writer, so the merged manifest is byte for byte what a full synth writes.
    if (reused.size > 0) {
      const writer = new Manifest(manifest.version, staging, false);
      Object.assign(writer.stacks, manifest.stacks);
      writer.writeToFile();
    }

    // Each environment's validated settings, beside its stacks: what `npm run verify` proves them against.
    fs.mkdirSync(path.join(staging, "environments"), { recursive: true });
    for (const env of environments) fs.writeFileSync(path.join(staging, "environments", `${env.name}.json`), `${JSON.stringify(env, null, 2)}\n`);
    const extras = environments.flatMap((env) => (env.webTier?.servers.bootScriptFile ? [extraInput(env.webTier.servers.bootScriptFile, env.webBootScript)] : []));
    if (request.storeOnly) return { environments, stacks, synthesized, warnings, removed: [], extras: [], reusedEnvironments: [...reused.keys()], workers: 0 };
    if (cache?.requestKey) {
      const environmentStacks = new Set(environments.flatMap((env) => Object.values(stackNames(env))));
      stageRequestOutput(cache.options, cache.requestKey, staging, Object.fromEntries(keys), environmentStacks);
    }
    publish(staging, request.outdir);
    if (cache) pruneEnvironments(cache.options);
    // A partial synth (a selection) removes nothing.
    const removed = request.selection && request.selection.length > 0 ? [] : removeStaleStacks(request.outdir, stacks.map((s) => s.name));
    return { environments, stacks, synthesized, warnings, removed, extras, reusedEnvironments: [...reused.keys()].filter((name) => !builtByWorkers.has(name)), workers: workers > 1 ? workers : 0 };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

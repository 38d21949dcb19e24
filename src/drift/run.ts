import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { AddressChange, DriftPlanJson, DriftStatus, StackDrift, classifyPlan, countChanges, terraformErrorDetail, terraformErrorLine } from "./report";

export interface DriftOptions {
  /** Folder holding `stacks/<name>/cdk.tf.json`. */
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Environment for terraform (offline: the project's CLI configuration and dummy credentials). */
  readonly env: NodeJS.ProcessEnv;
  /** @default 2 */
  readonly parallel?: number;
  /** `terraform plan -refresh-only`: report what changed outside Terraform, ignoring config changes. */
  readonly refreshOnly?: boolean;
  /** `-refresh=false`: compare config with state only (offline tests; no API to refresh from). */
  readonly noRefresh?: boolean;
  readonly onProgress?: (line: string) => void;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: 1, stdout, stderr: String(error) }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}


/** A stack that failed: the first line of terraform's error for the table, its error block for the report. */
function failure(step: string, run: { stdout: string; stderr: string }): { error: string; detail: string } {
  const line = terraformErrorLine(run.stderr, run.stdout) ?? `terraform ${step} failed without output`;
  const detail = terraformErrorDetail(run.stderr.trim() ? run.stderr : run.stdout);
  return { error: `${step}: ${line}`, detail: detail || line };
}

type RunResult = Awaited<ReturnType<typeof run>>;

async function checkStack(stack: string, options: DriftOptions, init: RunResult | undefined, initSeconds: number): Promise<StackDrift> {
  const started = Date.now() - initSeconds * 1000;
  const cwd = path.join(options.outdir, "stacks", stack);
  const done = (status: DriftStatus, changes: AddressChange[] = [], failed?: { error: string; detail?: string }): StackDrift => ({
    stack,
    status,
    changes,
    counts: countChanges(changes),
    seconds: (Date.now() - started) / 1000,
    ...(failed ? { error: failed.error, detail: failed.detail ?? failed.error } : {}),
  });
  if (!init) return done("error", [], { error: `no cdk.tf.json in ${cwd}` });
  if (init.code !== 0) return done("error", [], failure("init", init));
  const planFile = path.join(cwd, "drift.tfplan");
  const args = ["plan", "-detailed-exitcode", "-lock=false", "-input=false", "-out=drift.tfplan"];
  if (options.refreshOnly) args.push("-refresh-only");
  if (options.noRefresh) args.push("-refresh=false");
  try {
    const plan = await run(args, cwd, options.env);
    if (plan.code === 0) return done("clean");
    if (plan.code !== 2) return done("error", [], failure("plan", plan));
    // Exit 2 says something would change; the saved plan's JSON says what (and whether there is state at all).
    const show = await run(["show", "-json", "drift.tfplan"], cwd, options.env);
    if (show.code !== 0) return done("error", [], failure("show", show));
    let json: DriftPlanJson;
    try {
      json = JSON.parse(show.stdout) as DriftPlanJson;
    } catch (error) {
      return done("error", [], { error: `show: unreadable plan JSON (${(error as Error).message})` });
    }
    const { status, changes } = classifyPlan(json, options.refreshOnly ?? false);
    return done(status, changes);
  } finally {
    fs.rmSync(planFile, { force: true });
  }
}

/** Plans every stack with -detailed-exitcode, at most `parallel` at a time, and says what drifted (see classifyPlan). */
export async function detectDrift(options: DriftOptions): Promise<StackDrift[]> {
  // `-refresh-only` with `-refresh=false` asks terraform for nothing; refuse before planning anything.
  if (options.refreshOnly && options.noRefresh) throw new Error("a refresh-only plan needs a refresh; it cannot run with noRefresh (offline)");
  const parallel = Math.max(1, options.parallel ?? 2);
  const results: StackDrift[] = new Array(options.stacks.length);
  // Terraform's plugin cache is not safe for concurrent use while an init writes it (a plan checking
  // its providers then sees "Required plugins are not installed"): every init runs first, one at a
  // time, and only then do the plans run in parallel.
  const inits = new Map<string, { result?: RunResult; seconds: number }>();
  for (const stack of options.stacks) {
    const cwd = path.join(options.outdir, "stacks", stack);
    const started = Date.now();
    options.onProgress?.(`init ${stack} ...`);
    const result = fs.existsSync(path.join(cwd, "cdk.tf.json")) ? await run(["init", "-input=false"], cwd, options.env) : undefined;
    inits.set(stack, { result, seconds: (Date.now() - started) / 1000 });
  }
  let next = 0;
  const worker = async () => {
    while (next < options.stacks.length) {
      const index = next++;
      const stack = options.stacks[index];
      options.onProgress?.(`checking ${stack} ...`);
      const init = inits.get(stack)!;
      results[index] = await checkStack(stack, options, init.result, init.seconds);
      options.onProgress?.(`${stack}: ${results[index].status} (${results[index].seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, options.stacks.length) }, worker));
  return results;
}

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { StackDrift, changedAddresses } from "./report";

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

/** Terraform's plugin cache is not safe for concurrent `init`: inits take turns, plans run in parallel. */
function serialized(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  };
}

async function checkStack(stack: string, options: DriftOptions, oneAtATime: ReturnType<typeof serialized>): Promise<StackDrift> {
  const started = Date.now();
  const cwd = path.join(options.outdir, "stacks", stack);
  const done = (status: StackDrift["status"], changed: string[] = [], detail?: string): StackDrift => ({ stack, status, changed, seconds: (Date.now() - started) / 1000, detail });
  if (!fs.existsSync(path.join(cwd, "cdk.tf.json"))) return done("error", [], `no cdk.tf.json in ${cwd}`);
  const init = await oneAtATime(() => run(["init", "-input=false"], cwd, options.env));
  if (init.code !== 0) return done("error", [], (init.stderr || init.stdout).trim());
  const args = ["plan", "-detailed-exitcode", "-lock=false", "-input=false", "-out=drift.tfplan"];
  if (options.refreshOnly) args.push("-refresh-only");
  if (options.noRefresh) args.push("-refresh=false");
  const plan = await run(args, cwd, options.env);
  if (plan.code === 0) return done("clean");
  if (plan.code !== 2) return done("error", [], (plan.stderr || plan.stdout).trim());
  const show = await run(["show", "-json", "drift.tfplan"], cwd, options.env);
  if (show.code !== 0) return done("error", [], show.stderr.trim());
  fs.rmSync(path.join(cwd, "drift.tfplan"), { force: true });
  return done("drift", changedAddresses(JSON.parse(show.stdout), options.refreshOnly ?? false));
}

/** Plans every stack with -detailed-exitcode, at most `parallel` at a time, and says what drifted. */
export async function detectDrift(options: DriftOptions): Promise<StackDrift[]> {
  const parallel = Math.max(1, options.parallel ?? 2);
  const results: StackDrift[] = new Array(options.stacks.length);
  const oneAtATime = serialized();
  let next = 0;
  const worker = async () => {
    while (next < options.stacks.length) {
      const index = next++;
      const stack = options.stacks[index];
      options.onProgress?.(`checking ${stack} ...`);
      results[index] = await checkStack(stack, options, oneAtATime);
      options.onProgress?.(`${stack}: ${results[index].status} (${results[index].seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, options.stacks.length) }, worker));
  return results;
}

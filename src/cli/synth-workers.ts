import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Violation } from "../policy/rule";

/**
 * Many environments to build use the cores: each worker process synthesizes a share of them into
 * the synth cache (src/cli/synth-cache.ts), and the main process then copies every stack from
 * there exactly as it copies unchanged ones, so the output is the same whether workers ran or not.
 * Processes, not worker threads: measured on 2 cores, two threads of one process building 25
 * environments each took as long as one thread building 50 (allocation-heavy work in one process
 * does not scale), while two processes took 20% less. A worker costs a module load (about 0.3 s),
 * so workers start only when each gets at least MIN_PER_WORKER environments.
 */
export const MIN_PER_WORKER = 8;

export interface WorkerTask {
  readonly files: readonly string[];
  readonly request: Record<string, unknown>;
  readonly cache: Record<string, unknown>;
  readonly resultFile: string;
}

export type WorkerOutcome = { readonly ok: true } | { readonly ok: false; readonly violations?: Violation[]; readonly message: string };

/** The compiled worker entry, or undefined when running from sources (tests), where workers are off. */
function workerScript(): string | undefined {
  const script = path.join(__dirname, "synth-worker.js");
  return fs.existsSync(script) ? script : undefined;
}

/**
 * How many workers to use for `count` environments (1: none). Off unless asked for
 * (PRIVATE_ACCESS_SYNTH_WORKERS): on the 2-vCPU machines this project is measured on, two worker
 * processes building 25 environments each finished 50 in 3.3-4.1 s against 2.8-3.1 s for one process
 * (each ran 30-40% slower beside the other), which does not pay for their start-up and memory.
 */
export function workerCount(count: number, requested?: number): number {
  if (!workerScript() || requested === undefined) return 1;
  return Math.max(1, Math.min(requested, Math.floor(count / MIN_PER_WORKER)));
}

/**
 * Runs the tasks in worker processes and blocks until every one has finished (synthesis is
 * synchronous end to end): one supervising process starts them all and waits for them.
 */
export function runWorkers(tasks: readonly Omit<WorkerTask, "resultFile">[], scratch: string): WorkerOutcome[] {
  const script = workerScript()!;
  const resultFiles = tasks.map((_, index) => path.join(scratch, `worker-${index}.result.json`));
  const taskFiles = tasks.map((task, index) => {
    const file = path.join(scratch, `worker-${index}.task.json`);
    fs.writeFileSync(file, JSON.stringify({ ...task, resultFile: resultFiles[index] }));
    return file;
  });
  const run = spawnSync(process.execPath, [script, "--supervise", ...taskFiles], { stdio: ["ignore", "ignore", "inherit"] });
  if (run.error) throw run.error;
  return resultFiles.map((file) => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as WorkerOutcome) : { ok: false, message: "a synth worker stopped without a result" }));
}

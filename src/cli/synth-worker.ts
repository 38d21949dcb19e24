import { spawn } from "node:child_process";
import * as fs from "node:fs";
import type { WorkerOutcome, WorkerTask } from "./synth-workers";

/**
 * `--supervise TASK…`: starts one worker process per task file and exits when all have.
 * `TASK`: a worker: builds its share of environments into the synth cache, publishes nothing, and
 * writes its outcome to the task's result file.
 */
const [first, ...rest] = process.argv.slice(2);
if (first === "--supervise") {
  let running = rest.length;
  for (const taskFile of rest) {
    spawn(process.execPath, [__filename, taskFile], { stdio: ["ignore", "ignore", "inherit"] }).on("exit", () => {
      running -= 1;
      if (running === 0) process.exit(0);
    });
  }
} else {
  const task = JSON.parse(fs.readFileSync(first, "utf8")) as WorkerTask;
  // Loaded here, so the supervisor itself stays a small process; from the bundle when it is fresh.
  const { loadSynth } = require("./synth-load") as typeof import("./synth-load");
  const { GuardrailViolations, synthesize } = loadSynth((task.cache as { options: import("./synth-cache").CacheOptions }).options);
  let outcome: WorkerOutcome;
  try {
    synthesize({ ...(task.request as never as import("./synth").SynthRequest), selection: task.files, stateBackendFile: undefined, storeOnly: true }, task.cache as never);
    outcome = { ok: true };
  } catch (error) {
    outcome = error instanceof GuardrailViolations ? { ok: false, violations: [...error.violations], message: error.message } : { ok: false, message: (error as Error).message };
  }
  fs.writeFileSync(task.resultFile, JSON.stringify(outcome));
}

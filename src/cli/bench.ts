import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { CommandSpec, runCommand } from "./command";

/**
 * `npm run bench`: synth wall time and peak memory of the compiled app (`node dist/main.js`, as
 * `cdktf synth` runs it) for the bundled example and for 1, 10 and 50 generated environments.
 * Each case runs in a fresh process in a scratch folder, several times; the median is reported.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..");
const MAIN = path.join(ROOT, "dist", "main.js");
const EXAMPLE = path.join(ROOT, "environments", "example.yaml");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Sample {
  wallMs: number;
  peakRssMb: number;
}

/**
 * Generated environments are the example with their own names: each its own DNS names and tunnel
 * hostname, and one of them managing the account's Session Manager preferences (synth refuses two
 * environments that would own one of those).
 */
function generatedEnvironment(text: string, index: number): string {
  const doc = parse(text);
  doc.webTier.domain = `app-${index}.example.com`;
  doc.cloudflareTunnel.ingress[0].hostname = `ssh-${index}.example.com`;
  if (index > 1) doc.access.sessionManager.preferences = "unmanaged";
  return stringify(doc);
}

function scratch(environments: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bench-"));
  fs.mkdirSync(path.join(dir, "environments"));
  const text = fs.readFileSync(EXAMPLE, "utf8");
  if (environments === 0) fs.writeFileSync(path.join(dir, "environments", "example.yaml"), text);
  for (let i = 1; i <= environments; i++) {
    fs.writeFileSync(path.join(dir, "environments", `env-${String(i).padStart(3, "0")}.yaml`), generatedEnvironment(text, i));
  }
  return dir;
}

/** Node reports its own peak RSS at exit; `script` empty measures node starting and doing nothing (`node -e 0`). */
function runOnce(dir: string, script = `require(${JSON.stringify(MAIN)});`): Sample {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["-e", `${script} process.on("exit", () => process.stderr.write("\\nmaxrss-kb " + process.resourceUsage().maxRSS + "\\n"));`], {
    cwd: dir,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`synth failed in ${dir}: ${run.stderr}`);
  const rss = /maxrss-kb (\d+)/.exec(run.stderr);
  return { wallMs, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, environments: number) {
  const dir = scratch(environments);
  runOnce(dir); // warm the file cache
  const samples = Array.from({ length: RUNS }, () => runOnce(dir));
  fs.rmSync(dir, { recursive: true, force: true });
  return { label, environments: Math.max(environments, 1), wallMs: median(samples.map((s) => s.wallMs)), peakRssMb: median(samples.map((s) => s.peakRssMb)) };
}

function main(): void {
  if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: run `npm run build` first");
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bench-node-"));
  runOnce(baseDir, "");
  const base = Array.from({ length: RUNS }, () => runOnce(baseDir, ""));
  const node = { wallMs: median(base.map((s) => s.wallMs)), peakRssMb: median(base.map((s) => s.peakRssMb)) };
  console.log(`node -e 0: ${node.wallMs.toFixed(0)} ms, ${node.peakRssMb.toFixed(0)} MB`);
  const results = ([["example", 0], ["1 generated", 1], ["10 generated", 10], ["50 generated", 50]] as const).map(([label, count]) => {
    const result = measure(label, count);
    console.log(`measured ${label}: ${result.wallMs.toFixed(0)} ms`);
    return result;
  });
  console.log(`\nnode ${process.version}, ${os.cpus().length} cores, median of ${RUNS} runs\n`);
  console.log("case            envs   wall ms  × node -e 0   peak RSS MB");
  for (const r of results) {
    console.log(`${r.label.padEnd(15)} ${String(r.environments).padStart(4)} ${r.wallMs.toFixed(0).padStart(9)} ${(r.wallMs / node.wallMs).toFixed(1).padStart(12)} ${r.peakRssMb.toFixed(0).padStart(13)}`);
  }
  const one = results[1];
  const fifty = results[3];
  const marginal = (fifty.wallMs - one.wallMs) / (fifty.environments - one.environments);
  console.log(`\nmarginal cost per extra environment: ${marginal.toFixed(1)} ms (from 1 to 50)`);
  console.log("goals: example <= 500 ms and <= 200 MB; <= 50 ms per extra environment");
}

export const BENCH_COMMAND: CommandSpec = {
  name: "bench",
  summary: "Measure synth wall time and peak memory of node dist/main.js (what cdktf synth runs) for the example and for 1, 10 and 50 generated environments, median of BENCH_RUNS runs (default 5), as ratios to node -e 0.",
  options: [],
};

runCommand(BENCH_COMMAND, process.argv.slice(2), () => {
  main();
  return 0;
}).then((code) => (process.exitCode = code));

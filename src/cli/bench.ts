import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { CommandSpec, ParsedCommand, booleanOption, runCommand } from "./command";

/**
 * `npm run bench`: the synth's speed and memory goals, each beside its measured value (median of several
 * runs) and its ratio to `node -e 0`, met or NOT met:
 *   (a) example synth through node, cold (cache off): wall ≤ 6× `node -e 0`, peak RSS ≤ 120 MB
 *   (b) marginal cost per extra environment, cold (cache off) ≤ 25 ms: (t50 − t10) / 40 (and (t10 − t1) / 9 shown)
 *   (c) 50 environments, cold (cache off) ≤ 2 s in all
 * Beside them, not goals: the example's and 50 environments' first synth with the cache on (it
 * stores its entries), what a project's first `npm run synth` costs.
 *   (d) re-synth when nothing changed (a second run into the same folder) ≤ 3× `node -e 0`
 *   (e) `npm run synth` with an up-to-date build ≤ 1 s
 * Every synth is `node dist/main.js` (what `cdktf synth` runs) in a fresh process; the generated
 * cases run in scratch folders, each cold run in a folder of its own. Progress goes to stderr (a
 * line as each case and run starts and ends, and every few seconds while one runs); the goals to
 * stdout, or JSON with --json.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..");
const MAIN = path.join(ROOT, "dist", "main.js");
const EXAMPLE = path.join(ROOT, "environments", "example.yaml");
const DEFAULT_RUNS = 5;
const HEARTBEAT_MS = 3000;
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

interface Sample {
  wallMs: number;
  peakRssMb: number;
}

interface CaseResult {
  id: string;
  label: string;
  environments?: number;
  runs: number;
  /** Medians; peak RSS is NaN when the process measured is not node itself (npm, npx). */
  wallMs: number;
  peakRssMb: number;
  samples: Sample[];
  error?: string;
  skipped?: string;
}

type GoalStatus = "met" | "NOT met" | "skipped (--quick)" | "not measured";

interface GoalResult {
  id: string;
  goal: string;
  limit: number;
  unit: "ms" | "MB";
  value?: number;
  /** value ÷ the same quantity for `node -e 0` (wall time, or peak RSS for the memory goal) */
  ratioToNode?: number;
  status: GoalStatus;
  note?: string;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** The child's environment: never the caller's selection, offline mode, output folder or cache setting (each case sets its own). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PRIVATE_ACCESS_ENVIRONMENTS;
  delete env.PRIVATE_ACCESS_OFFLINE;
  delete env.CDKTF_OUTDIR;
  delete env.PRIVATE_ACCESS_SYNTH_CACHE;
  return { ...env, ...extra };
}

/** Runs a process to its end, timing it; a line every few seconds while it runs. */
function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): Promise<{ wallMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-4000)));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const heartbeat = setInterval(() => progress(`    ${what}: still running, ${seconds(Number(process.hrtime.bigint() - started) / 1e6)}`), HEARTBEAT_MS);
    const timeout = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", (error) => {
      clearInterval(heartbeat);
      clearTimeout(timeout);
      reject(error);
    });
    child.on("close", (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(heartbeat);
      clearTimeout(timeout);
      if (code === 0) return resolve({ wallMs, stderr });
      const output = (stderr || stdout).replace(/\n?maxrss-kb \d+\n?/, "").trim().split("\n").slice(-5).join(" | ");
      reject(new Error(`${what} (in ${cwd}) ${signal ? `was killed (${signal})` : `exited ${code}`}: ${output}`));
    });
  });
}

/** Node reports its own peak RSS at exit; an empty `script` is node starting and doing nothing (`node -e 0`). */
async function nodeSample(dir: string, script: string, env: NodeJS.ProcessEnv, what: string): Promise<Sample> {
  const hook = `process.on("exit", () => process.stderr.write("\\nmaxrss-kb " + process.resourceUsage().maxRSS + "\\n"));`;
  const run = await timed(process.execPath, ["-e", `${script} ${hook}`], dir, env, what);
  const rss = /maxrss-kb (\d+)/.exec(run.stderr);
  return { wallMs: run.wallMs, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

const SYNTH = `require(${JSON.stringify(MAIN)});`;

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

/** A scratch project folder holding only environments/: the example (0) or `environments` generated ones. */
function scratch(environments: number, scratchRoot: string): string {
  const dir = fs.mkdtempSync(path.join(scratchRoot, `envs-${environments}-`));
  fs.mkdirSync(path.join(dir, "environments"));
  const text = fs.readFileSync(EXAMPLE, "utf8");
  if (environments === 0) fs.writeFileSync(path.join(dir, "environments", "example.yaml"), text);
  for (let i = 1; i <= environments; i++) {
    fs.writeFileSync(path.join(dir, "environments", `env-${String(i).padStart(3, "0")}.yaml`), generatedEnvironment(text, i));
  }
  return dir;
}

/** A fresh copy of a scratch folder's environments/, so a cold run finds no earlier output. */
function freshCopy(template: string, scratchRoot: string): string {
  const dir = fs.mkdtempSync(path.join(scratchRoot, "run-"));
  fs.cpSync(path.join(template, "environments"), path.join(dir, "environments"), { recursive: true });
  return dir;
}

function summarize(id: string, label: string, samples: Sample[], runs: number, environments?: number): CaseResult {
  return { id, label, environments, runs, wallMs: median(samples.map((s) => s.wallMs)), peakRssMb: median(samples.map((s) => s.peakRssMb)), samples };
}

const describeSample = (s: Sample) => (Number.isNaN(s.peakRssMb) ? ms(s.wallMs) : `${ms(s.wallMs)}, ${s.peakRssMb.toFixed(0)} MB`);

/** Runs `runs` samples of one case with its start, per-run and end lines; a failure is recorded, not thrown. */
async function runCase(id: string, label: string, runs: number, sample: (run: number, what: string) => Promise<Sample>, environments?: number, runLines = true): Promise<CaseResult> {
  progress(`> ${label}: ${runs} run${runs === 1 ? "" : "s"}`);
  const started = Date.now();
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const what = `${label}, run ${i + 1}/${runs}`;
      const s = await sample(i, what);
      samples.push(s);
      if (runLines) progress(`    run ${i + 1}/${runs}: ${describeSample(s)}`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`  ${label}: FAILED: ${message}`);
    return { ...summarize(id, label, samples, runs, environments), error: message };
  }
  const result = summarize(id, label, samples, runs, environments);
  progress(`  ${label}: median ${describeSample(result)} (case took ${seconds(Date.now() - started)})`);
  return result;
}

function skippedCase(id: string, label: string, environments: number, reason: string): CaseResult {
  progress(`> ${label}: ${reason}`);
  return { id, label, environments, runs: 0, wallMs: NaN, peakRssMb: NaN, samples: [], skipped: reason };
}

function goal(id: string, text: string, limit: number, unit: "ms" | "MB", value: number | undefined, base: number, extra: { skipped?: boolean; note?: string } = {}): GoalResult {
  if (extra.skipped) return { id, goal: text, limit, unit, status: "skipped (--quick)", note: extra.note };
  if (value === undefined || Number.isNaN(value)) return { id, goal: text, limit, unit, status: "not measured", note: extra.note };
  return { id, goal: text, limit, unit, value, ratioToNode: value / base, status: value <= limit ? "met" : "NOT met", note: extra.note };
}

interface Options {
  quick: boolean;
  json: boolean;
  cdktf: boolean;
}

async function bench(options: Options): Promise<number> {
  if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: run `npm run build` first");
  const fromEnv = process.env.BENCH_RUNS === undefined ? DEFAULT_RUNS : Number(process.env.BENCH_RUNS);
  if (!Number.isInteger(fromEnv) || fromEnv < 1) {
    console.error(`bench: BENCH_RUNS must be a whole number of at least 1, got "${process.env.BENCH_RUNS}"`);
    return 2;
  }
  const runs = options.quick ? 1 : fromEnv;
  const scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bench-"));
  const env = childEnv();
  // A cold synth: the synth cache neither read nor written.
  const coldEnv = { ...env, PRIVATE_ACCESS_SYNTH_CACHE: "0" };
  try {
    progress(`bench: node ${process.version}, ${os.cpus().length} cores, ${runs} run${runs === 1 ? "" : "s"} per case${options.quick ? " (--quick)" : ""}; scratch ${scratchRoot}`);

    // Warm the file cache (node, node_modules, dist) once, untimed.
    const warm = scratch(0, scratchRoot);
    progress("> warm-up: one example synth, not counted");
    await nodeSample(warm, SYNTH, env, "warm-up");
    await nodeSample(warm, "", env, "warm-up");

    const node = await runCase("node", "node -e 0", runs, (_, what) => nodeSample(warm, "", env, what));
    if (node.error) throw new Error(`node -e 0 failed: ${node.error}`);

    // (a) and (d): each run a fresh folder: a cold synth with the cache off (nothing reused, nothing
    // stored), then the first synth with the cache on (it stores its entries), then the re-synth,
    // which finds them.
    const exampleTemplate = scratch(0, scratchRoot);
    const first: Sample[] = [];
    const again: Sample[] = [];
    const example = await runCase(
      "example",
      "example, cold synth (cache off)",
      runs,
      async (run, what) => {
        const dir = freshCopy(exampleTemplate, scratchRoot);
        const cold = await nodeSample(dir, SYNTH, coldEnv, what);
        progress(`    run ${run + 1}/${runs}: cold ${describeSample(cold)}; now with the cache on, twice, in the same folder`);
        const stored = await nodeSample(dir, SYNTH, env, `${what}, first with the cache`);
        first.push(stored);
        const second = await nodeSample(dir, SYNTH, env, `${what}, re-synth`);
        progress(`    run ${run + 1}/${runs}: first with the cache ${describeSample(stored)}, re-synth ${describeSample(second)}`);
        again.push(second);
        return cold;
      },
      undefined,
      false,
    );
    const following = (id: string, label: string, samples: Sample[]): CaseResult =>
      example.error ? { ...summarize(id, label, samples, runs), error: example.error } : summarize(id, label, samples, runs);
    const stored = following("example-cache", "example, first synth with the cache on", first);
    const resynth = following("resynth", "example, re-synth (same folder)", again);
    if (!resynth.error) progress(`  first with the cache: median ${describeSample(stored)}; re-synth: median ${describeSample(resynth)}`);

    // (b) and (c): generated environments, each run cold (cache off) in a folder of its own; 50 also
    // with the cache on, the first synth of a project that has many environments.
    const generated: CaseResult[] = [];
    let manyStored: CaseResult | undefined;
    for (const count of [1, 10, 50]) {
      const label = `${count} generated environment${count === 1 ? "" : "s"}`;
      if (count === 50 && options.quick) {
        generated.push(skippedCase(`envs-${count}`, label, count, "skipped (--quick)"));
        continue;
      }
      const template = scratch(count, scratchRoot);
      generated.push(await runCase(`envs-${count}`, `${label} (cache off)`, runs, (_, what) => nodeSample(freshCopy(template, scratchRoot), SYNTH, coldEnv, what), count));
      if (count === 50) {
        manyStored = await runCase("envs-50-cache", `${label}, first with the cache on`, runs, (_, what) => nodeSample(freshCopy(template, scratchRoot), SYNTH, env, what), count);
      }
    }

    // (e): `npm run synth` in the project itself, the build up to date, output to a scratch folder.
    const outdir = (run: number, kind: string) => {
      const parent = path.join(scratchRoot, `out-${kind}-${run}`);
      fs.mkdirSync(parent, { recursive: true });
      return path.join(parent, "cdktf.out");
    };
    const outEnv = (run: number, kind: string) => childEnv({ CDKTF_OUTDIR: outdir(run, kind) });
    progress("> npm run --silent synth (project, output to a scratch folder): one run first, not counted (it builds if the build is stale)");
    const npmWarm = await timed("npm", ["run", "--silent", "synth"], ROOT, outEnv(0, "npm-warm"), "npm run synth, warm-up").catch((error: Error) => error);
    const npmSynth =
      npmWarm instanceof Error
        ? { ...summarize("npm-synth", "npm run --silent synth (project)", [], runs), error: npmWarm.message }
        : await runCase("npm-synth", "npm run --silent synth (project)", runs, async (run, what) => ({
            wallMs: (await timed("npm", ["run", "--silent", "synth"], ROOT, outEnv(run, "npm"), what)).wallMs,
            peakRssMb: NaN,
          }));
    if (npmSynth.error && npmWarm instanceof Error) progress(`  npm run synth: FAILED: ${npmSynth.error}`);
    const projectNode = await runCase("project-node", "node dist/main.js (project)", runs, (run, what) =>
      nodeSample(ROOT, SYNTH, outEnv(run, "node"), what),
    );

    // Optional: the cdktf CLI's own cost (it runs cdktf.json's "app": a full build, then node dist/main.js).
    let cdktf: CaseResult | undefined;
    if (options.cdktf) {
      cdktf = await runCase("cdktf-synth", "npx cdktf synth (project)", runs, async (run, what) => ({
        wallMs: (await timed("npx", ["--no-install", "cdktf", "synth", "--output", outdir(run, "cdktf")], ROOT, childEnv({ CHECKPOINT_DISABLE: "1" }), what)).wallMs,
        peakRssMb: NaN,
      }));
    }

    const [one, ten, fifty] = generated;
    const perEnv1to10 = (ten.wallMs - one.wallMs) / 9;
    const perEnv10to50 = (fifty.wallMs - ten.wallMs) / 40;
    const base = node.wallMs;
    const goals: GoalResult[] = [
      goal("a-wall", "(a) example synth, wall", 6 * base, "ms", example.wallMs, base, { note: "≤ 6× node -e 0" }),
      goal("a-rss", "(a) example synth, peak RSS", 120, "MB", example.peakRssMb, node.peakRssMb, { note: "≤ 120 MB" }),
      options.quick
        ? goal("b", "(b) marginal cost per extra environment", 25, "ms", perEnv1to10, base, { note: "≤ 25 ms; from 1 → 10 only, 10 → 50 skipped (--quick)" })
        : goal("b", "(b) marginal cost per extra environment", 25, "ms", perEnv10to50, base, { note: `≤ 25 ms; (t50 − t10) / 40; (t10 − t1) / 9 = ${Number.isNaN(perEnv1to10) ? "not measured" : `${perEnv1to10.toFixed(1)} ms`}` }),
      goal("c", "(c) 50 environments, in all", 2000, "ms", fifty.wallMs, base, { skipped: options.quick, note: "≤ 2 s" }),
      goal("d", "(d) re-synth, nothing changed", 3 * base, "ms", resynth.wallMs, base, { note: "≤ 3× node -e 0" }),
      goal("e", "(e) npm run synth, build up to date", 1000, "ms", npmSynth.wallMs, base, { note: "≤ 1 s" }),
    ];
    const cases = [node, example, stored, resynth, ...generated, ...(manyStored ? [manyStored] : []), npmSynth, projectNode, ...(cdktf ? [cdktf] : [])];
    const counted = goals.filter((g) => g.status !== "skipped (--quick)");
    const met = goals.filter((g) => g.status === "met").length;
    const skipped = goals.length - counted.length;
    const failed = cases.filter((c) => c.error);

    if (options.json) {
      const report = {
        node: { version: process.version, cores: os.cpus().length },
        runs,
        quick: options.quick,
        baseline: { wallMs: node.wallMs, peakRssMb: node.peakRssMb },
        cases,
        marginalPerEnvironmentMs: { from1to10: Number.isNaN(perEnv1to10) ? null : perEnv1to10, from10to50: Number.isNaN(perEnv10to50) ? null : perEnv10to50 },
        npmSynthOverheadMs: Number.isNaN(npmSynth.wallMs - projectNode.wallMs) ? null : npmSynth.wallMs - projectNode.wallMs,
        cdktfOverheadMs: cdktf && !Number.isNaN(cdktf.wallMs - projectNode.wallMs) ? cdktf.wallMs - projectNode.wallMs : null,
        goals,
        summary: { met, of: counted.length, skipped },
      };
      process.stdout.write(`${JSON.stringify(report, (_, value) => (typeof value === "number" && Number.isNaN(value) ? null : value), 2)}\n`);
      return failed.length > 0 ? 1 : 0;
    }

    const out = (line = "") => process.stdout.write(`${line}\n`);
    out();
    out(`node ${process.version}, ${os.cpus().length} cores, median of ${runs} run${runs === 1 ? "" : "s"}; node -e 0: ${ms(node.wallMs)}, ${node.peakRssMb.toFixed(0)} MB`);
    out();
    out(`${"case".padEnd(44)} ${"wall ms".padStart(9)} ${"× node -e 0".padStart(12)} ${"peak RSS MB".padStart(12)}`);
    for (const c of cases) {
      const wall = c.skipped ? c.skipped : c.error ? "FAILED" : c.wallMs.toFixed(0);
      const ratio = c.skipped || c.error ? "" : (c.wallMs / base).toFixed(1);
      const rss = c.skipped || c.error || Number.isNaN(c.peakRssMb) ? "" : c.peakRssMb.toFixed(0);
      out(`${c.label.slice(0, 44).padEnd(44)} ${wall.padStart(9)} ${ratio.padStart(12)} ${rss.padStart(12)}`.trimEnd());
    }
    if (!Number.isNaN(npmSynth.wallMs - projectNode.wallMs)) out(`npm run synth over node dist/main.js (npm + build check): ${ms(npmSynth.wallMs - projectNode.wallMs)}`);
    if (cdktf && !Number.isNaN(cdktf.wallMs - projectNode.wallMs)) out(`npx cdktf synth over node dist/main.js: ${ms(cdktf.wallMs - projectNode.wallMs)}`);
    out();
    out("synth speed and memory goals (medians):");
    for (const g of goals) {
      const value = g.value === undefined ? "" : g.unit === "MB" ? `${g.value.toFixed(0)} MB` : g.id === "b" ? `${g.value.toFixed(1)} ms` : ms(g.value);
      const limit = g.unit === "MB" ? `${g.limit.toFixed(0)} MB` : ms(g.limit);
      const ratio = g.ratioToNode === undefined ? "" : `${g.ratioToNode.toFixed(1)}×`;
      out(`  ${g.goal.padEnd(40)} limit ${limit.padStart(8)}  ${value.padStart(9)} ${ratio.padStart(7)}  ${g.status.padEnd(17)} ${g.note ?? ""}`.trimEnd());
    }
    out();
    out(`goals met: ${met} of ${counted.length}${skipped > 0 ? ` (${skipped} skipped (--quick))` : ""}`);
    for (const c of failed) out(`failed: ${c.label}: ${c.error}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(scratchRoot, { recursive: true, force: true });
  }
}

export const BENCH_COMMAND: CommandSpec = {
  name: "bench",
  summary:
    "Measure the synth's speed and memory goals and say met or NOT met for each: the example synth through node (wall ≤ 6× node -e 0, peak RSS ≤ 120 MB), the marginal cost per extra environment (≤ 25 ms, from 1, 10 and 50 generated environments), 50 environments (≤ 2 s), a re-synth with nothing changed (≤ 3× node -e 0), and npm run synth with the build up to date (≤ 1 s). Medians of BENCH_RUNS runs (default 5) in scratch folders; progress on stderr.",
  options: [
    { name: "quick", type: "boolean", description: "one run per case, and skip the 50-environment case" },
    { name: "json", type: "boolean", description: "print the results as JSON on stdout (progress stays on stderr)" },
    { name: "cdktf", type: "boolean", description: "also measure npx cdktf synth (slow: it runs a full build every time) and its overhead over node" },
  ],
  examples: ["npm run bench -- --quick", "BENCH_RUNS=9 npm run bench -- --json > bench.json"],
};

runCommand(BENCH_COMMAND, process.argv.slice(2), (args: ParsedCommand) =>
  bench({ quick: booleanOption(args, "quick"), json: booleanOption(args, "json"), cdktf: booleanOption(args, "cdktf") }),
).then((code) => (process.exitCode = code));

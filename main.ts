import * as fs from "node:fs";
import * as path from "node:path";
// Only node built-ins until the cache says a build is needed: cdktf, the providers and zod load in synth-run.
import { findEnvironmentFiles } from "./src/config/environment-files";
import { removeStaleStacks, writeFiles } from "./src/cli/output-folder";
import { printSynth } from "./src/cli/synth-print";
import { CacheOptions, buildFingerprint, findRequest, requestKey } from "./src/cli/synth-cache";
import { loadSynth } from "./src/cli/synth-load";
import { CommandSpec, HelpRequested, UsageError, parseCommand } from "./src/cli/command";

/**
 * The cdktf app. Environment variables (read here and nowhere in src/ or modules/):
 * - PRIVATE_ACCESS_ENVIRONMENTS: comma-separated environment names or files (default: every file in environments/)
 * - PRIVATE_ACCESS_OFFLINE=1: offline mode for tests and CI (never for real plans)
 * - CDKTF_OUTDIR: output folder, set by the cdktf CLI (default cdktf.out)
 * - PRIVATE_ACCESS_SYNTH_CACHE=0: build every stack, reusing nothing
 * - PRIVATE_ACCESS_SYNTH_WORKERS=N: worker processes for many environments (off by default)
 * - PRIVATE_ACCESS_SYNTH_BUNDLE=0: run the plain build, not the bundle (src/cli/synth-load.ts)
 * The `state-backend` stack is synthesized too when terraform-state-backend/backend.yaml exists.
 */
const STATE_BACKEND_FILE = "terraform-state-backend/backend.yaml";

const HELP = `usage: npm run synth   (or: node dist/main.js, cdktf synth)

Validates every environment file, synthesizes each environment's stacks, runs the guardrails, and
only then writes cdktf.out/ (a bad file changes nothing). Settings come from the environment:
  PRIVATE_ACCESS_ENVIRONMENTS=a,b   only these environments (names or files)
  PRIVATE_ACCESS_OFFLINE=1          offline mode for tests and CI: writes cdktf.out.offline/, never cdktf.out
  CDKTF_OUTDIR=DIR                  output folder (set by the cdktf CLI)
  PRIVATE_ACCESS_DEBUG=1            a stack trace on unexpected errors
  PRIVATE_ACCESS_SYNTH_WORKERS=N    build many environments in N worker processes (off by default; each
                                    gets at least 8 environments; needs the cache)
  PRIVATE_ACCESS_SYNTH_CACHE=0      build every stack (by default an environment whose file, boot script,
                                    program and options are unchanged reuses its stacks; an identical
                                    request republishes the previous output as it was)
  PRIVATE_ACCESS_SYNTH_BUNDLE=0     run the plain build (by default the one-file bundle npm run build makes
                                    runs through V8's code cache while it is the current program)
`;

/** Settings come from the environment: synth takes no option and no word (anything else is refused like every command does). */
const SYNTH_COMMAND: CommandSpec = { name: "synth", summary: "Synthesize every environment's stacks into cdktf.out/.", options: [] };

function main(): number {
  try {
    parseCommand(SYNTH_COMMAND, process.argv.slice(2));
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(HELP);
      return 0;
    }
    if (error instanceof UsageError) {
      console.error(`synth: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const selection = (process.env.PRIVATE_ACCESS_ENVIRONMENTS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const offline = process.env.PRIVATE_ACCESS_OFFLINE === "1";
  let outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  if (offline && path.resolve(outdir) === path.resolve("cdktf.out")) {
    // Offline output carries the provider's skip flags and a local backend: never where real plans run.
    outdir = "cdktf.out.offline";
    console.warn("offline mode: writing cdktf.out.offline/ (cdktf.out is left for real plans)");
  }
  const stateBackendFile = fs.existsSync(STATE_BACKEND_FILE) ? STATE_BACKEND_FILE : undefined;
  const workers = process.env.PRIVATE_ACCESS_SYNTH_WORKERS === undefined ? undefined : Number(process.env.PRIVATE_ACCESS_SYNTH_WORKERS);
  const request = { environmentsDir: "environments", selection, outdir, offline, stateBackendFile, workers, keepCreationStacks: process.env.PRIVATE_ACCESS_DEBUG === "1" };
  const cacheOptions: CacheOptions = {
    buildRoot: __dirname,
    lockFile: path.join(__dirname, "..", "package-lock.json"),
    cacheRoot: path.resolve("node_modules", ".cache", "private-access"),
  };
  // What changes an environment's stacks besides its file: offline mode and where the output sits.
  const environmentSettings = JSON.stringify({ offline, outdir: path.relative(process.cwd(), path.resolve(outdir)), hcl: process.env.SYNTH_HCL_OUTPUT ?? "" });
  const settings = JSON.stringify({ environmentSettings, selection });
  let key: string | undefined;
  let inputs: { environmentFiles: string[]; stateBackendFile?: string; settings: string } | undefined;
  if (process.env.PRIVATE_ACCESS_SYNTH_CACHE !== "0") {
    let files: string[] = [];
    try {
      files = findEnvironmentFiles(request.environmentsDir, selection);
    } catch {
      // A missing folder or name is reported by the full synth below.
    }
    if (files.length > 0) {
      inputs = { environmentFiles: files, stateBackendFile, settings };
      key = requestKey(cacheOptions, inputs);
      const hit = findRequest(cacheOptions, key);
      if (hit) {
        // Nothing it reads changed: the previous output, as it was (it passed validation and the guardrails then).
        writeFiles(hit.files, outdir);
        const removed = selection.length > 0 ? [] : removeStaleStacks(outdir, hit.result.stacks.map((stack) => stack.name));
        printSynth({ ...hit.result, removed });
        console.log("reused the previous synth: no environment file, boot script, program or option changed (PRIVATE_ACCESS_SYNTH_CACHE=0 builds everything)");
        return 0;
      }
    }
  }
  // From the bundle through V8's code cache when it is the current program, else the plain build.
  const { runSynth } = loadSynth(cacheOptions);
  const cache = process.env.PRIVATE_ACCESS_SYNTH_CACHE === "0" ? undefined : { options: { ...cacheOptions, fingerprint: buildFingerprint(cacheOptions) }, settings: environmentSettings, requestKey: key, requestInputs: inputs };
  return runSynth(request, cache, process.env.PRIVATE_ACCESS_DEBUG === "1");
}

process.exitCode = main();

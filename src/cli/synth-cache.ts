import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readTree } from "./output-folder";

/**
 * Synthesis reused when nothing it reads changed. Node built-ins only: main.ts consults it before
 * loading cdktf, the provider classes or zod, which is most of a synth's cost.
 *
 * Keys are content hashes of everything a synth reads: the compiled program (every file under
 * dist/) and the installed dependency set (package-lock.json), the options, each environment file
 * and the files it names (a boot script), and the state-backend file. Two levels:
 * - the whole request (every input the same): the previous output is published again as it was;
 * - one environment (its own inputs the same): its stacks are copied, only changed ones are built.
 * Entries live in node_modules/.cache/private-access/ of the working folder (the usual place for
 * tool caches); PRIVATE_ACCESS_SYNTH_CACHE=0 turns the cache off.
 */

const VERSION = "synth-cache-2";
const KEEP_REQUESTS = 4;
const KEEP_ENVIRONMENTS = 200;

export interface CacheOptions {
  /** The folder holding the compiled program (dist/). */
  readonly buildRoot: string;
  /** package-lock.json (the dependency versions), when there is one. */
  readonly lockFile?: string;
  /** Where entries live. */
  readonly cacheRoot: string;
  /**
   * buildFingerprint(), when the caller has it already: the synth bundle holds its own copy of
   * this module, which cannot see this one's memo (and worker processes get it with their task).
   */
  readonly fingerprint?: string;
}

/** Every part length-prefixed, so no two different part lists hash alike. */
const sha = (...parts: readonly (string | Buffer | undefined)[]) => {
  const hash = createHash("sha256");
  for (const part of parts) {
    if (part === undefined) hash.update("-;");
    else hash.update(`${typeof part === "string" ? "s" : "b"}${part.length}:`).update(part);
  }
  return hash.digest("hex");
};

const readOr = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);

/** One fingerprint per options object (one synth run): the build does not change under a run. */
const fingerprints = new WeakMap<CacheOptions, string>();

/** The compiled program and its dependencies: any change to either is a different synth. */
export function buildFingerprint(options: CacheOptions): string {
  const known = options.fingerprint ?? fingerprints.get(options);
  if (known) return known;
  const hash = createHash("sha256").update(VERSION);
  const walk = (dir: string) => {
    // Code-unit order: localeCompare would start ICU's collator (~8 ms) on every synth's critical path.
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".js")) hash.update(`${path.relative(options.buildRoot, full)}\0`).update(fs.readFileSync(full));
    }
  };
  walk(options.buildRoot);
  if (options.lockFile) hash.update(readOr(options.lockFile) ?? "(no lock file)");
  const fingerprint = hash.digest("hex");
  fingerprints.set(options, fingerprint);
  return fingerprint;
}

/** A file a synth read besides the environment files (a boot script), with the hash it had. */
export interface ExtraInput {
  readonly file: string;
  readonly sha: string;
}

export function extraInput(file: string, content?: string): ExtraInput {
  return { file, sha: sha(content ?? readOr(file)) };
}

function extrasUnchanged(extras: readonly ExtraInput[]): boolean {
  return extras.every((extra) => extraInput(extra.file).sha === extra.sha);
}

// ---------------------------------------------------------------- the whole request

export interface RequestInputs {
  readonly environmentFiles: readonly string[];
  readonly stateBackendFile?: string;
  /** Everything else that changes the output (offline, the output folder as seen from a stack …). */
  readonly settings: string;
}

/** What main prints and publishes for a reused request. */
export interface CachedRequest {
  readonly stacks: readonly { name: string; resources: number }[];
  readonly warnings: readonly string[];
  readonly summary: readonly string[];
  readonly extras: readonly ExtraInput[];
}

export function requestKey(options: CacheOptions, inputs: RequestInputs): string {
  return sha(
    buildFingerprint(options),
    inputs.settings,
    ...inputs.environmentFiles.flatMap((file) => [file, readOr(file)]),
    inputs.stateBackendFile,
    inputs.stateBackendFile ? readOr(inputs.stateBackendFile) : undefined,
  );
}

/**
 * A request entry is one file: what main printed, each environment's entry key (its stacks are
 * read from there), and the output's other files (manifest.json, the validated settings, the
 * state-backend stack). Nothing of a cold synth's output is copied twice.
 */
const requestFile = (options: CacheOptions, key: string) => path.join(options.cacheRoot, "requests", `${key}.json`);

interface StoredRequest {
  readonly result: CachedRequest;
  /** Environment name → its entry's key. */
  readonly environments: Readonly<Record<string, string>>;
  /** The output's files outside the environments' stacks: path → text. */
  readonly files: Readonly<Record<string, string>>;
}

/** The whole output of an identical request (path → text) and what to print, or undefined. */
export function findRequest(options: CacheOptions, key: string): { files: Record<string, string>; result: CachedRequest } | undefined {
  const file = requestFile(options, key);
  if (!fs.existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as StoredRequest;
    if (!extrasUnchanged(stored.result.extras)) return undefined;
    const files: Record<string, string> = { ...stored.files };
    for (const environmentKey of Object.values(stored.environments)) {
      // An environment entry pruned since: the request is built again (reusing what is left).
      const found = findEnvironment(options, environmentKey);
      if (!found) return undefined;
      for (const [stack, stackFiles] of Object.entries(found.files)) {
        for (const [relative, text] of Object.entries(stackFiles)) files[`stacks/${stack}/${relative}`] = text;
      }
    }
    const now = new Date();
    fs.utimesSync(file, now, now); // most recently used is kept longest
    return { files, result: stored.result };
  } catch {
    return undefined;
  }
}

/**
 * Records, in a pending entry for `key`, a synth's output (the staging folder, before it is
 * published): the environments' entry keys and every file outside their stacks (`environmentStacks`).
 */
export function stageRequestOutput(options: CacheOptions, key: string, output: string, environments: Readonly<Record<string, string>>, environmentStacks: ReadonlySet<string>): void {
  const files = readTree(output, "", (relative) => relative.startsWith("stacks/") && environmentStacks.has(relative.slice("stacks/".length)));
  const pending = `${requestFile(options, key)}.${process.pid}`;
  fs.mkdirSync(path.dirname(pending), { recursive: true });
  fs.writeFileSync(pending, JSON.stringify({ environments, files }));
}

/** Completes the pending entry with what main printed; only then can it be found. */
export function commitRequest(options: CacheOptions, key: string, result: CachedRequest): void {
  const file = requestFile(options, key);
  const pending = `${file}.${process.pid}`;
  if (!fs.existsSync(pending)) return;
  const staged = JSON.parse(fs.readFileSync(pending, "utf8")) as Omit<StoredRequest, "result">;
  fs.writeFileSync(pending, JSON.stringify({ result, ...staged }));
  replaceEntry(pending, file);
  prune(path.dirname(file), KEEP_REQUESTS);
}

// ---------------------------------------------------------------- one environment

/** What an environment's synth produced: its stacks' manifest entries and messages. */
export interface CachedEnvironment {
  readonly stacks: readonly { name: string; resources: number; manifest: unknown }[];
  readonly warnings: readonly string[];
  readonly extras: readonly ExtraInput[];
}

/** Each stack's files: stack name → path inside its folder → text. */
export type StackFiles = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** `text`: the bytes the loader parsed (not the file read again, which may have been saved since). */
export function environmentKey(options: CacheOptions, settings: string, file: string, name: string, text: string): string {
  return sha(buildFingerprint(options), settings, name, file, text);
}

/**
 * An environment entry is one file: a line of JSON (the entry, and each stored file's stack, path
 * and length), then the files' texts one after another as they are. Storing one costs one write
 * and one rename (a folder per stack cost a directory and a copy per file, on this project's
 * machines more than building the environment's plain data), and no text is escaped into JSON.
 */
const environmentFile = (options: CacheOptions, key: string) => path.join(options.cacheRoot, "environments", `${key}.entry`);

interface EntryHeader extends CachedEnvironment {
  readonly files: readonly { readonly stack: string; readonly path: string; readonly length: number }[];
}

export function findEnvironment(options: CacheOptions, key: string): { entry: CachedEnvironment; files: StackFiles } | undefined {
  const file = environmentFile(options, key);
  if (!fs.existsSync(file)) return undefined;
  try {
    const content = fs.readFileSync(file, "utf8");
    const headerEnd = content.indexOf("\n");
    const { files: stored, ...entry } = JSON.parse(content.slice(0, headerEnd)) as EntryHeader;
    const files: Record<string, Record<string, string>> = {};
    let at = headerEnd + 1;
    for (const { stack, path: relative, length } of stored) {
      (files[stack] ??= {})[relative] = content.slice(at, at + length);
      at += length;
    }
    // An entry cut short, or missing a stack's files, is not one.
    if (at !== content.length || !entry.stacks.every((stack) => files[stack.name]?.["cdk.tf.json"] !== undefined)) return undefined;
    if (!extrasUnchanged(entry.extras)) return undefined;
    const now = new Date();
    fs.utimesSync(file, now, now); // most recently used is kept longest
    return { entry, files };
  } catch {
    return undefined;
  }
}

/** Stores the stack folders `stackDirs` (name → folder) of one environment. */
export function storeEnvironment(options: CacheOptions, key: string, stackDirs: Readonly<Record<string, string>>, entry: CachedEnvironment): void {
  const file = environmentFile(options, key);
  const texts: string[] = [];
  const files: EntryHeader["files"][number][] = [];
  for (const [stack, folder] of Object.entries(stackDirs)) {
    for (const [relative, text] of Object.entries(readTree(folder))) {
      files.push({ stack, path: relative, length: text.length });
      texts.push(text);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify({ ...entry, files })}\n${texts.join("")}`);
  replaceEntry(temporary, file);
}

/** After a synth has copied what it reused: keeps the most recently used environment entries. */
export function pruneEnvironments(options: CacheOptions): void {
  const dir = path.join(options.cacheRoot, "environments");
  if (fs.existsSync(dir)) prune(dir, KEEP_ENVIRONMENTS);
}

// ---------------------------------------------------------------- files

/**
 * Puts a finished entry (a folder or a file) in place. Another synth in the same folder may have
 * stored the same key meanwhile (same inputs, same content): then this copy is simply dropped.
 */
function replaceEntry(pending: string, entry: string): void {
  try {
    fs.rmSync(entry, { recursive: true, force: true });
    fs.renameSync(pending, entry);
  } catch {
    fs.rmSync(pending, { recursive: true, force: true });
  }
}

/** An entry used this recently may be in use by another synth in the same folder: never pruned. */
const IN_USE_MS = 10 * 60 * 1000;
/** Pending copies (`<key>.<pid>`) of synths that died are removed after this. */
const ABANDONED_MS = 60 * 60 * 1000;

/** A finished entry: a key, with the extension of its kind (none: a folder of an earlier version). */
const ENTRY_NAME = /^[0-9a-f]{64}(\.json|\.entry)?$/;
/** A pending copy: an entry's name and the pid of the synth writing it. */
const PENDING_NAME = /^[0-9a-f]{64}(\.json|\.entry)?\.\d+$/;

/** Keeps the `keep` most recently used entries of `dir`, and removes abandoned pending copies. */
function prune(dir: string, keep: number): void {
  const now = Date.now();
  const entries = fs.readdirSync(dir).map((name) => ({ name, full: path.join(dir, name), used: fs.statSync(path.join(dir, name)).mtimeMs }));
  for (const pending of entries.filter((e) => PENDING_NAME.test(e.name) && now - e.used > ABANDONED_MS)) fs.rmSync(pending.full, { recursive: true, force: true });
  const finished = entries.filter((e) => ENTRY_NAME.test(e.name)).sort((a, b) => b.used - a.used);
  for (const stale of finished.slice(keep).filter((e) => now - e.used > IN_USE_MS)) fs.rmSync(stale.full, { recursive: true, force: true });
}

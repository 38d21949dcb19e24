import * as fs from "node:fs";
import * as path from "node:path";

/** The output folder's file work, shared by a full synth and a reused one (node built-ins only). */

/**
 * With every environment synthesized, a stack folder nothing produced belongs to a deleted
 * environment: a loop over cdktf.out/stacks/* would still plan it. Only folders this project
 * wrote (holding cdk.tf.json) are removed.
 */
export function removeStaleStacks(outdir: string, current: readonly string[]): string[] {
  const folder = path.join(outdir, "stacks");
  if (!fs.existsSync(folder)) return [];
  const stale = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.includes(entry.name) && fs.existsSync(path.join(folder, entry.name, "cdk.tf.json")))
    .map((entry) => path.join(folder, entry.name));
  for (const dir of stale) fs.rmSync(dir, { recursive: true, force: true });
  // Their validated settings too: `npm run verify` declares paths from every file there.
  const settings = path.join(outdir, "environments");
  const environments = new Set(current.map((stack) => stack.replace(/-(aws|cloudflare)$/, "")));
  if (fs.existsSync(settings)) {
    for (const file of fs.readdirSync(settings)) {
      if (file.endsWith(".json") && !environments.has(file.slice(0, -".json".length))) fs.rmSync(path.join(settings, file));
    }
  }
  return stale;
}

export function countResources(json: { resource?: Record<string, Record<string, unknown>> }): number {
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/**
 * Moves the staged output `from` into `to` file by file, so `.terraform/` folders already there
 * survive: each file is renamed into place, and a folder `to` lacks is moved whole. `from` is left
 * with empty folders only.
 */
export function publish(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    const existing = fs.statSync(target, { throwIfNoEntry: false });
    if (entry.isDirectory() && existing?.isDirectory()) publish(source, target);
    else {
      try {
        fs.renameSync(source, target);
      } catch {
        // Another file system (an output folder mounted elsewhere): copied.
        if (entry.isDirectory()) copyTree(source, target);
        else fs.copyFileSync(source, target);
      }
    }
  }
}

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else fs.copyFileSync(source, target);
  }
}

/** Writes stored files (path inside `folder` → text) into `folder`, replacing files already there. */
export function writeFiles(files: Readonly<Record<string, string>>, folder: string): void {
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(folder, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

/** Every file under `folder`, path inside it → text; `skip`: folders (by path inside it) not read. */
export function readTree(folder: string, prefix = "", skip: (relative: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skip(relative)) Object.assign(out, readTree(folder, relative, skip));
    } else out[relative] = fs.readFileSync(path.join(folder, relative), "utf8");
  }
  return out;
}

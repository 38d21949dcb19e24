import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tree } from "./helpers/file-tree";

/** The synth cache (src/cli/synth-cache.ts) and the worker processes that fill it: reuse changes nothing in the output. */
const ROOT = path.join(__dirname, "..");

describe("the synth cache reuses exactly what did not change", () => {
  const { synthesize } = require("../src/cli/synth") as typeof import("../src/cli/synth");
  const { stringify, parse } = require("yaml") as typeof import("yaml");
  let root: string;
  const example = fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8");
  const writeEnv = (name: string, edit: (doc: any) => void = () => {}) => {
    const doc = parse(example);
    doc.webTier.domain = `${name}.example.com`;
    doc.cloudflareTunnel.ingress[0].hostname = `ssh-${name}.example.com`;
    if (name !== "alpha") doc.access.sessionManager.preferences = "unmanaged";
    edit(doc);
    fs.writeFileSync(path.join(root, "environments", `${name}.yaml`), stringify(doc));
  };
  const options = () => ({ buildRoot: path.join(root, "build"), cacheRoot: path.join(root, "cache") });
  const run = (outdir: string, cacheOptions = options()) =>
    synthesize(
      { environmentsDir: path.join(root, "environments"), outdir: path.join(root, outdir), offline: false, stateBackendFile: path.join(ROOT, "terraform-state-backend", "backend.yaml") },
      cacheOptions ? { options: cacheOptions, settings: "test" } : undefined,
    );
  const cold = (outdir: string) =>
    synthesize({ environmentsDir: path.join(root, "environments"), outdir: path.join(root, outdir), offline: false, stateBackendFile: path.join(ROOT, "terraform-state-backend", "backend.yaml") });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pa-cache-"));
    fs.mkdirSync(path.join(root, "environments"));
    fs.mkdirSync(path.join(root, "build"));
    fs.writeFileSync(path.join(root, "build", "main.js"), "// build 1\n");
    writeEnv("alpha");
    writeEnv("bravo");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("an unchanged environment reuses its stacks, a changed one is built again, and the output is what a cold synth writes", () => {
    expect(run("out").reusedEnvironments).toEqual([]);
    const first = tree(path.join(root, "out"));
    expect(run("out").reusedEnvironments).toEqual(["alpha", "bravo"]);
    expect(tree(path.join(root, "out"))).toEqual(first);

    writeEnv("bravo", (doc) => (doc.tags.Owner = "another-team"));
    const result = run("out");
    expect(result.reusedEnvironments).toEqual(["alpha"]);
    cold("cold");
    const cached = tree(path.join(root, "out"));
    expect(cached).toEqual(tree(path.join(root, "cold")));
    // bravo's stacks changed (its tag), alpha's are the very files of the first synth.
    expect(cached["stacks/bravo-aws/cdk.tf.json"]).not.toEqual(first["stacks/bravo-aws/cdk.tf.json"]);
    expect(cached["stacks/bravo-aws/cdk.tf.json"]).toContain("another-team");
    expect(cached["stacks/alpha-aws/cdk.tf.json"]).toEqual(first["stacks/alpha-aws/cdk.tf.json"]);
    expect(result.stacks.map((s) => s.name)).toEqual(["alpha-aws", "alpha-cloudflare", "bravo-aws", "bravo-cloudflare", "state-backend"]);
  });

  it("stores each environment as one file, and builds again from an entry cut short or naming no AWS stack file", () => {
    run("out");
    const entries = fs.readdirSync(path.join(root, "cache", "environments"));
    expect(entries).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.entry$/), expect.stringMatching(/^[0-9a-f]{64}\.entry$/)]);
    const first = tree(path.join(root, "out"));
    // Cut alpha's entry short by one character.
    const alpha = entries.map((name) => path.join(root, "cache", "environments", name)).find((file) => fs.readFileSync(file, "utf8").split("\n")[0].includes('"alpha-aws"'))!;
    const text = fs.readFileSync(alpha, "utf8");
    fs.writeFileSync(alpha, text.slice(0, -1));
    expect(run("out").reusedEnvironments).toEqual(["bravo"]);
    expect(tree(path.join(root, "out"))).toEqual(first);
    // Rebuilt and stored again whole; a header naming no AWS stack file is refused too.
    expect(fs.readFileSync(alpha, "utf8")).toEqual(text);
    const [header, ...rest] = text.split("\n");
    const parsed = JSON.parse(header);
    parsed.files = parsed.files.map((f: { stack: string; path: string }) => (f.stack === "alpha-aws" ? { ...f, path: "other.json" } : f));
    fs.writeFileSync(alpha, [JSON.stringify(parsed), ...rest].join("\n"));
    expect(run("out").reusedEnvironments).toEqual(["bravo"]);
    expect(tree(path.join(root, "out"))).toEqual(first);
  });

  it("a changed boot script rebuilds only the environment that reads it", () => {
    fs.writeFileSync(path.join(root, "boot.sh"), "echo one\n");
    writeEnv("alpha", (doc) => (doc.webTier.servers.bootScriptFile = path.join(root, "boot.sh")));
    run("out");
    fs.writeFileSync(path.join(root, "boot.sh"), "echo two\n");
    expect(run("out").reusedEnvironments).toEqual(["bravo"]);
    cold("cold");
    expect(tree(path.join(root, "out"))).toEqual(tree(path.join(root, "cold")));
  });

  it("a changed program (any file of the build) rebuilds everything", () => {
    run("out");
    fs.writeFileSync(path.join(root, "build", "main.js"), "// build 2\n");
    expect(run("out").reusedEnvironments).toEqual([]);
  });

  it("a removed environment leaves the others reused and its stacks removed", () => {
    run("out");
    fs.rmSync(path.join(root, "environments", "bravo.yaml"));
    const result = run("out");
    expect(result.reusedEnvironments).toEqual(["alpha"]);
    expect(result.removed.map((dir) => path.basename(dir)).sort()).toEqual(["bravo-aws", "bravo-cloudflare"]);
    cold("cold");
    expect(tree(path.join(root, "out"))).toEqual(tree(path.join(root, "cold")));
  });
});

describe("worker processes (PRIVATE_ACCESS_SYNTH_WORKERS) through the compiled app", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const { stringify, parse } = require("yaml") as typeof import("yaml");
  const MAIN = path.join(ROOT, "dist", "main.js");

  it("build the same output as one process with no cache, byte for byte", () => {
    if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: npm test builds it first");
    const example = fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8");
    const project = (name: string) => {
      const dir = path.join(scratch, name);
      fs.mkdirSync(path.join(dir, "environments"), { recursive: true });
      for (let i = 1; i <= 16; i++) {
        const doc = parse(example);
        doc.webTier.domain = `app-${i}.example.com`;
        doc.cloudflareTunnel.ingress[0].hostname = `ssh-${i}.example.com`;
        if (i > 1) doc.access.sessionManager.preferences = "unmanaged";
        fs.writeFileSync(path.join(dir, "environments", `env-${String(i).padStart(2, "0")}.yaml`), stringify(doc));
      }
      return dir;
    };
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-workers-"));
    try {
      const withWorkers = project("workers");
      const single = project("single");
      const a = spawnSync(process.execPath, [MAIN], { cwd: withWorkers, env: { ...process.env, PRIVATE_ACCESS_SYNTH_WORKERS: "2" }, encoding: "utf8" });
      const b = spawnSync(process.execPath, [MAIN], { cwd: single, env: { ...process.env, PRIVATE_ACCESS_SYNTH_CACHE: "0" }, encoding: "utf8" });
      expect([a.status, b.status]).toEqual([0, 0]);
      // Two workers built every environment: none is reported as reused.
      expect(a.stdout).toContain("built 16 environment(s) in 2 worker processes");
      expect(a.stdout).not.toContain("reused");
      expect(a.stdout.replace(/^built 16 environment\(s\) in 2 worker processes\n/m, "")).toEqual(b.stdout);
      expect(tree(path.join(withWorkers, "cdktf.out"))).toEqual(tree(path.join(single, "cdktf.out")));
      expect(Object.keys(tree(path.join(single, "cdktf.out"))).filter((f) => f.endsWith("cdk.tf.json"))).toHaveLength(32);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the compiled app republishes an identical request, and only that", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const MAIN = path.join(ROOT, "dist", "main.js");
  const REUSED = "reused the previous synth";

  it("reuses when nothing changed and rebuilds when the state-backend file, the selection, offline mode or the output folder changes", () => {
    if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: npm test builds it first");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-fast-"));
    try {
      fs.mkdirSync(path.join(dir, "environments"));
      fs.mkdirSync(path.join(dir, "terraform-state-backend"));
      fs.copyFileSync(path.join(ROOT, "environments", "example.yaml"), path.join(dir, "environments", "example.yaml"));
      fs.copyFileSync(path.join(ROOT, "terraform-state-backend", "backend.yaml"), path.join(dir, "terraform-state-backend", "backend.yaml"));
      const synth = (env: Record<string, string> = {}) => {
        const run = spawnSync(process.execPath, [MAIN], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
        expect(run.status).toBe(0);
        return run.stdout;
      };
      expect(synth()).not.toContain(REUSED);
      const first = tree(path.join(dir, "cdktf.out"));
      const again = synth();
      expect(again).toContain(REUSED);
      expect(again).toContain("synthesized example-aws: ");
      expect(tree(path.join(dir, "cdktf.out"))).toEqual(first);
      // The published files share nothing with the stored ones: a file edited in place (same inode) is put back as it was.
      fs.writeFileSync(path.join(dir, "cdktf.out", "stacks", "example-aws", "cdk.tf.json"), "edited in place");
      expect(synth()).toContain(REUSED);
      expect(tree(path.join(dir, "cdktf.out"))).toEqual(first);

      // The request entry is one file naming the environment's entry; with that entry gone the request is built again.
      const cache = path.join(dir, "node_modules", ".cache", "private-access");
      expect(fs.readdirSync(path.join(cache, "requests"))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
      for (const entry of fs.readdirSync(path.join(cache, "environments"))) fs.rmSync(path.join(cache, "environments", entry));
      expect(synth()).not.toContain(REUSED);
      expect(tree(path.join(dir, "cdktf.out"))).toEqual(first);
      expect(synth()).toContain(REUSED);

      fs.appendFileSync(path.join(dir, "terraform-state-backend", "backend.yaml"), "# a comment changes the bytes\n");
      expect(synth()).not.toContain(REUSED);
      expect(synth({ PRIVATE_ACCESS_ENVIRONMENTS: "example" })).not.toContain(REUSED);
      expect(synth({ PRIVATE_ACCESS_OFFLINE: "1" })).not.toContain(REUSED);
      expect(synth({ CDKTF_OUTDIR: "elsewhere" })).not.toContain(REUSED);
      expect(synth()).toContain(REUSED);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../src/stacks/app";
import { StandaloneStack } from "../src/stacks/standalone-stack";
import { withoutCreationStacks } from "../src/stacks/creation-stacks";
import { withPlainValueResolve } from "../src/stacks/plain-value-resolve";
import { exampleWith } from "./helpers/environment";
import { loadStateBackendConfig } from "../terraform-state-backend/config";

const ROOT = path.join(__dirname, "..");

/** Every file under `dir`, relative path → contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out[rel] = fs.readFileSync(path.join(dir, rel), "utf8");
    }
  };
  walk("");
  return out;
}

/** `asCdktf`: cdktf's own preparing pass, token creation stacks and resolve walk; otherwise this project's shortcuts. */
function synthInto(outdir: string, asCdktf: boolean): Record<string, string> {
  const prepareAsCdktfDoes = asCdktf;
  StandaloneStack.prepareAsCdktfDoes = prepareAsCdktfDoes;
  try {
    const environments = [exampleWith(), exampleWith((doc) => {
      doc.webTier.domain = "app2.example.com";
      doc.cloudflareTunnel.ingress[0].hostname = "ssh2.example.com";
      doc.access.sessionManager.preferences = "unmanaged";
    }, "second")];
    const stateBackend = loadStateBackendConfig(path.join(ROOT, "terraform-state-backend", "backend.yaml"));
    withoutCreationStacks(asCdktf, () =>
      withPlainValueResolve(asCdktf, () => buildApp(environments, outdir, { offline: false, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "../../.." }, stateBackend).app.synth()),
    );
    return tree(outdir);
  } finally {
    StandaloneStack.prepareAsCdktfDoes = false;
  }
}

describe("synth shortcuts change nothing in the output", () => {
  it("skipping cdktf's preparing pass, its token creation stacks and its per-key resolve of plain data gives byte-identical output for every stack", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-speed-"));
    try {
      const asCdktf = synthInto(path.join(scratch, "cdktf"), true);
      const fast = synthInto(path.join(scratch, "fast"), false);
      expect(Object.keys(asCdktf).filter((file) => file.endsWith("cdk.tf.json")).sort()).toEqual([
        "stacks/example-aws/cdk.tf.json",
        "stacks/example-cloudflare/cdk.tf.json",
        "stacks/second-aws/cdk.tf.json",
        "stacks/second-cloudflare/cdk.tf.json",
        "stacks/state-backend/cdk.tf.json",
      ]);
      expect(fast).toEqual(asCdktf);
      // The stacks share nothing through Terraform: no remote state was needed.
      expect(Object.values(fast).some((text) => text.includes("terraform_remote_state"))).toBe(false);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("restores V8's stack traces after synth (errors elsewhere keep theirs)", () => {
    const before = Error.prepareStackTrace;
    withoutCreationStacks(false, () => expect(new Error("inside").stack).toBe(""));
    expect(Error.prepareStackTrace).toBe(before);
    expect(new Error("after").stack).toContain("after");
  });
});

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

describe("a reference to another stack is caught at synth (the preparing pass that would make it remote state is skipped)", () => {
  const { App, TerraformOutput } = require("cdktf") as typeof import("cdktf");
  const { danglingReferences } = require("../src/stacks/dangling-references") as typeof import("../src/stacks/dangling-references");
  const { SsmParameter } = require("@cdktf/provider-aws/lib/ssm-parameter") as typeof import("@cdktf/provider-aws/lib/ssm-parameter");
  class Plain extends StandaloneStack {}

  it("names the undeclared resource, and finds nothing in the example's stacks", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-dangling-"));
    try {
      const app = new App({ outdir, skipValidation: true });
      const a = new Plain(app, "a");
      const parameter = new SsmParameter(a, "p", { name: "/x", type: "String", value: "v" });
      const b = new Plain(app, "b");
      new SsmParameter(b, "q", { name: "/y", type: "String", value: parameter.arn });
      new TerraformOutput(b, "o", { value: parameter.name });
      app.synth();
      const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(danglingReferences(read("a"))).toEqual([]);
      expect(danglingReferences(read("b"))).toEqual([expect.stringMatching(/^aws_ssm_parameter\.p(_[0-9A-F]+)?$/)]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const example = synthInto(fs.mkdtempSync(path.join(os.tmpdir(), "pa-dangling-ex-")), false);
    for (const [file, text] of Object.entries(example)) if (file.endsWith("cdk.tf.json")) expect([file, danglingReferences(JSON.parse(text))]).toEqual([file, []]);
  });
});

describe("the synth bundle (dist/bundle/synth.cjs through V8's code cache) writes what the plain build writes", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const { stringify, parse } = require("yaml") as typeof import("yaml");
  const MAIN = path.join(ROOT, "dist", "main.js");
  const example = fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8");
  const variant = (edit: (doc: any) => void) => {
    const doc = parse(example);
    edit(doc);
    return stringify(doc);
  };
  /** Several environments that load different parts of the program (features on and off, another backend). */
  const ENVIRONMENTS: Record<string, string> = {
    "example.yaml": example,
    "lean.yaml": variant((doc) => {
      doc.network.natGateways = "per-az";
      doc.webTier.domain = "lean.example.com";
      doc.webTier.edge.enabled = false;
      delete doc.dataTier;
      doc.access.clientVpn.enabled = false;
      doc.access.bastion.enabled = false;
      doc.access.sessionManager.preferences = "unmanaged";
      doc.cloudflareTunnel.enabled = false;
    }),
    "remote-state.yaml": variant((doc) => {
      doc.webTier.domain = "state.example.com";
      doc.cloudflareTunnel.ingress[0].hostname = "ssh-state.example.com";
      doc.access.sessionManager.preferences = "unmanaged";
      doc.backend = { type: "s3", bucket: "acme-terraform-state", region: "ap-northeast-2", locking: "lockfile", kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
    }),
  };
  let scratch: string;

  /** A project folder with `files` in environments/ and the state-backend file. */
  const project = (name: string, files: Record<string, string>) => {
    const dir = path.join(scratch, name);
    fs.mkdirSync(path.join(dir, "environments"), { recursive: true });
    fs.mkdirSync(path.join(dir, "terraform-state-backend"));
    fs.copyFileSync(path.join(ROOT, "terraform-state-backend", "backend.yaml"), path.join(dir, "terraform-state-backend", "backend.yaml"));
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "environments", file), text);
    return dir;
  };
  /** `node dist/main.js` (the synth cache off: every stack built); the loader's line is taken off stderr. */
  const synth = (main: string, cwd: string, env: Record<string, string> = {}) => {
    const run = spawnSync(process.execPath, [main], { cwd, env: { ...process.env, PRIVATE_ACCESS_SYNTH_CACHE: "0", PRIVATE_ACCESS_SYNTH_BUNDLE_VERBOSE: "1", ...env }, encoding: "utf8" });
    const loader = run.stderr.split("\n").filter((line) => line.startsWith("synth-load: "));
    return { status: run.status, stdout: run.stdout, stderr: run.stderr.split("\n").filter((line) => !line.startsWith("synth-load: ")).join("\n"), loader };
  };
  /** Both ways in folders of their own; returns the bundle run's loader line. */
  const sameBothWays = (name: string, files: Record<string, string>, env: Record<string, string> = {}, outdir = "cdktf.out") => {
    const bundled = synth(MAIN, project(`${name}-bundle`, files), env);
    const plain = synth(MAIN, project(`${name}-plain`, files), { ...env, PRIVATE_ACCESS_SYNTH_BUNDLE: "0" });
    expect([bundled.status, plain.status]).toEqual([0, 0]);
    expect(plain.loader).toEqual(["synth-load: plain build: turned off (PRIVATE_ACCESS_SYNTH_BUNDLE=0 or PRIVATE_ACCESS_DEBUG=1)"]);
    expect(bundled.stdout).toEqual(plain.stdout);
    expect(bundled.stderr).toEqual(plain.stderr);
    const a = tree(path.join(scratch, `${name}-bundle`, outdir));
    expect(a).toEqual(tree(path.join(scratch, `${name}-plain`, outdir)));
    return { loader: bundled.loader, files: a };
  };

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, "dist", "bundle", "synth.json"))) throw new Error("dist/bundle/synth.json is missing: npm test builds it first (npm run build)");
  });
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bundle-"))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("for the example, byte for byte, with the same messages", () => {
    const { loader, files } = sameBothWays("example", { "example.yaml": example });
    expect(loader).toEqual([expect.stringMatching(/^synth-load: bundle, code cache (none yet|used|rejected by V8)$/)]);
    expect(Object.keys(files).filter((file) => file.endsWith("cdk.tf.json")).sort()).toEqual(["stacks/example-aws/cdk.tf.json", "stacks/example-cloudflare/cdk.tf.json", "stacks/state-backend/cdk.tf.json"]);
    // The first run wrote the code cache; from then on it is used.
    expect(synth(MAIN, path.join(scratch, "example-bundle")).loader).toEqual(["synth-load: bundle, code cache used"]);
  });

  it("for several environments at once (features off, per-AZ NAT, an S3 backend), online and offline", () => {
    const online = sameBothWays("several", ENVIRONMENTS);
    expect(Object.keys(online.files).filter((file) => file.endsWith("cdk.tf.json")).sort()).toEqual([
      "stacks/example-aws/cdk.tf.json",
      "stacks/example-cloudflare/cdk.tf.json",
      "stacks/lean-aws/cdk.tf.json",
      "stacks/remote-state-aws/cdk.tf.json",
      "stacks/remote-state-cloudflare/cdk.tf.json",
      "stacks/state-backend/cdk.tf.json",
    ]);
    expect(online.loader[0]).toMatch(/^synth-load: bundle/);
    // PRIVATE_ACCESS_DEBUG=1: cdktf's own resolve walk and token creation stacks write the same stacks.
    const debug = synth(MAIN, project("several-debug", ENVIRONMENTS), { PRIVATE_ACCESS_DEBUG: "1" });
    expect(debug.status).toBe(0);
    expect(tree(path.join(scratch, "several-debug", "cdktf.out"))).toEqual(online.files);
    expect(sameBothWays("offline", ENVIRONMENTS, { PRIVATE_ACCESS_OFFLINE: "1" }, "cdktf.out.offline").loader[0]).toMatch(/^synth-load: bundle/);
  });

  it("the same bad-input lines and exit code", () => {
    const bad = { "example.yaml": example.replace("172.16.32.0/20", "10.0.300.0/24") };
    const bundled = synth(MAIN, project("bad-bundle", bad));
    const plain = synth(MAIN, project("bad-plain", bad), { PRIVATE_ACCESS_SYNTH_BUNDLE: "0" });
    expect(bundled.loader[0]).toMatch(/^synth-load: bundle/);
    expect([bundled.status, bundled.stdout, bundled.stderr]).toEqual([1, "", "environments/example.yaml: network.subnets[2].cidr 10.0.300.0/24 is not a valid IPv4 CIDR (each part 0-255, prefix 0-32)\n"]);
    expect([plain.status, plain.stdout, plain.stderr]).toEqual([bundled.status, bundled.stdout, bundled.stderr]);
  });

  it("keeps out what synth never loads", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "dist", "bundle", "synth.json"), "utf8"));
    const bundle = fs.readFileSync(path.join(ROOT, "dist", "bundle", manifest.bundle.file), "latin1");
    // Module paths esbuild leaves as comments-free keys of its wrappers.
    for (const never of ["node_modules/@cloud-copilot/", "node_modules/playwright-core/", "node_modules/archiver/", "cdktf/lib/private/fs.js", "node_modules/semver/"]) {
      expect([never, bundle.includes(never)]).toEqual([never, false]);
    }
    expect(bundle).toContain("node_modules/cdktf/lib/app.js");
  });
});

describe("a stale bundle is never run: change a source, rebuild, the output changes", () => {
  const { spawnSync, execFileSync } = require("node:child_process") as typeof import("node:child_process");
  const tscManifest = require.resolve("typescript/package.json", { paths: [ROOT] });
  const bin = (require(tscManifest) as { bin: Record<string, string> }).bin.tsc;
  const TSC = path.join(path.dirname(tscManifest), bin);

  it("runs the plain build after a tsc on its own or a changed lock file, the bundle again once it is rebuilt, and rewrites a code cache V8 rejects", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pa-stale-"));
    try {
      // A copy of the project's sources (node_modules shared), built as npm run build does.
      for (const entry of ["main.ts", "src", "modules", "terraform-state-backend", "scripts", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"]) {
        fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
      }
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
      const tsc = () => execFileSync(process.execPath, [TSC, "-p", "tsconfig.build.json"], { cwd: copy, stdio: "pipe" });
      const bundle = () => execFileSync(process.execPath, [path.join(copy, "scripts", "bundle.js")], { cwd: copy, stdio: "pipe" });
      const work = path.join(copy, "work");
      fs.mkdirSync(path.join(work, "environments"), { recursive: true });
      fs.copyFileSync(path.join(ROOT, "environments", "example.yaml"), path.join(work, "environments", "example.yaml"));
      const synth = () => {
        const run = spawnSync(process.execPath, [path.join(copy, "dist", "main.js")], { cwd: work, env: { ...process.env, PRIVATE_ACCESS_SYNTH_CACHE: "0", PRIVATE_ACCESS_SYNTH_BUNDLE_VERBOSE: "1" }, encoding: "utf8" });
        expect(run.status).toBe(0);
        return { loader: run.stderr.split("\n").filter((line) => line.startsWith("synth-load: ")), stack: fs.readFileSync(path.join(work, "cdktf.out", "stacks", "example-aws", "cdk.tf.json"), "utf8") };
      };
      tsc();
      bundle();
      const before = synth();
      expect(before.loader).toEqual(["synth-load: bundle, code cache none yet"]);
      expect(before.stack).not.toContain("bundle-test-marker");

      // A source changes and only tsc runs: the bundle is stale, the plain build runs and shows the change.
      const source = path.join(copy, "modules", "bastion", "index.ts");
      const text = fs.readFileSync(source, "utf8");
      expect(text).toContain('description: "Bastion",');
      fs.writeFileSync(source, text.replace('description: "Bastion",', 'description: "Bastion bundle-test-marker",'));
      tsc();
      const stale = synth();
      expect(stale.loader).toEqual(["synth-load: plain build: the program or package-lock.json changed since it was bundled (npm run build)"]);
      expect(stale.stack).toContain("bundle-test-marker");

      // Bundled again: the bundle runs, with the change, and writes what the plain build wrote.
      bundle();
      const rebuilt = synth();
      expect(rebuilt.loader).toEqual(["synth-load: bundle, code cache none yet"]);
      expect(rebuilt.stack).toEqual(stale.stack);
      expect(synth().loader).toEqual(["synth-load: bundle, code cache used"]);

      // A code cache V8 refuses (another Node, other flags: here, garbage) is not used, and is written again.
      const cacheFile = fs.readdirSync(path.join(copy, "dist", "bundle")).find((file) => file.endsWith(".v8-cache"))!;
      fs.writeFileSync(path.join(copy, "dist", "bundle", cacheFile), Buffer.alloc(4096, 7));
      const rejected = synth();
      expect(rejected.loader).toEqual(["synth-load: bundle, code cache rejected by V8"]);
      expect(rejected.stack).toEqual(stale.stack);
      expect(synth().loader).toEqual(["synth-load: bundle, code cache used"]);

      // Another dependency set (package-lock.json) is another program too.
      fs.appendFileSync(path.join(copy, "package-lock.json"), "\n");
      expect(synth().loader).toEqual(["synth-load: plain build: the program or package-lock.json changed since it was bundled (npm run build)"]);
      // An interrupted bundle (no manifest) is never run.
      fs.rmSync(path.join(copy, "dist", "bundle", "synth.json"));
      expect(synth().loader).toEqual(["synth-load: plain build: no bundle (npm run build makes it)"]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});

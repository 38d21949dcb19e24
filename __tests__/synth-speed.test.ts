import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../src/stacks/app";
import { StandaloneStack } from "../src/stacks/standalone-stack";
import { withoutCreationStacks } from "../src/stacks/creation-stacks";
import { withPlainValueResolve } from "../src/stacks/plain-value-resolve";
import { exampleWith } from "./helpers/environment";
import { loadStateBackendConfig } from "../terraform-state-backend/config";
import { tree } from "./helpers/file-tree";

const ROOT = path.join(__dirname, "..");

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

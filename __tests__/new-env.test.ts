import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { cli } from "./helpers/cli";
import { EXAMPLE_FILE } from "./helpers/environment";
import { runNewEnv } from "../src/cli/new-env";
import { loadEnvironments, synthesize } from "../src/cli/synth";
import type { EnvironmentConfig } from "../src/config/load";
import { deriveHostname, deriveProxiedHostname, freeVpcBlock } from "../src/config/new-environment";
import { formatIpv4Cidr, mustParse, overlaps } from "../modules/network/cidr/ipv4";
import { verifyEnvironment } from "../src/verify/verify";

const ROOT = path.join(__dirname, "..");
const COMPILED = path.join(ROOT, "dist", "src", "cli", "new-env.js");

/** A scratch project folder holding a copy of the bundled example. */
function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-new-env-"));
  fs.mkdirSync(path.join(dir, "environments"));
  fs.copyFileSync(EXAMPLE_FILE, path.join(dir, "environments", "example.yaml"));
  return dir;
}

/** Every VPC and subnet range of every environment, and no two environments' ranges overlap. */
function expectNoOverlap(environments: readonly EnvironmentConfig[]): void {
  for (const a of environments) {
    for (const subnet of a.cidrPlan.subnets) expect(overlaps(mustParse(subnet.cidr), mustParse(a.cidrPlan.vpcCidr))).toBe(true);
    for (const b of environments) {
      if (a === b) continue;
      expect({ pair: `${a.name}/${b.name}`, overlap: overlaps(mustParse(a.cidrPlan.vpcCidr), mustParse(b.cidrPlan.vpcCidr)) }).toEqual({ pair: `${a.name}/${b.name}`, overlap: false });
      for (const x of a.cidrPlan.subnets) for (const y of b.cidrPlan.subnets) expect(overlaps(mustParse(x.cidr), mustParse(y.cidr))).toBe(false);
    }
  }
}

/** Synthesizes every environment of the project (as `npm run synth`) and proves every path of each (as `npm run verify`). */
async function synthesizeAndVerify(project: string): Promise<string[]> {
  const outdir = path.join(project, "cdktf.out");
  const result = synthesize({ environmentsDir: path.join(project, "environments"), outdir, offline: false });
  const names = result.environments.map((env) => env.name);
  for (const name of names) {
    const proof = await verifyEnvironment(outdir, name);
    expect(proof.paths.length).toBeGreaterThan(10);
    expect(proof.paths.filter((p) => p.verdict !== "holds").map((p) => `${name}: ${p.title}: ${p.verdict}`)).toEqual([]);
  }
  return names;
}

describe("npm run new-env", () => {
  const previous = process.cwd();
  afterEach(() => process.chdir(previous));

  describe("a second environment next to the example", () => {
    let project: string;
    let run: { code: number; out: string; err: string };
    let text: string;
    beforeAll(async () => {
      project = scratchProject();
      process.chdir(project);
      run = await cli(runNewEnv, ["staging"]);
      process.chdir(previous);
      text = fs.readFileSync(path.join(project, "environments", "staging.yaml"), "utf8");
    });

    it("writes environments/staging.yaml and says what it made unique", () => {
      expect(run).toEqual({ code: 0, out: expect.stringMatching(/^wrote environments\/staging\.yaml from environments\/example\.yaml:\n/), err: "" });
      expect(run.out).toMatch(/network\.cidr 172\.18\.0\.0\/16 \(example: 172\.16\.0\.0\/16\)/);
    });

    it("loads with the example under the cross-environment checks", () => {
      const environments = loadEnvironments(path.join(project, "environments"));
      expect(environments.map((env) => env.name)).toEqual(["example", "staging"]);
      expectNoOverlap(environments);
      const [example, staging] = environments;
      expect(staging.webTier!.domain).toBe("app.staging.example.com");
      expect(staging.webTier!.hostedZoneName).toBe(example.webTier!.hostedZoneName);
      expect(staging.webTier!.hostedZoneId).toBe(example.webTier!.hostedZoneId);
      expect(staging.cloudflareTunnel!.ingress.map((rule) => rule.hostname)).toEqual(["ssh-staging.example.com", undefined]);
      expect(staging.cloudflareTunnel!.zoneId).toBe(example.cloudflareTunnel!.zoneId);
      expect(example.access!.sessionManager!.preferences).toBe("managed");
      expect(staging.access!.sessionManager!.preferences).toBe("unmanaged");
      // The same layout, moved: each subnet keeps its place in the VPC.
      const offsets = (env: EnvironmentConfig) => env.cidrPlan.subnets.map((s) => `${s.key} ${mustParse(s.cidr).base - mustParse(env.cidrPlan.vpcCidr).base}/${s.prefixLength}`);
      expect(offsets(staging)).toEqual(offsets(example));
      // Nothing else changed.
      const strip = (doc: any) => {
        delete doc.network.cidr;
        delete doc.network.subnets;
        delete doc.webTier.domain;
        delete doc.cloudflareTunnel.ingress[0].hostname;
        delete doc.access.sessionManager.preferences;
        return doc;
      };
      expect(strip(parse(text))).toEqual(strip(parse(fs.readFileSync(EXAMPLE_FILE, "utf8"))));
    });

    it("synthesizes both and every path of both holds", async () => {
      expect(await synthesizeAndVerify(project)).toEqual(["example", "staging"]);
    });

    it("says at the top what to change, and keeps the example's comments", () => {
      const header = text.slice(0, text.indexOf("\nproject:"));
      expect(header.split("\n").every((line) => line === "" || line.startsWith("#"))).toBe(true);
      expect(header).toMatch(/^# environments\/staging\.yaml: made by `npm run new-env -- staging --from example`/);
      for (const what of ["aws.accountId", "webTier.edge.officeCidrs", "access.bastion.allowedCidrs", "cloudflareTunnel.access (emails", "hostedZoneId", "pki -- init --env staging"]) expect(header).toContain(what);
      // Every comment of the example is still there (the ones naming its stacks or PKI folder renamed).
      const comments = (source: string) => source.split("\n").filter((line) => line.includes("#")).map((line) => line.slice(line.indexOf("#")));
      const renamed = comments(fs.readFileSync(EXAMPLE_FILE, "utf8")).map((c) => c.replace("example-cloudflare", "staging-cloudflare").replace("pki/example", "pki/staging"));
      for (const comment of renamed) expect(text).toContain(comment);
      expect(text).toMatch(/^ {2}instanceConnect: # EC2 Instance Connect Endpoint/m);
      expect(text).toMatch(/^ {2}domain: app\.staging\.example\.com # was app\.example\.com in example$/m);
      expect(text).toMatch(/^ {4}preferences: unmanaged # example manages SSM-SessionManagerRunShell/m);
    });

    it("refuses to overwrite, a bad name and an unknown --from: one line each, nothing written", async () => {
      process.chdir(project);
      const before = fs.readdirSync("environments");
      expect(await cli(runNewEnv, ["staging"])).toEqual({ code: 1, out: "", err: "new-env: environments/staging.yaml already exists; new-env never overwrites a file (pick another name, or remove it first)\n" });
      expect(await cli(runNewEnv, ["example", "--from", "staging"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^new-env: environments\/example\.yaml already exists;[^\n]*\n$/) });
      expect(await cli(runNewEnv, ["Prod"])).toEqual({ code: 2, out: "", err: expect.stringMatching(/^new-env: "Prod" is not an environment name: [^\n]*\n$/) });
      expect(await cli(runNewEnv, ["-x"])).toEqual({ code: 2, out: "", err: expect.stringMatching(/^new-env: [^\n]*\n$/) });
      expect(await cli(runNewEnv, ["prod", "--from", "nope"])).toEqual({ code: 1, out: "", err: 'new-env: unknown environment "nope" for --from: environments: example, staging\n' });
      expect(await cli(runNewEnv, [])).toEqual({ code: 2, out: "", err: "new-env: missing <name>; see --help\n" });
      expect(fs.readdirSync("environments")).toEqual(before);
      expect(fs.readFileSync("environments/staging.yaml", "utf8")).toBe(text);
    });

    it("refuses a name taken by a .yml or .json file too (they would be one stack)", async () => {
      const other = scratchProject();
      fs.writeFileSync(path.join(other, "environments", "dev.yml"), "x: 1\n");
      process.chdir(other);
      expect(await cli(runNewEnv, ["dev"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^new-env: environments\/dev\.yml already exists;/) });
    });
  });

  it("makes a second, third and fourth environment in a row that all fit together", async () => {
    const project = scratchProject();
    process.chdir(project);
    expect((await cli(runNewEnv, ["staging"])).code).toBe(0);
    expect((await cli(runNewEnv, ["qa"])).code).toBe(0);
    // From a made environment: its own label in the names is replaced, not nested.
    expect((await cli(runNewEnv, ["prod", "--from", "staging"])).code).toBe(0);
    process.chdir(previous);
    const environments = loadEnvironments(path.join(project, "environments"));
    expect(environments.map((env) => [env.name, env.cidrPlan.vpcCidr, env.webTier!.domain, env.cloudflareTunnel!.ingress[0].hostname, env.access!.sessionManager!.preferences])).toEqual([
      ["example", "172.16.0.0/16", "app.example.com", "ssh.example.com", "managed"],
      ["prod", "172.20.0.0/16", "app.prod.example.com", "ssh-prod.example.com", "unmanaged"],
      ["qa", "172.19.0.0/16", "app.qa.example.com", "ssh-qa.example.com", "unmanaged"],
      ["staging", "172.18.0.0/16", "app.staging.example.com", "ssh-staging.example.com", "unmanaged"],
    ]);
    expectNoOverlap(environments);
    expect(await synthesizeAndVerify(project)).toEqual(["example", "prod", "qa", "staging"]);
  });

  it("runs compiled, in a project folder", () => {
    if (!fs.existsSync(COMPILED)) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT });
    const project = scratchProject();
    const run = (...args: string[]) => spawnSync(process.execPath, [COMPILED, ...args], { cwd: project, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    const made = run("--", "staging", "--from", "example");
    expect(made.status).toBe(0);
    expect(made.stderr).toBe("");
    expect(fs.existsSync(path.join(project, "environments", "staging.yaml"))).toBe(true);
    const again = run("staging");
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split("\n")).toEqual([expect.stringMatching(/already exists; new-env never overwrites/)]);
  });

  it("leaves the Session Manager preferences to the environment that manages them in the same account and region", async () => {
    const project = scratchProject();
    const example = fs.readFileSync(EXAMPLE_FILE, "utf8");
    // Another account, managing its own preferences: its names and certificates are its own.
    const other = example.replaceAll("123456789012", "210987654321").replace("domain: app.example.com", "domain: app.other.example.com").replace("hostname: ssh.example.com", "hostname: ssh.other.example.com");
    fs.writeFileSync(path.join(project, "environments", "other.yaml"), other);
    process.chdir(project);
    expect((await cli(runNewEnv, ["qa", "--from", "other"])).code).toBe(0);
    const qa = fs.readFileSync("environments/qa.yaml", "utf8");
    expect(qa).toMatch(/^ {4}preferences: unmanaged # other manages SSM-SessionManagerRunShell here/m);
    expect(parse(qa).aws.accountId).toBe("210987654321");
    // In a folder where nobody manages them, an unmanaged source stays unmanaged and nothing is added.
    fs.writeFileSync("environments/example.yaml", example.replace("idleTimeoutMinutes: 20", "idleTimeoutMinutes: 20\n    preferences: unmanaged"));
    fs.rmSync("environments/other.yaml");
    fs.rmSync("environments/qa.yaml");
    expect((await cli(runNewEnv, ["staging"])).code).toBe(0);
    const staging = fs.readFileSync("environments/staging.yaml", "utf8");
    expect(staging).toMatch(/^ {4}preferences: unmanaged$/m);
    expect(staging).not.toContain("access.sessionManager.preferences: unmanaged (");
    process.chdir(previous);
    expect(loadEnvironments(path.join(project, "environments")).map((env) => env.access!.sessionManager!.preferences)).toEqual(["unmanaged", "unmanaged"]);
  });

  it("writes block YAML from a JSON source", async () => {
    const project = scratchProject();
    const example = path.join(project, "environments", "example.yaml");
    fs.writeFileSync(path.join(project, "environments", "base.json"), JSON.stringify(parse(fs.readFileSync(example, "utf8"))));
    fs.rmSync(example);
    process.chdir(project);
    expect((await cli(runNewEnv, ["dev"])).code).toBe(0); // the only environment is the default --from
    const text = fs.readFileSync("environments/dev.yaml", "utf8");
    expect(text).toMatch(/^ {2}cidr: 172\.18\.0\.0\/16 # was 172\.16\.0\.0\/16 in base$/m);
    expect(text).not.toMatch(/^\s*[{"]/m);
    process.chdir(previous);
    expect(loadEnvironments(path.join(project, "environments")).map((env) => env.name)).toEqual(["base", "dev"]);
  });

  describe("its pieces", () => {
    it("derives names inside the same zone", () => {
      expect(deriveHostname("app.example.com", "example.com", "example", "staging")).toBe("app.staging.example.com");
      expect(deriveHostname("ssh.example.com", "example.com", "example", "staging")).toBe("ssh.staging.example.com");
      expect(deriveHostname("example.com", "example.com", "example", "staging")).toBe("staging.example.com");
      expect(deriveHostname("app.staging.example.com", "example.com", "staging", "prod")).toBe("app.prod.example.com");
      expect(deriveHostname("a.b.corp.example.net", "corp.example.net", "example", "qa")).toBe("a.b.qa.corp.example.net");
      expect(deriveHostname("*.example.com", "example.com", "example", "qa")).toBe("*.qa.example.com");
      // Cloudflare-proxied names stay one level below the zone (Universal SSL covers one level).
      expect(deriveProxiedHostname("ssh.example.com", "example.com", "example", "staging")).toBe("ssh-staging.example.com");
      expect(deriveProxiedHostname("ssh-staging.example.com", "example.com", "staging", "prod")).toBe("ssh-prod.example.com");
    });

    it("picks the next free VPC range of the same size, never Docker's 172.17.0.0/16", () => {
      const free = (source: string, avoid: string[]) => formatIpv4Cidr(freeVpcBlock(mustParse(source), [mustParse("172.17.0.0/16"), ...avoid.map(mustParse)])!);
      expect(free("172.16.0.0/16", ["172.16.0.0/16"])).toBe("172.18.0.0/16");
      expect(free("10.0.0.0/16", ["10.0.0.0/16", "10.1.0.0/16", "10.100.0.0/22"])).toBe("10.2.0.0/16");
      expect(free("10.100.0.0/16", ["10.100.0.0/16", "10.100.0.0/22"])).toBe("10.101.0.0/16");
      // The last block of a range wraps to its start, then the other private ranges.
      expect(free("192.168.0.0/16", ["192.168.0.0/16"])).toBe("10.0.0.0/16");
      expect(free("10.0.0.0/24", ["10.0.0.0/24"])).toBe("10.0.1.0/24");
    });
  });
});

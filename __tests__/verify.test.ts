import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { entries, mutated, pathById, proofOf, synthesizeVariant } from "./helpers/verify";

const ROOT = path.join(__dirname, "..");
const example = synthesizeVariant();

describe("npm run verify on the example", () => {
  it("proves every declared path and every negative proof", async () => {
    const proof = await proofOf(example);
    const failing = proof.paths.filter((p) => p.verdict !== "holds").map((p) => `${p.id}: ${p.brokenHop?.name}: ${p.brokenHop?.detail}`);
    expect(failing).toEqual([]);
    expect(proof.paths.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        "web", "web-static", "ssm-shell:app", "ssm-shell:bastion", "eic-ssh", "vpn-database", "vpn-cache", "vpn-dns", "bastion-ssh",
        "tunnel-connects", "tunnel-ssh:ssh.example.com", "app-database", "app-cache", "app-s3", "app-internet",
        "must-not:internet", "must-not:ssm-elsewhere", "must-not:eic-beyond-limits", "must-not:vpn-beyond-authorization", "must-not:data-undeclared", "must-not:app-bucket",
        "iam-vocabulary", "dns-one-owner", "forward-database", "forward-cache",
      ]),
    );
  });

  it("proves the operator's database token: rds-db:connect as the operator user of this instance only", async () => {
    const hops = pathById(await proofOf(example), "forward-database").hops.map((h) => `${h.name}: ${h.detail}`);
    expect(hops).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^operator may rds-db:connect as operators: rds-db:connect on arn:aws:rds-db:ap-northeast-2:123456789012:dbuser:db-[0-9A-Z]{26}\/operators → Allowed/),
        expect.stringMatching(/^operator may not rds-db:connect as app_admin: .*\/app_admin → ImplicitlyDenied/),
        expect.stringMatching(/^operator may not rds-db:connect as operators of another instance: .*dbuser:db-ANOTHERINSTANCE0000000000\/operators → ImplicitlyDenied/),
      ]),
    );
  });

  it("evaluates the Session Manager path with the tags instances really carry, not the provider's default tags", async () => {
    const hop = pathById(await proofOf(example), "ssm-shell:app").hops[0];
    expect(hop.name).toContain("Environment=example");
    expect(hop.detail).toMatch(/ssm:StartSession .* → Allowed: statement StartSessionOnThisEnvironment of identity policy /);
  });

  it("is fast: the example verifies in well under a second", async () => {
    const started = Date.now();
    await proofOf(example);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});


describe("variants of the example verify too", () => {
  it.each<[string, (doc: any) => void]>([
    ["the edge off (internet-facing ALB)", (d) => (d.webTier.edge.enabled = false)],
    ["CloudFront in prefix-list mode (secret origin header)", (d) => (d.webTier.edge.originAccess = "prefix-list")],
    ["database tunnelling through the EIC endpoint on 3389", (d) => { d.dataTier.database.port = 3389; d.access.instanceConnect.databaseTunnel = true; }],
    ["no NAT gateway (Session Manager through interface endpoints), no tunnel", (d) => { d.network.natGateways = "none"; delete d.cloudflareTunnel; }],
    ["no bastion, no VPN", (d) => { delete d.access.bastion; delete d.access.clientVpn; }],
    ["per-AZ NAT", (d) => (d.network.natGateways = "per-az")],
  ])("%s", async (_what, edit) => {
    const proof = await proofOf(synthesizeVariant(edit));
    expect(proof.paths.filter((p) => p.verdict !== "holds").map((p) => `${p.id}: ${p.brokenHop?.name}: ${p.brokenHop?.detail}`)).toEqual([]);
  });

  it("in prefix-list mode, an ALB that forwards without the secret header is named", async () => {
    const outdir = synthesizeVariant((d) => (d.webTier.edge.originAccess = "prefix-list"));
    const mutant = mutated(outdir, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_lb_listener_rule")) delete json.resource.aws_lb_listener_rule[name];
    });
    const web = pathById(await proofOf(mutant), "web");
    expect(web.brokenHop!.name).toBe("only our distribution gets past the ALB (secret origin header)");
  });
});

describe("the verify command", () => {
  const cli = path.join(ROOT, "dist", "src", "cli", "verify.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: ROOT, env: { PATH: process.env.PATH ?? "" } });

  it("exits 0 with a table and writes the JSON report when every path holds", () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pa-verify-json-")), "proof.json");
    const result = run("--out", example, "--json", json);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^example \(example-aws, example-cloudflare\)$/m);
    expect(result.stdout).toMatch(/^ {2}holds +path +operator → Session Manager shell on private-access-example-app/m);
    const report = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(report.environments[0].paths.every((p: any) => p.verdict === "holds")).toBe(true);
  });

  it("exits 1 and names the broken hop when a path is broken", () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_vpc_security_group_egress_rule", "web-tier_app-sg_out-5432")) delete json.resource.aws_vpc_security_group_egress_rule[name];
    });
    const result = run("--out", outdir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/BROKEN +path +app servers → database:5432/);
    expect(result.stdout).toMatch(/↳ app servers → database on 5432\n {15}TCP 5432 private-access-example-app → the database: no egress rule/);
  });

  it("--json - writes the JSON to standard output (the table to standard error), and no file named -", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-verify-stdout-"));
    const result = spawnSync(process.execPath, [cli, "--out", example, "--json", "-"], { encoding: "utf8", cwd, env: { PATH: process.env.PATH ?? "" } });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).environments[0].environment).toBe("example");
    expect(result.stderr).toMatch(/^verified 1 environment\(s\): (\d+) of \1 paths hold$/m);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("--details reads at 120 columns: each hop's detail under it, no line longer save an unbreakable word, no doubled word", () => {
    const result = run("--out", example, "--details");
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    const tooLong = lines.filter((line) => line.length > 120 && line.trim().includes(" "));
    expect(tooLong).toEqual([]);
    expect(lines.filter((line) => /\b(\w+) \1\b/.test(line))).toEqual([]);
    // The detail sits under its hop, indented; the IAM decision on its own line.
    expect(result.stdout).toMatch(/^ {11}✓ the key policy lets this distribution decrypt\n {15}kms:Decrypt on arn:aws:kms:\S+\n {15}→ Allowed: statement CloudFrontDecryptsForThisDistribution of key policy of\s+alias\/private-access-example-static$/m);
  });

  it.each([
    ["a folder with no synthesized output", ["--out", os.tmpdir()], /no synthesized output here/],
    ["an unknown environment", ["--out", example, "--env", "prod"], /no environment named "prod"/],
    ["an option without its value", ["--out"], /--out needs a value/],
  ])("exits 2 on bad input: %s", (_what, args, message) => {
    const result = run(...(args as string[]));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});

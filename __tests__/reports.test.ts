import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { synthesize } from "../src/cli/synth";
import { AccessPath, accessMatrix } from "../src/report/access-matrix";
import { cidrPlanMarkdown } from "../src/report/cidr-plan";
import { buildDiagram, toMermaid } from "../src/report/diagram";
import { readSynthesized } from "../src/synthesized/read-synthesized";
import { internetSummary } from "../src/report/summary";
import { AwsEnvironmentStack } from "../src/stacks/aws-stack";
import { stringify } from "yaml";
import { writeReports } from "../src/report/write-reports";
import { verifyEnvironment } from "../src/verify/verify";
import { EXAMPLE_FILE, exampleDocument, exampleWith } from "./helpers/environment";

function synthesizeExample() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-report-test-"));
  fs.mkdirSync(path.join(project, "environments"));
  fs.copyFileSync(EXAMPLE_FILE, path.join(project, "environments", "example.yaml"));
  const outdir = path.join(project, "cdktf.out");
  const result = synthesize({ environmentsDir: path.join(project, "environments"), outdir, offline: false });
  return { env: result.environments[0], stacks: readSynthesized(outdir), outdir };
}

const { env, stacks, outdir } = synthesizeExample();

function synthesizeExampleWith(edit: (doc: Record<string, any>) => void) {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-report-test-"));
  fs.mkdirSync(path.join(project, "environments"));
  const doc = exampleDocument();
  edit(doc);
  fs.writeFileSync(path.join(project, "environments", "example.yaml"), stringify(doc));
  const out = path.join(project, "cdktf.out");
  synthesize({ environmentsDir: path.join(project, "environments"), outdir: out, offline: false });
  return readSynthesized(out);
}
const paths = accessMatrix(stacks);
const find = (predicate: (p: AccessPath) => boolean) => paths.filter(predicate);

describe("CIDR plan report", () => {
  const markdown = cidrPlanMarkdown(env.name, env.cidrPlan, "10.100.0.0/22");
  it("lists the example's seven subnets with usable = size − 5", () => {
    for (const row of [
      "| public | ap-northeast-2a | 172.16.1.0/24 | 256 | 251 |",
      "| app | ap-northeast-2b | 172.16.48.0/20 | 4,096 | 4,091 |",
      "| data | ap-northeast-2c | 172.16.160.0/20 | 4,096 | 4,091 |",
    ]) expect(markdown).toContain(row);
    expect(markdown.split("\n").filter((l) => /^\| (public|app|data) \|/.test(l))).toHaveLength(7);
  });
  it("tallies allocated, usable and unallocated addresses, and the VPN range", () => {
    expect(markdown).toContain("| allocated to subnets | 20,992 |");
    expect(markdown).toContain("| usable in subnets (AWS reserves 5 per subnet) | 20,957 |");
    expect(markdown).toContain("| unallocated in the VPC | 44,544 |");
    expect(markdown).toContain("VPC size − usable (65,536 − 20,957 = 44,579) is not what is left");
    expect(markdown).not.toMatch(/seeds? \d/i);
    expect(markdown).toContain("Client VPN client range (outside the VPC): 10.100.0.0/22.");
  });
});

describe("access matrix of the example, from the synthesized JSON", () => {
  it("has the expected paths", () => {
    expect(find((p) => p.source === "internet" && p.destination.startsWith("CloudFront"))).toHaveLength(1);
    expect(find((p) => p.source.startsWith("prefix list pl-22a6434b") && p.destination.endsWith("-alb") && p.port === "443")).toHaveLength(1);
    expect(find((p) => p.source.endsWith("-alb") && p.destination.endsWith("-app") && p.port === "8080")).toHaveLength(1);
    expect(find((p) => p.source.endsWith("-app") && p.destination.endsWith("-db") && p.port === "5432")).toHaveLength(1);
    expect(find((p) => p.source.endsWith("-eic") && p.destination.endsWith("-app") && p.port === "22")).toHaveLength(1);
    expect(find((p) => p.source.startsWith("VPN clients") && p.destination.startsWith("cidr 172.16.1")).map((p) => p.destination).sort()).toEqual([
      "cidr 172.16.128.0/20",
      "cidr 172.16.144.0/20",
      "cidr 172.16.160.0/20",
    ]);
    expect(find((p) => p.destination === "cloudflared on the app servers → ssh://localhost:22")).toHaveLength(1);
    expect(find((p) => p.destination === "cloudflared on the app servers → http_status:404")[0].port).toBe("none (cloudflared answers HTTP 404)");
    expect(find((p) => p.source.startsWith("operators with the Session Manager"))).toHaveLength(1);
  });

  it("has no unexpected path from the internet and nothing flagged", () => {
    expect(find((p) => p.fromInternet).map((p) => p.destination).sort()).toEqual([
      "CloudFront app.example.com",
      "cloudflared on the app servers → ssh://localhost:22",
      "instance private-access-example-bastion (public IP)",
    ]);
    expect(find((p) => p.verdict.startsWith("VIOLATION") || p.verdict.startsWith("suppressed"))).toEqual([]);
  });

  it("is summarized after synth", () => {
    const lines = internetSummary(readSynthesized(outdir, ["example-aws", "example-cloudflare"]));
    expect(lines[0]).toBe("paths from the internet: 3");
    expect(lines).toContain("  example-aws: internet → CloudFront app.example.com port 443 [public entry]");
  });
});

describe("the access matrix carries each row's proof verdict", () => {
  it("names the proven path a rule carries, and says so when a rule carries none", async () => {
    const proof = await verifyEnvironment(outdir, "example");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-report-proof-"));
    await writeReports(env, stacks, dir, proof);
    const matrix = fs.readFileSync(path.join(dir, "access-matrix.md"), "utf8");
    expect(matrix).toContain("| guardrails | proof |");
    const row = (fragment: RegExp) => matrix.split("\n").find((line) => fragment.test(line))!;
    expect(row(/sg private-access-example-app \| sg private-access-example-db \| 5432/)).toMatch(/\| holds \([^)]*\bapp-database\b[^)]*\) \|$/);
    expect(row(/VPN clients .* cidr 172\.16\.0\.2\/32/)).toMatch(/\| holds \(vpn-dns\) \|$/);
    expect(row(/internet via Cloudflare Access \(ssh\.example\.com\)/)).toMatch(/\| holds \(tunnel-ssh:ssh\.example\.com\) \|$/);
    expect(row(/cloudflared answers HTTP 404/)).toMatch(/\| no declared path uses it \|$/);
  });
});

describe("local-mode tunnels stay visible in the reports", () => {
  it("reads the ingress from the rendered config.yml", () => {
    const local = synthesizeExampleWith((doc) => (doc.cloudflareTunnel.mode = "local"));
    const rows = accessMatrix(local).filter((p) => p.via.includes("local configuration"));
    expect(rows.map((p) => [p.destination, p.port])).toEqual([
      ["cloudflared where you run it (local mode) → ssh://localhost:22", "22"],
      ["cloudflared where you run it (local mode) → http_status:404", "none (cloudflared answers HTTP 404)"],
    ]);
  });
});

describe("a deliberately bad environment: SSH from the world, suppressed with a reason", () => {
  it("shows and flags the path", () => {
    const env = exampleWith((doc) => {
      doc.guardrails = { suppressions: [{ rule: "PA-NET-001", path: "example-aws/legacy/ssh", reason: "vendor appliance until the Q3 migration" }] };
    });
    const app = Testing.app();
    const stack = new AwsEnvironmentStack(app, env, { offline: false, localStatePath: "x", projectRootFromStack: "." });
    const group = stack.network.securityGroup(stack, "legacy", "legacy", "legacy vendor appliance");
    new VpcSecurityGroupIngressRule(group, "ssh", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", description: "vendor SSH" });
    app.synth();
    const flagged = accessMatrix(readSynthesized(app.outdir)).filter((p) => p.fromInternet && p.port === "22" && p.source === "internet");
    expect(flagged).toEqual([
      expect.objectContaining({ destination: "sg private-access-example-legacy", verdict: "suppressed PA-NET-001: vendor appliance until the Q3 migration" }),
    ]);
  });
});

describe("architecture diagram", () => {
  const diagram = buildDiagram(env.cidrPlan, stacks, paths);

  it("renders Mermaid with a subgraph per AZ and every subnet", () => {
    const mermaid = toMermaid(diagram);
    for (const az of ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]) expect(mermaid).toContain(`subgraph ap_northeast_2${az.slice(-1)}["${az}"]`);
    expect(mermaid).toContain('subnet_data_c["data 172.16.160.0/20"]');
    expect(mermaid).toMatch(/alb -->\|"8080"\| app/);
  });
});

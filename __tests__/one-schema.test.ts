import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { NAME_LIMITS, nameProblem } from "../modules/common/facts/name-limits";
import { fitName } from "../modules/common/name-budget";
import { SettingsError, SettingsErrors } from "../modules/common/settings/parse";
import { Cache } from "../modules/cache";
import { Database } from "../modules/database";
import { Network } from "../modules/network";
import { Bastion } from "../modules/bastion";
import { ClientVpn } from "../modules/client-vpn";
import { InstanceConnect } from "../modules/instance-connect";
import { SessionManager } from "../modules/session-manager";
import { CloudflareTunnel } from "../modules/cloudflare-tunnel";
import { environmentReference, withReference } from "../src/config/reference";
import { exampleWith } from "./helpers/environment";
import { synthAws } from "./helpers/synth";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { namesFit } from "../src/policy/rules/names-fit";
import { accessMatrix } from "../src/report/access-matrix";
import { recordedFacts } from "../modules/common/markers";
import fc from "fast-check";

const ROOT = path.join(__dirname, "..");

describe("the README's environment file reference", () => {
  it("is the one generated from the schemas (run npm run docs after changing a schema)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(withReference(readme)).toBe(readme);
  });

  it("describes every field it lists", () => {
    const rows = environmentReference().split("\n").filter((line) => line.startsWith("| `"));
    const undescribed = rows.filter((row) => row.trimEnd().endsWith("|  |")).map((row) => row.split("|")[1].trim());
    expect(undescribed).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
  });
});

describe("product words, not the design's seed numbers", () => {
  const SEED = /\bseeds? \d{3}|\bseed N\b/i;
  const sections = environmentReference().split(/^(?=### )/m);

  it("the environment reference's titles and descriptions name capabilities", () => {
    expect(sections.filter((section) => SEED.test(section)).map((section) => section.split("\n")[0])).toEqual([]);
    expect(sections.join("")).toContain("### `access`: admin access paths");
  });

  it("the README outside the generated reference, the example file, the synthesized JSON and the messages say no seed number", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").replace(environmentReference(), "");
    const hits = readme.split("\n").filter((line) => SEED.test(line));
    expect(hits).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8")).not.toMatch(SEED);
    const { json } = synthAws(exampleWith());
    expect(json).not.toMatch(SEED);
    let message = "";
    try {
      exampleWith((d) => (d.access.instanceConnect.databaseTunnel = true));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("access.instanceConnect.databaseTunnel needs dataTier.database.port 22 or 3389");
    expect(message).not.toMatch(SEED);
  });
});

describe("boundaries", () => {
  const filesUnder = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(rel) : rel.endsWith(".ts") ? [rel] : [];
    });
  const importsOf = (file: string) =>
    [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => path.normalize(path.join(path.dirname(file), m[1])));

  it("modules import nothing from src/ (they know nothing of files, environment variables or the CLI)", () => {
    const offending = filesUnder("modules").flatMap((file) => importsOf(file).filter((target) => target.startsWith("src")).map((target) => `${file} → ${target}`));
    expect(offending).toEqual([]);
  });

  it("src/policy does not import the environment file's schema or its sections", () => {
    const offending = filesUnder("src/policy").flatMap((file) => importsOf(file).filter((target) => target.startsWith("src/config")).map((target) => `${file} → ${target}`));
    expect(offending).toEqual([]);
  });

  it("catches an offending import (the check itself can fail)", () => {
    expect(importsOf("src/config/schema.ts")).toContain(path.normalize("modules/network/settings"));
  });
});

describe("name budget", () => {
  it("keeps a name that fits, and shortens one that does not to its limit, stably", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,80}$/), fc.integer({ min: 16, max: 64 }), (name, limit) => {
        const fitted = fitName(name, limit);
        expect(fitted.length).toBeLessThanOrEqual(limit);
        expect(fitName(name, limit)).toBe(fitted);
        if (name.length <= limit) expect(fitted).toBe(name);
      }),
    );
  });

  it("never gives two long names one short name (the hash covers the whole name)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{40,60}$/), fc.stringMatching(/^[a-z]{40,60}$/), (a, b) => {
        fc.pre(a !== b);
        expect(fitName(a, 32)).not.toBe(fitName(b, 32));
      }),
    );
  });

  /** Every name attribute with a recorded limit, from the synthesized JSON. */
  const names = (tf: any): { key: string; value: string }[] =>
    Object.entries(tf.resource as Record<string, Record<string, any>>).flatMap(([type, resources]) =>
      Object.values(resources).flatMap((resource) =>
        Object.keys(NAME_LIMITS)
          .filter((key) => key.startsWith(`${type}.`) && !key.includes("#") && key.split(".").length === 2)
          .map((key) => ({ key, value: resource[key.split(".")[1]] }))
          .filter((entry) => typeof entry.value === "string" && !entry.value.includes("${")),
      ),
    );

  const longEnvironment = (name: string) =>
    exampleWith((doc) => {
      doc.project = "platform-security-operations";
      delete doc.cloudflareTunnel;
    }, name);

  it("every derived name of an environment with long project and environment names fits its resource's limit", () => {
    const { tf } = synthAws(longEnvironment("production-seoul-blue-green-a"));
    const found = names(tf);
    expect(found.length).toBeGreaterThan(30);
    expect(found.map(({ key, value }) => nameProblem(key, value)).filter(Boolean)).toEqual([]);
    expect(found.find((n) => n.key === "aws_elasticache_replication_group.replication_group_id")!.value.length).toBeLessThanOrEqual(40);
  });

  it("two valid environments that differ only at the end never share a name (ALB, target group, cache ids)", () => {
    const a = names(synthAws(longEnvironment("production-seoul-a")).tf);
    const b = new Set(names(synthAws(longEnvironment("production-seoul-b")).tf).map((n) => `${n.key}=${n.value}`));
    // Names that are per resource (inline policies, log streams), fixed by AWS ("default"), or the
    // account-wide SSM document whose one manager the across-environments check picks.
    const perResource = ["aws_iam_role_policy.name", "aws_cloudwatch_log_stream.name", "aws_ssm_document.name"];
    const shared = a.filter((n) => b.has(`${n.key}=${n.value}`) && !perResource.includes(n.key) && n.value !== "default");
    expect(shared).toEqual([]);
    expect(a.find((n) => n.key === "aws_lb.name")!.value.length).toBeLessThanOrEqual(32);
  });

  it("the guardrail refuses a name over its limit at synth, and passes one that fits", () => {
    const stack = new TerraformStack(Testing.app() as App, "names");
    const long = new LbTargetGroup(stack, "long", { name: "a".repeat(33) });
    const fits = new LbTargetGroup(stack, "fits", { name: "a".repeat(32) });
    expect(namesFit.check(long)).toEqual([expect.stringContaining("is 33 characters; the limit is 32")]);
    expect(namesFit.check(fits)).toEqual([]);
  });
});

describe("refusals that must not crash", () => {
  it("a Mac instance type is one line naming the field, not an exception from the architecture table", () => {
    expect(() => exampleWith((doc) => (doc.webTier.servers = { instanceType: "mac2.metal", imageId: "ami-0123456789abcdef0", imageArchitecture: "arm64" }))).toThrow(
      /^environments\/example\.yaml: webTier\.servers\.instanceType "mac2\.metal" is an EC2 Mac instance/,
    );
  });
});

describe("a module alone on a bare stack, with its refusals", () => {
  const bare = () => {
    const stack = new TerraformStack(Testing.app() as App, "bare");
    return stack;
  };
  const network = (stack: TerraformStack, azs: string[]) =>
    new Network(stack, "network", {
      namePrefix: "t-bare",
      region: "ap-northeast-2",
      accountId: "123456789012",
      settings: { cidr: "10.0.0.0/16", availabilityZones: azs, tiers: [{ tier: "public", prefixLength: 24 }, { tier: "app", prefixLength: 22 }, { tier: "data", prefixLength: 24 }] },
    });
  const problem = (build: () => unknown): { path: string; problem: string } => {
    try {
      build();
    } catch (error) {
      const first = error instanceof SettingsErrors ? error.errors[0] : error;
      if (first instanceof SettingsError) return { path: first.path.join("."), problem: first.problem };
      throw error;
    }
    throw new Error("expected a refusal");
  };

  it("a database with default settings", () => {
    const stack = bare();
    const db = new Database(stack, "db", { namePrefix: "t-bare", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: {} });
    expect(db.port).toBe(5432);
    expect(db.masterUsername).toBe("app_admin");
    expect(db.operatorUserName).toBe("operators");
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.values(tf.resource.aws_db_instance)[0]).toMatchObject({ engine: "postgres", engine_version: "16", storage_encrypted: true, publicly_accessible: false });
  });

  it.each([
    ["a reserved master user", (stack: TerraformStack) => new Database(stack, "db", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: { masterUsername: "rdsadmin" } }), "masterUsername"],
    ["the master user as the operator user", (stack: TerraformStack) => new Database(stack, "db", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: { operatorUsername: "app_admin" } }), "operatorUsername"],
    ["a database in one AZ", (stack: TerraformStack) => new Database(stack, "db", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a"]), settings: {} }), ""],
    ["seven cache nodes", (stack: TerraformStack) => new Cache(stack, "cache", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: { nodes: 7 } }), "nodes"],
    ["a cache with failover and one node", (stack: TerraformStack) => new Cache(stack, "cache", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: { nodes: 1, automaticFailover: true } }), "automaticFailover"],
    ["an AZ the region does not have", (stack: TerraformStack) => network(stack, ["ap-northeast-2a", "ap-northeast-2q"]), "availabilityZones.1"],
    ["a bastion nobody may reach", (stack: TerraformStack) => new Bastion(stack, "bastion", { namePrefix: "t", region: "ap-northeast-2", network: network(stack, ["ap-northeast-2a"]), targets: [], settings: { enabled: true } }), "allowedCidrs"],
    ["a bastion open to half the internet", (stack: TerraformStack) => new Bastion(stack, "bastion", { namePrefix: "t", region: "ap-northeast-2", network: network(stack, ["ap-northeast-2a"]), targets: [], settings: { enabled: true, allowedCidrs: ["128.0.0.0/1"] } }), "allowedCidrs.0"],
  ])("refuses %s with the field's path", (_what, build, field) => {
    expect(problem(() => build(bare())).path).toBe(field);
  });

  it("a bastion from its settings alone: an arm64 image for t4g, SSH only from the listed range", () => {
    const stack = bare();
    new Bastion(stack, "bastion", { namePrefix: "t", region: "ap-northeast-2", network: network(stack, ["ap-northeast-2a"]), targets: [], settings: { enabled: true, allowedCidrs: ["203.0.113.0/24"] } });
    const tf = JSON.parse(Testing.synth(stack));
    expect((Object.values(tf.resource.aws_launch_template)[0] as any).image_id).toMatch(/al2023-ami-kernel-default-arm64$/);
    expect(Object.values(tf.resource.aws_vpc_security_group_ingress_rule).map((rule: any) => [rule.cidr_ipv4, rule.from_port])).toEqual([["203.0.113.0/24", 22]]);
  });

  const acm = (n: number) => `arn:aws:acm:ap-northeast-2:123456789012:certificate/00000000-0000-0000-0000-00000000000${n}`;
  const vpn = (stack: TerraformStack, settings: Record<string, unknown>, net = network(stack, ["ap-northeast-2a", "ap-northeast-2b"])) =>
    new ClientVpn(stack, "vpn", {
      namePrefix: "t",
      region: "ap-northeast-2",
      accountId: "123456789012",
      network: net,
      settings: { clientCidr: "10.100.0.0/22", certificates: { source: "acm", serverCertificateArn: acm(1) }, ...settings } as never,
      certificates: { source: "acm", serverCertificateArn: acm(1) },
      targetSubnets: net.subnets.data,
      authorizedCidrs: net.subnetCidrs("data"),
    });

  it("a Client VPN from its settings alone: split tunnel, the VPC resolver authorized as a /32, mutual TLS", () => {
    const stack = bare();
    vpn(stack, {});
    const tf = JSON.parse(Testing.synth(stack));
    const endpoint: any = Object.values(tf.resource.aws_ec2_client_vpn_endpoint)[0];
    expect(endpoint).toMatchObject({ split_tunnel: true, dns_servers: ["10.0.0.2"], transport_protocol: "udp", vpn_port: 443, session_timeout_hours: 24 });
    expect(endpoint.authentication_options).toEqual([{ type: "certificate-authentication", root_certificate_chain_arn: acm(1) }]);
    expect(Object.values(tf.resource.aws_ec2_client_vpn_authorization_rule).map((rule: any) => rule.target_network_cidr)).toContain("10.0.0.2/32");
  });

  it.each([
    ["a client range too small for AWS", { clientCidr: "10.100.0.0/24" }, "clientCidr"],
    ["a log retention CloudWatch refuses", { logRetentionInDays: 100 }, "logRetentionInDays"],
    ["a DNS server outside the VPC", { dnsServers: ["8.8.8.8"] }, "dnsServers"],
  ])("a Client VPN refuses %s with the field's path", (_what, settings, field) => {
    let caught: unknown;
    try {
      vpn(bare(), settings);
    } catch (error) {
      caught = error;
    }
    const first = caught instanceof SettingsErrors ? caught.errors[0] : caught;
    expect(first).toBeInstanceOf(SettingsError);
    expect((first as SettingsError).path.join(".")).toBe(field);
  });

  it("a tunnel from its settings alone: proxied CNAME and an Access application per hostname; an ingress cloudflared refuses is refused with its index", () => {
    const settings = {
      accountId: "0123456789abcdef0123456789abcdef",
      zoneId: "fedcba9876543210fedcba9876543210",
      zoneName: "example.com",
      mode: "local" as const,
      ingress: [{ hostname: "ssh.example.com", service: "ssh://localhost:22" }, { service: "http_status:404" }],
      access: { emails: ["alice@partner.example"], requireMfa: false },
    };
    const stack = bare();
    new CloudflareTunnel(stack, "tunnel", { name: "t", settings });
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.values(tf.resource.cloudflare_dns_record).map((r: any) => [r.name, r.type, r.proxied])).toEqual([["ssh.example.com", "CNAME", true]]);
    expect(Object.values(tf.resource.cloudflare_zero_trust_access_application).map((a: any) => [a.type, a.destinations])).toEqual([["ssh", [{ type: "public", uri: "ssh.example.com" }]]]);
    let caught: unknown;
    try {
      new CloudflareTunnel(bare(), "tunnel", { name: "t", settings: { ...settings, ingress: [{ service: "http_status:404" }, { hostname: "ssh.example.com", service: "ssh://localhost:22" }] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsErrors);
    expect((caught as SettingsErrors).errors[0].path.slice(0, 2)).toEqual(["ingress", 0]);
  });

  it("Session Manager and the EIC Endpoint from their settings alone, on a bastion, with their refusals", () => {
    const stack = bare();
    const net = network(stack, ["ap-northeast-2a", "ap-northeast-2b"]);
    const bastion = new Bastion(stack, "bastion", { namePrefix: "t", region: "ap-northeast-2", network: net, targets: [], settings: { enabled: true, allowedCidrs: ["203.0.113.0/24"] } });
    const common = { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: net, environment: "dev" };
    new SessionManager(stack, "ssm", { ...common, instances: [{ role: bastion, securityGroup: bastion.securityGroup }], settings: { runAsUser: "operator" }, interfaceEndpoints: false });
    new InstanceConnect(stack, "eic", { ...common, sshTargets: [bastion.securityGroup], sshTargetCidrs: net.subnetCidrs("public"), settings: { maxTunnelDurationSeconds: 900 } });
    const tf = JSON.parse(Testing.synth(stack));
    const preferences: any = Object.values(tf.resource.aws_ssm_document)[0];
    expect(JSON.parse(preferences.content).inputs).toMatchObject({ runAsEnabled: true, runAsDefaultUser: "operator", idleSessionTimeout: "20", maxSessionDuration: "60" });
    const documents = Object.values(tf.data.aws_iam_policy_document) as any[];
    const tunnel = documents.flatMap((d) => d.statement ?? []).find((st: any) => (st.actions ?? []).includes("ec2-instance-connect:OpenTunnel"));
    expect(tunnel.condition.find((c: any) => c.variable === "ec2-instance-connect:maxTunnelDuration").values).toEqual(["900"]);
    const refused = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return (error as SettingsErrors).errors.map((e) => e.path.join("."));
      }
      return [];
    };
    expect(refused(() => new SessionManager(bare(), "ssm", { ...common, network: network(bare(), ["ap-northeast-2a"]), instances: [{ role: bastion, securityGroup: bastion.securityGroup }], settings: { runAsUser: "root" }, interfaceEndpoints: false }))).toEqual(["runAsUser"]);
    expect(refused(() => new InstanceConnect(bare(), "eic", { ...common, sshTargets: [], sshTargetCidrs: [], settings: { osUsers: ["root"] } }))).toEqual(["osUsers.0"]);
  });

  it("a cache's automaticFailover reaches the replication group", () => {
    const stack = bare();
    new Cache(stack, "cache", { namePrefix: "t", region: "ap-northeast-2", accountId: "123456789012", network: network(stack, ["ap-northeast-2a", "ap-northeast-2b"]), settings: { nodes: 1, automaticFailover: false } });
    const group: any = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_elasticache_replication_group)[0];
    expect(group).toMatchObject({ automatic_failover_enabled: false, multi_az_enabled: false, num_cache_clusters: 1 });
  });
});

describe("reports read the facts modules record, not names", () => {
  const edgeOff = () => {
    const { stack } = synthAws(exampleWith((doc) => {
      doc.webTier.edge = { enabled: false };
      delete doc.access;
      delete doc.cloudflareTunnel;
    }));
    // What cdktf writes to cdk.tf.json (Testing.synth strips the `//` comments).
    return JSON.parse(JSON.stringify(stack.toTerraform()));
  };
  const internetRows = (json: any) => accessMatrix([{ name: "example-aws", json, annotations: [] }]).filter((row) => row.fromInternet && row.source === "internet");

  it("the ALB's internet rules are the public entry because the web tier recorded them so, with its reason", () => {
    const json = edgeOff();
    const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule).filter((rule: any) => rule.cidr_ipv4 === "0.0.0.0/0") as any[];
    expect(rules.map((rule) => recordedFacts(rule).publicEntry)).toEqual([
      { rules: ["PA-NET-001"], reason: expect.stringContaining("public entry point") },
      { rules: ["PA-NET-001"], reason: expect.stringContaining("public entry point") },
    ]);
    expect(internetRows(json).map((row) => row.verdict)).toEqual(["public entry", "public entry"]);
  });

  it("an internet rule nobody recorded is a violation, whatever its group is called", () => {
    const json = edgeOff();
    for (const rule of Object.values(json.resource.aws_vpc_security_group_ingress_rule) as any[]) delete rule["//"];
    expect(internetRows(json).map((row) => row.verdict)).toEqual(["VIOLATION PA-NET-001", "VIOLATION PA-NET-001"]);
  });
});

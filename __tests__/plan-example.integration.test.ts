import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../src/cli/synth";
import { PlannedChange, planStackOffline } from "../src/terraform/offline";
import { offlineTerraformOrSkip } from "./helpers/terraform";

const ROOT = path.join(__dirname, "..");
const afterOf = (changes: PlannedChange[], type: string) => changes.filter((c) => c.type === type).map((c) => c.change.after ?? {});
const { terraform } = offlineTerraformOrSkip();
const describePlan = terraform ? describe : describe.skip;

/** Synthesizes one environment file offline in a scratch project and plans its AWS stack. */
function planEnvironment(yaml: string): PlannedChange[] {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-plan-"));
  fs.mkdirSync(path.join(project, "environments"));
  fs.writeFileSync(path.join(project, "environments", "example.yaml"), yaml);
  const outdir = path.join(project, "cdktf.out");
  synthesize({ environmentsDir: path.join(project, "environments"), outdir, offline: true });
  return planStackOffline(terraform!, path.join(outdir, "stacks", "example-aws")).plan.resource_changes ?? [];
}

describePlan("the example's AWS stack, planned offline with real terraform", () => {
  let changes: PlannedChange[];
  const after = (type: string) => changes.filter((c) => c.type === type).map((c) => c.change.after ?? {});

  beforeAll(() => {
    changes = planEnvironment(fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8"));
  });

  it("creates every managed resource on fresh state (data sources are local policy documents)", () => {
    const managed = changes.filter((c) => c.mode === "managed");
    expect(managed.length).toBeGreaterThan(20);
    for (const change of managed) expect(change.change.actions).toEqual(["create"]);
    for (const change of changes.filter((c) => c.mode === "data")) expect(change.type).toBe("aws_iam_policy_document");
  });

  it("plans the seven seed-002 subnets, none mapping public IPs", () => {
    const subnets = after("aws_subnet");
    expect(subnets.map((s) => `${s.availability_zone} ${s.cidr_block}`).sort()).toEqual([
      "ap-northeast-2a 172.16.1.0/24",
      "ap-northeast-2a 172.16.128.0/20",
      "ap-northeast-2a 172.16.32.0/20",
      "ap-northeast-2b 172.16.144.0/20",
      "ap-northeast-2b 172.16.2.0/24",
      "ap-northeast-2b 172.16.48.0/20",
      "ap-northeast-2c 172.16.160.0/20",
    ]);
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("plans one NAT gateway with one Elastic IP", () => {
    expect(after("aws_nat_gateway")).toHaveLength(1);
    expect(after("aws_eip")).toHaveLength(1);
    expect(after("aws_eip")[0].domain).toBe("vpc");
  });

  it("plans the VPC with DNS support and hostnames", () => {
    const [vpc] = after("aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "172.16.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  });

  it("plans the S3 gateway endpoint", () => {
    const endpoints = after("aws_vpc_endpoint");
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ service_name: "com.amazonaws.ap-northeast-2.s3", vpc_endpoint_type: "Gateway" });
  });

  it("plans flow logs of all traffic into a KMS-encrypted log group with retention", () => {
    const [flowLog] = after("aws_flow_log");
    expect(flowLog).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const group = after("aws_cloudwatch_log_group").find((g) => String(g.name).endsWith("/vpc-flow-logs"))!;
    expect(group.retention_in_days).toBe(365);
    for (const key of after("aws_kms_key")) expect(key.enable_key_rotation).toBe(true);
  });

  it("locks down the default security group", () => {
    const [group] = after("aws_default_security_group");
    expect(group.ingress ?? []).toEqual([]);
    expect(group.egress ?? []).toEqual([]);
  });

  it("plans the internal ALB's HTTPS listener (TLS 1.3 policy) and no port-80 listener nothing could reach", () => {
    const listeners = after("aws_lb_listener");
    expect(listeners.map((l) => [l.port, l.protocol, l.ssl_policy ?? null])).toEqual([[443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]]);
  });

  it("plans CloudFront, the WAF in CLOUDFRONT scope and the launch template with IMDSv2", () => {
    expect(after("aws_cloudfront_distribution")).toHaveLength(1);
    expect(after("aws_wafv2_web_acl")[0].scope).toBe("CLOUDFRONT");
    // The default origin access: a VPC origin to an internal ALB.
    expect(after("aws_cloudfront_vpc_origin")).toHaveLength(1);
    expect(after("aws_lb")[0].internal).toBe(true);
    expect(after("aws_launch_template")[0].metadata_options).toEqual([
      expect.objectContaining({ http_tokens: "required", http_put_response_hop_limit: 1 }),
    ]);
  });

  it("plans RDS private and encrypted with an RDS-managed password, and the cache with TLS and KMS", () => {
    const [db] = after("aws_db_instance");
    expect(db).toMatchObject({ publicly_accessible: false, storage_encrypted: true, manage_master_user_password: true, multi_az: true });
    expect(db.password).toBeNull();
    const [cache] = after("aws_elasticache_replication_group");
    expect(cache).toMatchObject({ transit_encryption_enabled: true, at_rest_encryption_enabled: "true", automatic_failover_enabled: true });
  });

  it("plans every access path: EIC Endpoint, Session Manager preferences, Client VPN on three subnets, bastion", () => {
    expect(after("aws_ec2_instance_connect_endpoint")[0].preserve_client_ip).toBe(false);
    expect(after("aws_ssm_document")[0]).toMatchObject({ name: "SSM-SessionManagerRunShell", document_type: "Session" });
    expect(after("aws_ec2_client_vpn_endpoint")[0]).toMatchObject({ split_tunnel: true, transport_protocol: "udp", vpn_port: 443, dns_servers: ["172.16.0.2"], self_service_portal: "disabled" });
    expect(after("aws_ec2_client_vpn_network_association")).toHaveLength(3);
    expect(after("aws_instance")[0].metadata_options).toEqual([expect.objectContaining({ http_tokens: "required" })]);
  });

  it("tags every resource through the provider's default tags", () => {
    const [vpc] = after("aws_vpc");
    expect(vpc.tags_all).toMatchObject({ Project: "private-access", Environment: "example", ManagedBy: "cdktf/private-access" });
  });
});

describePlan("the example with the edge off, planned offline", () => {
  let changes: PlannedChange[];
  beforeAll(() => {
    const yaml = fs.readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8").replace(/edge:\n    enabled: true/, "edge:\n    enabled: false");
    expect(yaml).toContain("enabled: false");
    changes = planEnvironment(yaml);
  });

  it("has no CloudFront or WAF and opens the ALB to the internet on 80 and 443 only", () => {
    expect(afterOf(changes, "aws_cloudfront_distribution")).toEqual([]);
    expect(afterOf(changes, "aws_wafv2_web_acl")).toEqual([]);
    const world = afterOf(changes, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(world.map((r) => r.from_port).sort()).toEqual([443, 80]);
    // Internet-facing: port 80 is admitted, and its listener only redirects to HTTPS.
    const listeners = afterOf(changes, "aws_lb_listener");
    expect(listeners.map((l) => [l.port, l.protocol]).sort()).toEqual([[443, "HTTPS"], [80, "HTTP"]]);
    expect((listeners.find((l) => l.port === 80) as any).default_action[0]).toMatchObject({ type: "redirect", redirect: [expect.objectContaining({ protocol: "HTTPS", status_code: "HTTP_301" })] });
  });
});

describePlan("the example with CloudFront in prefix-list mode, planned offline", () => {
  let changes: PlannedChange[];
  beforeAll(() => {
    const yaml = fs
      .readFileSync(path.join(ROOT, "environments", "example.yaml"), "utf8")
      .replace("    blockResponseBody: Access is limited to the office network.", "    blockResponseBody: Access is limited to the office network.\n    originAccess: prefix-list");
    expect(yaml).toContain("originAccess: prefix-list");
    changes = planEnvironment(yaml);
  });

  it("plans the secret origin header as a built-in terraform_data value and an internet-facing ALB that forwards only with it", () => {
    const secret = changes.find((c) => c.type === "terraform_data")!;
    expect(secret.change.actions).toEqual(["create"]);
    expect(afterOf(changes, "aws_lb")[0].internal).toBe(false);
    const [rule] = afterOf(changes, "aws_lb_listener_rule") as any[];
    expect(rule.condition[0].http_header[0].http_header_name).toBe("X-Origin-Verify");
    expect(afterOf(changes, "aws_cloudfront_vpc_origin")).toEqual([]);
  });
});

describePlan("the state-backend stack, planned offline", () => {
  it("plans the KMS-encrypted state bucket with its guards", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-plan-backend-"));
    fs.mkdirSync(path.join(project, "environments"));
    fs.copyFileSync(path.join(ROOT, "environments", "example.yaml"), path.join(project, "environments", "example.yaml"));
    const outdir = path.join(project, "cdktf.out");
    synthesize({ environmentsDir: path.join(project, "environments"), outdir, offline: true, stateBackendFile: path.join(ROOT, "terraform-state-backend", "backend.yaml") });
    const changes = planStackOffline(terraform!, path.join(outdir, "stacks", "state-backend")).plan.resource_changes ?? [];
    expect(afterOf(changes, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual(["private-access-tfstate-123456789012", "private-access-tfstate-123456789012-logs"]);
    expect(afterOf(changes, "aws_kms_key")[0].enable_key_rotation).toBe(true);
    expect(afterOf(changes, "aws_s3_bucket_versioning")[0].versioning_configuration).toEqual([expect.objectContaining({ status: "Enabled" })]);
  });
});

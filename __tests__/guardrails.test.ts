import { Testing } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import type { EnvironmentConfig } from "../src/config/load";
import { pathMatches } from "../src/policy/guardrails";
import { ALL_RULES } from "../src/policy/rules";
import { AwsEnvironmentStack } from "../src/stacks/aws-stack";
import { exampleWith } from "./helpers/environment";

/** Builds the example stack, lets the test add constructs, then runs the real synth. */
function synthWith(env: EnvironmentConfig, add: (stack: AwsEnvironmentStack) => void) {
  const app = Testing.app();
  const stack = new AwsEnvironmentStack(app, env, { offline: true, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "." });
  add(stack);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (caught) {
    error = caught as Error;
  }
  return { error, report: stack.guardrails };
}

const example = exampleWith();

describe("the guardrails pass the example", () => {
  it("synthesizes with no violation; the only exceptions are the ones modules record, each with its reason", () => {
    const { error, report } = synthWith(example, () => {});
    expect(error).toBeUndefined();
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({ ruleId: "PA-NET-002", path: "example-aws/bastion/launch-template", source: "module", reason: expect.stringContaining("bastion needs a public address") }),
    ]);
  });

  it("every rule has an id, a title and an explanation, and ids are unique", () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^PA-[A-Z0-9]+-\d{3}$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(20);
    }
  });
});

describe("each rule aborts the synth with its id and the construct path", () => {
  it.each<[string, string, (stack: AwsEnvironmentStack) => void]>([
    [
      "SSH from the world through a rule resource",
      "PA-NET-001",
      (stack) => {
        const group = stack.network.securityGroup(stack, "bad", "bad", "test group");
        new VpcSecurityGroupIngressRule(group, "ssh", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", description: "ssh" });
      },
    ],
    [
      "HTTPS from the world on a group not marked as the public entry",
      "PA-NET-001",
      (stack) => {
        const group = stack.network.securityGroup(stack, "bad", "bad", "test group");
        new VpcSecurityGroupIngressRule(group, "https", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0", description: "https" });
      },
    ],
    [
      "inline world ingress on a security group",
      "PA-NET-001",
      (stack) =>
        new SecurityGroup(stack, "inline", {
          vpcId: stack.network.vpcId,
          ingress: [{ fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
        }),
    ],
    [
      "an instance with a public IP",
      "PA-NET-002",
      (stack) => new Instance(stack, "box", { ami: "ami-12345678", instanceType: "t4g.micro", associatePublicIpAddress: true }),
    ],
    [
      "a subnet that maps public IPs",
      "PA-NET-002",
      (stack) => new Subnet(stack, "open-subnet", { vpcId: stack.network.vpcId, cidrBlock: "172.16.5.0/24", mapPublicIpOnLaunch: true }),
    ],
    ["a VPC without flow logs", "PA-NET-003", (stack) => new Vpc(stack, "shadow-vpc", { cidrBlock: "10.9.0.0/16" })],
    [
      "a default security group with rules",
      "PA-NET-004",
      (stack) => {
        const vpc = new Vpc(stack, "shadow-vpc", { cidrBlock: "10.9.0.0/16" });
        new DefaultSecurityGroup(stack, "shadow-default", { vpcId: vpc.id, egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] });
      },
    ],
    [
      "an HTTPS listener with a TLS 1.0 policy",
      "PA-WEB-001",
      (stack) => new LbListener(stack, "old-tls", { loadBalancerArn: "arn", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", defaultAction: [{ type: "fixed-response" }] }),
    ],
    [
      "an HTTP listener that forwards",
      "PA-WEB-002",
      (stack) => new LbListener(stack, "plain", { loadBalancerArn: "arn", port: 80, protocol: "HTTP", defaultAction: [{ type: "forward", targetGroupArn: "tg" }] }),
    ],
    [
      // The provider calls DescribeImages with the string (issue 43488) and replaces it on every apply (43364).
      "an instance taking its image from an SSM parameter",
      "PA-EC2-002",
      (stack) =>
        new Instance(stack, "ssm-image", {
          ami: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
          instanceType: "t4g.micro",
          metadataOptions: { httpTokens: "required" },
          rootBlockDevice: { encrypted: true },
        }),
    ],
    [
      "a launch template that keeps IMDSv1",
      "PA-EC2-001",
      (stack) => new LaunchTemplate(stack, "v1", { metadataOptions: { httpTokens: "optional" } }),
    ],
    [
      "an unencrypted volume",
      "PA-ENC-001",
      (stack) =>
        new LaunchTemplate(stack, "plain-disk", {
          metadataOptions: { httpTokens: "required" },
          blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }],
        }),
    ],
    ["a log group without KMS", "PA-ENC-001", (stack) => new CloudwatchLogGroup(stack, "plain-logs", { name: "plain" })],
    ["a bucket without encryption or a public access block", "PA-ENC-001", (stack) => new S3Bucket(stack, "naked-bucket", {})],
    [
      "an identity policy with a wildcard action",
      "PA-IAM-001",
      (stack) => new DataAwsIamPolicyDocument(stack, "admin", { statement: [{ sid: "Everything", actions: ["s3:*"], resources: ["*"] }] }),
    ],
    [
      "a public database with a password in the configuration",
      "PA-DATA-001",
      (stack) =>
        new DbInstance(stack, "public-db", { instanceClass: "db.t4g.micro", publiclyAccessible: true, storageEncrypted: true, backupRetentionPeriod: 7, password: "x", parameterGroupName: "p" }),
    ],
    [
      "a cache without transit encryption",
      "PA-DATA-002",
      (stack) => new ElasticacheReplicationGroup(stack, "plain-cache", { replicationGroupId: "x", description: "x", atRestEncryptionEnabled: "true", transitEncryptionEnabled: false }),
    ],
  ])("%s → %s", (_what, ruleId, add) => {
    const { error, report } = synthWith(example, add);
    expect(error?.message).toContain(`[${ruleId}]`);
    expect(report.violations.map((v) => v.ruleId)).toContain(ruleId);
    for (const violation of report.violations) expect(violation.path).toMatch(/^example-aws/);
  });

  it("a wildcard granted through the app servers' contract is refused before synth", () => {
    const stack = new AwsEnvironmentStack(Testing.app(), example, { offline: true, localStatePath: "x", projectRootFromStack: "." });
    expect(() => stack.web!.webTier.appServers.grant({ sid: "All", actions: ["ec2:*"], resources: ["*"] })).toThrow(/wildcard actions are not allowed/);
  });

  it("accepts 443 from the world only through the marked public entry", () => {
    const { error, report } = synthWith(example, (stack) => {
      const alb = stack.network.securityGroup(stack, "alb", "alb", "public entry");
      alb.allowPublicEntry(443, "HTTPS from the internet");
      alb.allowPublicEntry(80, "HTTP redirect to HTTPS");
    });
    expect(error).toBeUndefined();
    expect(report.violations).toEqual([]);
  });

  it("a VPC of the stack without a managed default group is caught", () => {
    const { report } = synthWith(example, (stack) => new Vpc(stack, "shadow-vpc", { cidrBlock: "10.9.0.0/16" }));
    expect(report.violations.map((v) => v.ruleId).sort()).toEqual(["PA-NET-003", "PA-NET-004"]);
  });
});

describe("suppressions", () => {
  const openSsh = (stack: AwsEnvironmentStack) => {
    const group = stack.network.securityGroup(stack, "legacy", "legacy", "legacy vendor appliance");
    new VpcSecurityGroupIngressRule(group, "ssh", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", description: "vendor" });
  };

  it("let a violation through with its reason, matched by exact path", () => {
    const env = exampleWith((doc) => {
      doc.guardrails = { suppressions: [{ rule: "PA-NET-001", path: "example-aws/legacy/ssh", reason: "vendor appliance until its migration in Q3" }] };
    });
    const { error, report } = synthWith(env, openSsh);
    expect(error).toBeUndefined();
    expect(report.violations).toEqual([]);
    expect(report.suppressed.filter((s) => s.source === "environment file")).toEqual([
      expect.objectContaining({ ruleId: "PA-NET-001", path: "example-aws/legacy/ssh", reason: "vendor appliance until its migration in Q3" }),
    ]);
  });

  it("match a prefix ending in /* but never another rule", () => {
    const env = exampleWith((doc) => {
      doc.guardrails = { suppressions: [{ rule: "PA-NET-002", path: "example-aws/legacy/*", reason: "wrong rule, should not apply" }] };
    });
    const { error, report } = synthWith(env, openSsh);
    expect(error?.message).toContain("[PA-NET-001]");
    expect(report.unusedSuppressions).toHaveLength(1);
  });

  it("match paths exactly or by prefix", () => {
    expect(pathMatches("a/b/*", "a/b/c")).toBe(true);
    expect(pathMatches("a/b/*", "a/bc")).toBe(false);
    expect(pathMatches("a/b", "a/b/c")).toBe(false);
    expect(pathMatches("a/b", "a/b")).toBe(true);
  });
});

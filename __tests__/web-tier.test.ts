import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { architectureOf } from "../modules/common/facts/instance-architectures";
import { errorFor, exampleWith } from "./helpers/environment";
import { byName, resourcesOf, synthAws } from "./helpers/synth";

/** The example without the access paths and the tunnel, whose rules and grants have tests of their own. */
const withoutAccess = (edit: (doc: any) => void = () => {}) =>
  exampleWith((doc) => {
    delete doc.access;
    delete doc.cloudflareTunnel;
    edit(doc);
  });

const edgeOff = () => withoutAccess((doc) => (doc.webTier.edge.enabled = false));
const docs = (tf: any) => tf.data.aws_iam_policy_document as Record<string, any>;
const ingressRules = (tf: any) => Object.entries(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")) as [string, any][];

describe("ALB (seed 001)", () => {
  const { json, tf } = synthAws(withoutAccess());

  it("with the edge on (VPC origin), is internal in the app subnets: no public address and no public DNS name", () => {
    const [alb] = Object.values(resourcesOf(tf, "aws_lb")) as any[];
    expect(alb.internal).toBe(true);
    expect(alb.subnets.every((s: string) => s.includes("subnet-app"))).toBe(true);
    const names = (Object.values(resourcesOf(tf, "aws_route53_record")) as any[]).filter((r) => String(r.alias?.name ?? "").includes("aws_lb."));
    expect(names).toEqual([]);
  });

  it("with the edge off, is internet-facing in the public subnets, drops invalid headers, is protected from deletion and logs access", () => {
    const { json, tf } = synthAws(edgeOff());
    expect(json).toHaveResourceWithProperties(Lb, {
      load_balancer_type: "application",
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: expect.stringContaining("aws_s3_bucket.web-tier_access-logs_bucket"), prefix: "alb", enabled: true },
    });
    const [alb] = Object.values(resourcesOf(tf, "aws_lb")) as any[];
    expect(alb.subnets).toHaveLength(2);
    expect(alb.subnets.every((s: string) => s.includes("subnet-public"))).toBe(true);
  });

  it("serves HTTPS with a TLS 1.3 policy and a DNS-validated certificate", () => {
    expect(json).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: expect.stringContaining("aws_acm_certificate_validation.web-tier_certificate_validation"),
    });
    const cert = byName(tf, "aws_acm_certificate", "web-tier_certificate");
    expect(cert).toMatchObject({ domain_name: "app.example.com", validation_method: "DNS", subject_alternative_names: ["origin.app.example.com"] });
    // One validation record per name, owned once for the whole stack (the CloudFront certificate shares it).
    const records = Object.values(resourcesOf(tf, "aws_route53_record")).filter((r: any) => String(r.name).includes("domain_validation_options")) as any[];
    const names = records.map((r) => /option\.domain_name == "([^"]+)"/.exec(r.name)![1]).sort();
    expect(names).toEqual(["app.example.com", "origin.app.example.com"]);
  });

  it("internal behind the VPC origin: no port-80 listener (nothing can reach it), and its group says HTTPS from the VPC origin", () => {
    const ports = (Object.values(resourcesOf(tf, "aws_lb_listener")) as any[]).map((l) => l.port);
    expect(ports).toEqual([443]);
    const group = byName(tf, "aws_security_group", "web-tier_alb-sg");
    expect(group.description).toBe("ALB (internal): HTTPS from the CloudFront VPC origin only");
    expect(group.description).not.toMatch(/users|redirect|internet/);
  });

  it("in prefix-list mode, CloudFront speaks HTTPS only and 80 is not admitted: no port-80 listener either", () => {
    const { tf } = synthAws(withoutAccess((d) => (d.webTier.edge.originAccess = "prefix-list")));
    expect((Object.values(resourcesOf(tf, "aws_lb_listener")) as any[]).map((l) => l.port)).toEqual([443]);
    expect(byName(tf, "aws_security_group", "web-tier_alb-sg").description).toBe("ALB: HTTPS from CloudFront origin-facing servers only");
  });

  it("internet-facing (edge off): answers plain HTTP only with a 301 to HTTPS", () => {
    const { json, tf } = synthAws(edgeOff());
    expect(json).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(byName(tf, "aws_security_group", "web-tier_alb-sg").description).toBe("ALB (internet-facing): HTTPS from the internet, HTTP only to redirect");
  });

  it("forwards to a target group health-checked on the configured path", () => {
    expect(json).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8080,
      protocol: "HTTP",
      deregistration_delay: "30",
      health_check: { path: "/api/health", matcher: "200", interval: 15, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3, enabled: true, protocol: "HTTP", port: "traffic-port" },
    });
  });

  it("keeps access logs in an SSE-S3 bucket (ALB logs cannot use KMS) that only ELB may write to", () => {
    const encryption = byName(tf, "aws_s3_bucket_server_side_encryption_configuration", "access-logs");
    expect(encryption.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    const policy = Object.entries(docs(tf)).find(([name]) => name.includes("access-logs"))![1];
    expect(policy.statement.map((s: any) => s.sid)).toEqual(["DenyInsecureTransport", "DenyTlsOlderThan12", "ElbAccessLogDelivery"]);
    expect(policy.statement[2].principals).toEqual([{ type: "AWS", identifiers: ["arn:aws:iam::600734575887:root"] }]);
    expect(policy.statement[2].resources[0]).toMatch(/\/alb\/AWSLogs\/123456789012\/\*$/);
  });
});

describe("security groups form a chain", () => {
  it("with the edge on, the ALB admits 443 only from CloudFront's origin-facing prefix list", () => {
    const { tf } = synthAws(withoutAccess());
    const albIngress = ingressRules(tf).filter(([name]) => name.startsWith("web-tier_alb-sg_"));
    expect(albIngress.map(([, rule]) => ({ port: rule.from_port, prefix: rule.prefix_list_id, cidr: rule.cidr_ipv4 }))).toEqual([
      { port: 443, prefix: "pl-22a6434b", cidr: undefined },
    ]);
  });

  it("without a prefix list id, the edge takes the id the project knows for aws.region", () => {
    const { tf } = synthAws(withoutAccess((d) => delete d.webTier.edge.cloudFrontPrefixListId));
    const albIngress = ingressRules(tf).filter(([name]) => name.startsWith("web-tier_alb-sg_"));
    expect(albIngress.map(([, rule]) => rule.prefix_list_id)).toEqual(["pl-22a6434b"]);
  });

  it("with the edge off, the ALB admits 80 and 443 from the internet and nothing else", () => {
    const { tf } = synthAws(edgeOff());
    const albIngress = ingressRules(tf).filter(([name]) => name.startsWith("web-tier_alb-sg_"));
    expect(albIngress.map(([, r]) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([
      [443, "0.0.0.0/0"],
      [80, "0.0.0.0/0"],
    ]);
  });

  it("the app servers admit only the app port, only from the ALB's group, and every rule is described", () => {
    const { tf } = synthAws(withoutAccess());
    const appIngress = ingressRules(tf).filter(([name]) => name.startsWith("web-tier_app-sg_"));
    expect(appIngress).toHaveLength(1);
    expect(appIngress[0][1]).toMatchObject({ from_port: 8080, to_port: 8080, referenced_security_group_id: expect.stringContaining("alb-sg") });
    const all = [...ingressRules(tf), ...Object.entries(resourcesOf(tf, "aws_vpc_security_group_egress_rule"))];
    for (const [, rule] of all) expect(rule.description).toMatch(/\w{4,}/);
  });
});

describe("app servers (seed 000)", () => {
  const { json, tf } = synthAws(withoutAccess());

  it("launch Graviton c6g.xlarge from AL2023 arm64 via SSM, IMDSv2 only, encrypted gp3, no public IP, no key pair", () => {
    expect(json).toHaveResourceWithProperties(LaunchTemplate, {
      image_id: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      instance_type: "c6g.xlarge",
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "enabled" },
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 30, delete_on_termination: "true" } }],
      network_interfaces: [expect.objectContaining({ associate_public_ip_address: "false" })],
    });
    const [template] = Object.values(resourcesOf(tf, "aws_launch_template")) as any[];
    expect(template.key_name).toBeUndefined();
    const script = Buffer.from(template.user_data, "base64").toString();
    // Parts run on their own: the script itself does not stop at the first failure (each part does).
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toMatch(/^set -uo pipefail$/m);
    expect(script).toMatch(/^  bash -euo pipefail "\$script" \|\| status=\$\?$/m);
  });

  it("run in an Auto Scaling group over the app subnets, registered with the target group", () => {
    expect(json).toHaveResourceWithProperties(AutoscalingGroup, { min_size: 2, max_size: 4, desired_capacity: 2, health_check_type: "ELB" });
    const [group] = Object.values(resourcesOf(tf, "aws_autoscaling_group")) as any[];
    expect(group.vpc_zone_identifier.every((s: string) => s.includes("subnet-app"))).toBe(true);
    expect(group.target_group_arns[0]).toContain("aws_lb_target_group");
  });

  it("take their image architecture from the instance type", () => {
    expect(architectureOf("c6g.xlarge")).toBe("arm64");
    expect(architectureOf("m7gd.large")).toBe("arm64");
    expect(architectureOf("t4g.micro")).toBe("arm64");
    expect(architectureOf("m5.large")).toBe("x86_64");
    expect(architectureOf("c7i.xlarge")).toBe("x86_64");
    const { tf: x86 } = synthAws(withoutAccess((doc) => (doc.webTier.servers.instanceType = "m6i.large")));
    const [template] = Object.values(resourcesOf(x86, "aws_launch_template")) as any[];
    expect(template.image_id).toMatch(/al2023-ami-kernel-default-x86_64$/);
  });

  it("have a role with Session Manager core and read access to their own bucket only, statement by statement", () => {
    const attachments = Object.entries(resourcesOf(tf, "aws_iam_role_policy_attachment")).filter(([name]) => name.includes("app-servers")) as [string, any][];
    expect(attachments.map(([, a]) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    const granted = Object.entries(docs(tf)).find(([name]) => name.includes("app-servers_instance-role_granted"))![1];
    // The data tier adds its own statement (asserted in its tests).
    expect(granted.statement.filter((s: any) => s.sid !== "ConnectToCacheWithIam")).toEqual([
      { sid: "ListAppBucket", effect: "Allow", actions: ["s3:ListBucket"], resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.web-tier_app-bucket_\w+\.arn\}$/)] },
      { sid: "ReadAppBucket", effect: "Allow", actions: ["s3:GetObject"], resources: [expect.stringMatching(/app-bucket_\w+\.arn\}\/\*$/)] },
      {
        sid: "DecryptAppBucketThroughS3",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [expect.stringContaining("aws_kms_key.web-tier_app-bucket-key")],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.ap-northeast-2.amazonaws.com"] }],
      },
    ]);
  });

  it("can use AmazonS3ReadOnlyAccess instead, as seed 001 does", () => {
    const { tf: managed } = synthAws(withoutAccess((doc) => (doc.webTier.useS3ReadOnlyManagedPolicy = true)));
    const attachments = Object.entries(resourcesOf(managed, "aws_iam_role_policy_attachment")).filter(([name]) => name.includes("app-servers")) as [string, any][];
    expect(attachments.map(([, a]) => a.policy_arn).sort()).toEqual(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    const granted = Object.entries(docs(managed)).find(([name]) => name.includes("app-servers_instance-role_granted"))![1];
    expect(granted.statement.map((s: any) => s.sid)).toEqual(["DecryptAppBucketThroughS3", "ConnectToCacheWithIam"]);
  });
});

describe("app bucket", () => {
  const { tf } = synthAws(withoutAccess());

  it("is KMS-encrypted, versioned, owner-enforced, blocks public access and refuses non-TLS and off-endpoint object access", () => {
    const encryption = byName(tf, "aws_s3_bucket_server_side_encryption_configuration", "app-bucket");
    expect(encryption.rule[0]).toMatchObject({ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true });
    expect(byName(tf, "aws_s3_bucket_versioning", "app-bucket").versioning_configuration.status).toBe("Enabled");
    expect(byName(tf, "aws_s3_bucket_ownership_controls", "app-bucket").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(byName(tf, "aws_s3_bucket_public_access_block", "app-bucket")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = Object.entries(docs(tf)).find(([name]) => name.includes("app-bucket_policy-document"))![1];
    expect(policy.statement[2]).toMatchObject({
      sid: "DenyWritesExceptDeployRole",
      effect: "Deny",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [expect.stringContaining("aws_iam_role.web-tier_deploy-role")] }],
    });
    expect(policy.statement[3]).toMatchObject({
      sid: "DenyObjectAccessOutsideVpcEndpoint",
      effect: "Deny",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      condition: [
        { test: "StringNotEquals", variable: "aws:SourceVpce", values: [expect.stringContaining("aws_vpc_endpoint.network_s3-endpoint")] },
        { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [expect.stringContaining("aws_iam_role.web-tier_deploy-role")] },
      ],
    });
  });
});

describe("DNS", () => {
  it("with the edge off, points the app domain at the ALB", () => {
    const records = Object.values(resourcesOf(synthAws(edgeOff()).tf, "aws_route53_record")) as any[];
    const app = records.find((r) => r.name === "app.example.com")!;
    expect(app).toMatchObject({ type: "A", zone_id: "Z0123456789EXAMPLE0", alias: { evaluate_target_health: true } });
    expect(app.alias.name).toContain("aws_lb.");
  });

  it("with the edge on, points the app domain at CloudFront (A and AAAA) and gives the internal ALB no public name", () => {
    const records = Object.values(resourcesOf(synthAws(withoutAccess()).tf, "aws_route53_record")) as any[];
    const app = records.filter((r) => r.name === "app.example.com");
    expect(app.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
    for (const r of app) expect(r.alias).toMatchObject({ zone_id: "Z2FDTNDATAQYW2", name: expect.stringContaining("aws_cloudfront_distribution.") });
    expect(records.find((r) => r.name === "origin.app.example.com")).toBeUndefined();
  });

  it("in prefix-list mode, points origin.<domain> at the internet-facing ALB", () => {
    const records = Object.values(resourcesOf(synthAws(withoutAccess((d) => (d.webTier.edge.originAccess = "prefix-list"))).tf, "aws_route53_record")) as any[];
    expect(records.find((r) => r.name === "origin.app.example.com")!.alias.name).toContain("aws_lb.");
  });
});

describe("edge: CloudFront + WAF (seed 004)", () => {
  const { json, tf } = synthAws(withoutAccess());

  it("serves the static site from S3 through origin access control and /api/* from the ALB over HTTPS, uncached", () => {
    expect(json).toHaveResourceWithProperties(CloudfrontDistribution, {
      aliases: ["app.example.com"],
      viewer_certificate: { ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021", acm_certificate_arn: expect.stringContaining("edge_certificate_validation") },
      default_cache_behavior: expect.objectContaining({ target_origin_id: "static", viewer_protocol_policy: "redirect-to-https" }),
      ordered_cache_behavior: [
        expect.objectContaining({
          path_pattern: "/api/*",
          target_origin_id: "alb",
          viewer_protocol_policy: "redirect-to-https",
          allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        }),
      ],
    });
    const [distribution] = Object.values(resourcesOf(tf, "aws_cloudfront_distribution")) as any[];
    const alb = distribution.origin.find((o: any) => o.origin_id === "alb");
    expect(alb).toMatchObject({ domain_name: "origin.app.example.com", vpc_origin_config: { vpc_origin_id: expect.stringContaining("aws_cloudfront_vpc_origin.") } });
    const [vpcOrigin] = Object.values(resourcesOf(tf, "aws_cloudfront_vpc_origin")) as any[];
    expect(vpcOrigin.vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({ arn: expect.stringContaining("aws_lb.web-tier_load-balancer_alb"), https_port: 443, origin_protocol_policy: "https-only", origin_ssl_protocols: [{ items: ["TLSv1.2"], quantity: 1 }] }),
    ]);
    expect(distribution.origin.find((o: any) => o.origin_id === "static").origin_access_control_id).toContain("aws_cloudfront_origin_access_control");
    expect(distribution.web_acl_id).toContain("aws_wafv2_web_acl");
  });

  it("issues its certificate and WAF in us-east-1 through a provider alias", () => {
    expect(tf.provider.aws.map((p: any) => p.region)).toEqual(["ap-northeast-2", "us-east-1"]);
    expect(byName(tf, "aws_acm_certificate", "edge_certificate").provider).toBe("aws.us-east-1");
    expect(byName(tf, "aws_wafv2_web_acl", "edge_waf").provider).toBe("aws.us-east-1");
  });

  it("blocks by default with a custom response, runs AWS managed rules, then allows the office", () => {
    expect(json).toHaveResourceWithProperties(Wafv2WebAcl, {
      scope: "CLOUDFRONT",
      default_action: { block: { custom_response: { response_code: 403, custom_response_body_key: "blocked" } } },
      custom_response_body: [{ key: "blocked", content: "Access is limited to the office network.", content_type: "TEXT_PLAIN" }],
    });
    const acl = byName(tf, "aws_wafv2_web_acl", "edge_waf");
    const rules = (JSON.parse(acl.rule_json) as any[]).sort((a, b) => a.Priority - b.Priority);
    expect(rules.map((r) => r.Name)).toEqual(["AWSManagedRulesCommonRuleSet", "block-large-bodies-outside-api", "AWSManagedRulesKnownBadInputsRuleSet", "allow-office"]);
    expect(rules[3].Statement.IPSetReferenceStatement.ARN).toMatch(/^\$\{aws_wafv2_ip_set\.edge_waf_office_\w+\.arn\}$/);
    expect(byName(tf, "aws_wafv2_ip_set", "edge_waf_office")).toMatchObject({ scope: "CLOUDFRONT", addresses: ["203.0.113.0/24"] });
    const logGroup = byName(tf, "aws_cloudwatch_log_group", "edge_waf_log-group");
    expect(logGroup.name).toBe("aws-waf-logs-private-access-example");
    expect(logGroup.kms_key_id).toBeDefined();
  });

  it("lets office users POST large bodies to /api/*: the common rule set's 8 KB body limit counts instead of blocking there", () => {
    const rules = JSON.parse(byName(tf, "aws_wafv2_web_acl", "edge_waf").rule_json) as any[];
    const common = rules.find((r) => r.Name === "AWSManagedRulesCommonRuleSet");
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]);
    const large = rules.find((r) => r.Name === "block-large-bodies-outside-api");
    expect(large.Action).toEqual({ Block: {} });
    expect(large.Statement.AndStatement.Statements[0].LabelMatchStatement.Key).toBe("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
    expect(large.Statement.AndStatement.Statements[1].NotStatement.Statement.RegexMatchStatement.RegexString).toBe("^/api/");
  });

  it("lets only this environment's distribution read and decrypt the static bucket", () => {
    const policy = Object.entries(docs(tf)).find(([name]) => name.includes("static-bucket_policy-document"))![1];
    expect(policy.statement[2]).toMatchObject({
      sid: "CloudFrontReadsThroughOac",
      principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
      actions: ["s3:GetObject"],
      condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [expect.stringMatching(/^\$\{aws_cloudfront_distribution\.edge_distribution_\w+\.arn\}$/)] }],
    });
    const keyPolicy = Object.entries(docs(tf)).find(([name]) => name.includes("edge_static-key_policy"))![1];
    expect(keyPolicy.statement.find((s: any) => s.sid === "CloudFrontDecryptsForThisDistribution")).toMatchObject({
      condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [expect.stringMatching(/aws_cloudfront_distribution\.edge_distribution_\w+\.arn/)] }],
    });
  });

  it("uploads a placeholder index.html that your own upload replaces (Terraform leaves it alone after)", () => {
    const [object] = Object.values(resourcesOf(tf, "aws_s3_object")) as any[];
    expect(object).toMatchObject({ key: "index.html", content_type: "text/html; charset=utf-8", lifecycle: { ignore_changes: "all" } });
    expect(object.bucket).toContain("aws_s3_bucket.edge_static-bucket");
    expect(object.content).toContain("<h1>app.example.com</h1>");
  });

  it("in prefix-list mode, sends a secret header only the ALB's listener rule forwards on, and the secret is never a literal", () => {
    const { tf: mode, json: modeJson } = synthAws(withoutAccess((d) => (d.webTier.edge.originAccess = "prefix-list")));
    const [distribution] = Object.values(resourcesOf(mode, "aws_cloudfront_distribution")) as any[];
    const origin = distribution.origin.find((o: any) => o.origin_id === "alb");
    expect(origin.custom_header).toEqual([{ name: "X-Origin-Verify", value: expect.stringMatching(/^\$\{terraform_data\.origin-secret_value_\w+\.output\.value\}$/) }]);
    const [secret] = Object.values(resourcesOf(mode, "terraform_data")) as any[];
    expect(secret).toMatchObject({ input: { value: "${sensitive(uuid())}" }, lifecycle: { ignore_changes: ["input"] } });
    const listener = (Object.values(resourcesOf(mode, "aws_lb_listener")) as any[]).find((l) => l.port === 443);
    expect(listener.default_action).toEqual([{ type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "403", message_body: "Forbidden" } }]);
    const [rule] = Object.values(resourcesOf(mode, "aws_lb_listener_rule")) as any[];
    expect(rule.condition).toEqual([{ http_header: { http_header_name: "X-Origin-Verify", values: [origin.custom_header[0].value] } }]);
    expect(rule.action[0].type).toBe("forward");
    const [alb] = Object.values(resourcesOf(mode, "aws_lb")) as any[];
    expect(alb.internal).toBe(false);
    // The secret is made by Terraform at apply: the JSON holds only references to it.
    expect(modeJson.match(/X-Origin-Verify/g)).toHaveLength(2);
  });
});

describe("web tier bad input gets one line naming the field", () => {
  const F = "environments/example.yaml";
  it.each<[string, (doc: any) => void, string]>([
    ["an invalid domain", (d) => (d.webTier.domain = "App_Example"), `${F}: webTier.domain "App_Example" must be a lowercase DNS name such as app.example.com`],
    ["a domain outside the hosted zone", (d) => (d.webTier.domain = "app.other.org"), `${F}: webTier.domain "app.other.org" is not in webTier.hostedZoneName example.com`],
    ["a SAN outside the hosted zone", (d) => (d.webTier.subjectAlternativeNames = ["www.other.org"]), `${F}: webTier.subjectAlternativeNames[0] "www.other.org" is not in webTier.hostedZoneName example.com`],
    ["a health-check path without a leading slash", (d) => (d.webTier.healthCheck.path = "health"), `${F}: webTier.healthCheck.path "health" must start with "/" and hold no spaces`],
    ["an instance type that does not match the image", (d) => Object.assign(d.webTier.servers, { imageId: "ami-0123456789abcdef0", imageArchitecture: "x86_64" }), `${F}: webTier.servers.instanceType "c6g.xlarge" is arm64 but servers.imageArchitecture is x86_64`],
    ["an image without its architecture", (d) => (d.webTier.servers.imageId = "ami-0123456789abcdef0"), `${F}: webTier.servers.imageArchitecture is required with servers.imageId`],
    ["the edge on with no office CIDRs", (d) => (d.webTier.edge.officeCidrs = []), `${F}: webTier.edge.officeCidrs must list at least one office CIDR when the edge is on`],
    ["an office CIDR that is the whole internet", (d) => (d.webTier.edge.officeCidrs = ["0.0.0.0/0"]), `${F}: webTier.edge.officeCidrs[0] "0.0.0.0/0" is the whole internet`],
    ["an edge certificate outside us-east-1", (d) => (d.webTier.edge.certificateArn = "arn:aws:acm:ap-northeast-2:123456789012:certificate/12345678-1234-1234-1234-123456789012"), `${F}: webTier.edge.certificateArn "arn:aws:acm:ap-northeast-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" is in ap-northeast-2; CloudFront only uses certificates in us-east-1`],
    [
      "the edge on without the prefix list id, in a region whose id the project does not know",
      (d) => {
        delete d.webTier.edge.cloudFrontPrefixListId;
        Object.assign(d, JSON.parse(JSON.stringify(d).replace(/ap-northeast-2/g, "ap-southeast-3")));
      },
      `${F}: webTier.edge.cloudFrontPrefixListId is required in ap-southeast-3`,
    ],
    ["a regional certificate in another region", (d) => (d.webTier.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"), `${F}: webTier.certificateArn "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" is in us-east-1; the ALB (aws.region) needs a certificate in ap-northeast-2`],
    ["a TLS policy that allows TLS 1.0", (d) => (d.webTier.tlsPolicy = "ELBSecurityPolicy-2016-08"), `${F}: webTier.tlsPolicy "ELBSecurityPolicy-2016-08" must be one of`],
    ["a desired capacity outside min and max", (d) => (d.webTier.servers.desiredCapacity = 9), `${F}: webTier.servers.desiredCapacity 9 must be between servers.minSize 2 and servers.maxSize 4`],
    ["the app on the SSH port", (d) => (d.webTier.appPort = 22), `${F}: webTier.appPort 22 is an admin port`],
    ["the ALB with public subnets in one AZ", (d) => (d.network.subnets = d.network.subnets.filter((s: any) => s.cidr !== "172.16.2.0/24")), `${F}: webTier.enabled needs public subnets in at least two AZs`],
  ])("%s", (_what, edit, expected) => {
    expect(errorFor(edit).split("\n")[0]).toContain(expected);
  });
});

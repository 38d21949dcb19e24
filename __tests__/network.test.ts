import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { exampleWith } from "./helpers/environment";
import { resourcesOf, synthAws } from "./helpers/synth";

describe("network of the example (seed 002)", () => {
  const { json, tf } = synthAws(exampleWith());

  it("creates the VPC with DNS support and hostnames", () => {
    expect(json).toHaveResourceWithProperties(Vpc, {
      cidr_block: "172.16.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("creates seven subnets under stable ids named by tier and AZ letter, none mapping public IPs", () => {
    const subnets = resourcesOf(tf, "aws_subnet");
    expect(Object.keys(subnets)).toHaveLength(7);
    for (const subnet of Object.values(subnets)) expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(json).toHaveResourceWithProperties(Subnet, { cidr_block: "172.16.160.0/20", availability_zone: "ap-northeast-2c", tags: { Name: "private-access-example-data-c", Tier: "data" } });
    const names = Object.keys(subnets).map((name) => name.replace(/_[0-9A-F]{8}$/, "")).sort();
    expect(names).toEqual(["app-a", "app-b", "data-a", "data-b", "data-c", "public-a", "public-b"].map((key) => `network_subnet-${key}`));
  });

  it("has one NAT gateway with one EIP in the first AZ's public subnet", () => {
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(tf, "aws_eip"))).toHaveLength(1);
    const [nat] = Object.values(resourcesOf(tf, "aws_nat_gateway")) as any[];
    expect(nat.subnet_id).toMatch(/aws_subnet\.network_subnet-public-a_/);
  });

  it("routes public → internet gateway, app → NAT, and gives data no way out", () => {
    const routes = Object.values(resourcesOf(tf, "aws_route")) as any[];
    expect(routes).toHaveLength(3);
    expect(routes.filter((r) => r.gateway_id?.includes("aws_internet_gateway"))).toHaveLength(1);
    expect(routes.filter((r) => r.nat_gateway_id?.includes("aws_nat_gateway"))).toHaveLength(2);
    expect(routes.every((r) => !r.route_table_id.includes("rt-data"))).toBe(true);
    const tables = Object.keys(resourcesOf(tf, "aws_route_table"));
    expect(tables).toHaveLength(4); // public, app-a, app-b, data
    expect(Object.keys(resourcesOf(tf, "aws_route_table_association"))).toHaveLength(7);
  });

  it("reaches S3 through a gateway endpoint on the app and data route tables", () => {
    expect(json).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.ap-northeast-2.s3",
      vpc_endpoint_type: "Gateway",
    });
    const [endpoint] = Object.values(resourcesOf(tf, "aws_vpc_endpoint")) as any[];
    expect(endpoint.route_table_ids).toHaveLength(3);
  });

  it("manages the default security group with no rules", () => {
    const [group] = Object.values(resourcesOf(tf, "aws_default_security_group")) as any[];
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(json).toHaveResource(DefaultSecurityGroup);
  });

  it("logs all VPC traffic to a KMS-encrypted log group through a role that can only write there", () => {
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs", max_aggregation_interval: 60 });
    const group = (Object.values(resourcesOf(tf, "aws_cloudwatch_log_group")) as any[]).find((g) => g.name.endsWith("vpc-flow-logs"));
    expect(group).toMatchObject({ name: "/private-access-example/vpc-flow-logs", retention_in_days: 365 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    for (const key of Object.values(resourcesOf(tf, "aws_kms_key")) as any[]) expect(key.enable_key_rotation).toBe(true);

    const docs = tf.data!.aws_iam_policy_document;
    const write = Object.entries(docs).find(([name]) => name.includes("flow-logs_write"))![1];
    // Every permission VPC Flow Logs documents for CloudWatch Logs delivery, each as narrow as IAM allows.
    expect(write.statement).toEqual([
      {
        sid: "WriteFlowLogsToOwnGroup",
        effect: "Allow",
        actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}$/), expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/)],
      },
      { sid: "DescribeLogGroups", effect: "Allow", actions: ["logs:DescribeLogGroups"], resources: ["arn:aws:logs:ap-northeast-2:123456789012:log-group:*"] },
    ]);
    const granted = write.statement.flatMap((s: any) => s.actions).sort();
    expect(granted).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    const trust = Object.entries(docs).find(([name]) => name.includes("flow-logs_trust"))![1];
    expect(trust.statement[0].condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }]);
    const keyPolicy = Object.entries(docs).find(([name]) => name.includes("flow-logs_key_cmk_policy"))![1];
    expect(keyPolicy.statement[1].condition[0]).toEqual({
      test: "ArnLike",
      variable: "kms:EncryptionContext:aws:logs:arn",
      values: ["arn:aws:logs:ap-northeast-2:123456789012:log-group:/private-access-example/vpc-flow-logs"],
    });
  });

  it("tags everything through the provider's default tags and keeps credentials out of the JSON", () => {
    const [provider] = tf.provider.aws;
    expect(provider.default_tags[0].tags).toEqual({ Owner: "platform-team", Project: "private-access", Environment: "example", ManagedBy: "cdktf/private-access" });
    expect(provider.access_key).toBeUndefined();
    expect(provider.secret_key).toBeUndefined();
    expect(provider.skip_credentials_validation).toBeUndefined();
  });
});

describe("NAT modes", () => {
  const threePublic = (mode: string) =>
    exampleWith((doc) => {
      doc.network.natGateways = mode;
      if (mode === "none") delete doc.cloudflareTunnel; // the tunnel needs a way out
      doc.network.subnets.push({ tier: "public", az: "ap-northeast-2c", cidr: "172.16.3.0/24" });
      doc.network.subnets.push({ tier: "app", az: "ap-northeast-2c", cidr: "172.16.64.0/20" });
    });

  it("per-az puts a NAT gateway in every AZ with a public subnet and routes each app subnet to its own", () => {
    const { tf } = synthAws(threePublic("per-az"));
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway")).sort()).toEqual(
      ["a", "b", "c"].map((l) => expect.stringContaining(`nat-${l}`)),
    );
    const routes = Object.entries(resourcesOf(tf, "aws_route")) as [string, any][];
    for (const letter of ["a", "b", "c"]) {
      const [, route] = routes.find(([name]) => name.includes(`rt-app-${letter}-nat`))!;
      expect(route.nat_gateway_id).toContain(`nat-${letter}`);
    }
  });

  it("none creates no NAT, no EIP and no default route for the app tier", () => {
    const { tf } = synthAws(threePublic("none"));
    expect(resourcesOf(tf, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(tf, "aws_eip")).toEqual({});
    expect(Object.keys(resourcesOf(tf, "aws_route"))).toHaveLength(1);
  });

  it("keeps the single NAT in the first AZ when an AZ is added", () => {
    const { tf } = synthAws(threePublic("single"));
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway"))).toEqual([expect.stringContaining("nat-a")]);
  });
});

describe("stable ids", () => {
  it("adding an AZ and its subnets leaves every existing resource's logical name and CIDR alone", () => {
    const before = synthAws(exampleWith()).tf;
    const after = synthAws(
      exampleWith((doc) => {
        doc.network.availabilityZones.push("ap-northeast-2d");
        doc.network.subnets.push({ tier: "data", az: "ap-northeast-2d", cidr: "172.16.176.0/20" });
      }),
    ).tf;
    for (const [name, subnet] of Object.entries(resourcesOf(before, "aws_subnet"))) {
      expect(resourcesOf(after, "aws_subnet")[name]?.cidr_block).toBe(subnet.cidr_block);
    }
    for (const type of Object.keys(before.resource)) {
      for (const name of Object.keys(before.resource[type])) expect(after.resource[type]).toHaveProperty([name]);
    }
  });
});

describe("offline mode", () => {
  it("adds the provider's skip flags and forces the local backend, and nothing else", () => {
    const env = exampleWith((doc) => (doc.backend = { type: "s3", bucket: "team-state", region: "ap-northeast-2", kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }));
    const offline = synthAws(env, true).tf;
    expect(offline.provider.aws[0]).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
    });
    expect(offline.terraform.backend).toHaveProperty("local");
    const online = synthAws(env, false).tf;
    expect(online.terraform.backend).toHaveProperty("s3");
  });
});

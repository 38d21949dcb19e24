import { parseEnvironment } from "../src/config/load";
import { errorFor, exampleWith } from "./helpers/environment";

const FILE = "environments/example.yaml";

describe("loading the bundled example", () => {
  it("fills in the secure defaults and names the environment after its file", () => {
    const env = exampleWith((doc) => {
      delete doc.network.natGateways;
      delete doc.network.flowLogs;
      delete doc.network.s3GatewayEndpoint;
      delete doc.backend;
    });
    expect(env.name).toBe("example");
    expect(env.network.natGateways).toBe("single");
    expect(env.network.s3GatewayEndpoint).toBe(true);
    expect(env.network.flowLogs).toEqual({ retentionInDays: 365, trafficType: "ALL" });
    expect(env.network.allowNonPrivateCidr).toBe(false);
    expect(env.backend).toEqual({ type: "local" });
    expect(env.guardrails.suppressions).toEqual([]);
  });

  it("carries the checked CIDR plan", () => {
    const env = exampleWith();
    expect(env.cidrPlan.subnets).toHaveLength(7);
    expect(env.cidrPlan.usable).toBe(20957);
  });

  it("accepts JSON too (YAML is a superset)", () => {
    const env = parseEnvironment(
      "environments/dev.json",
      JSON.stringify({
        aws: { region: "eu-west-1", accountId: "111122223333" },
        network: { cidr: "10.1.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], tiers: [{ tier: "public", prefixLength: 24 }, { tier: "app", prefixLength: 20 }] },
      }),
    );
    expect(env.name).toBe("dev");
    expect(env.cidrPlan.subnets.map((s) => s.cidr)).toEqual(["10.1.0.0/24", "10.1.1.0/24", "10.1.64.0/20", "10.1.80.0/20"]);
  });
});

describe("bad input gets one line naming the file, the field and the problem", () => {
  it.each<[string, (doc: Record<string, any>) => void, string]>([
    ["a malformed subnet CIDR", (d) => (d.network.subnets[2].cidr = "10.0.300.0/24"), `${FILE}: network.subnets[2].cidr 10.0.300.0/24 is not a valid IPv4 CIDR (each part 0-255, prefix 0-32)`],
    ["an overlapping subnet", (d) => (d.network.subnets[3].cidr = "172.16.32.0/20"), `${FILE}: network.subnets[3].cidr 172.16.32.0/20 overlaps network.subnets[2] (172.16.32.0/20)`],
    ["a subnet outside the VPC", (d) => (d.network.subnets[0].cidr = "10.0.0.0/24"), `${FILE}: network.subnets[0].cidr 10.0.0.0/24 is not inside the VPC range 172.16.0.0/16`],
    ["an AZ of another region", (d) => (d.network.availabilityZones[2] = "us-east-1c"), `${FILE}: network.availabilityZones[2] "us-east-1c" is not an AZ of aws.region ap-northeast-2`],
    ["an unknown NAT mode", (d) => (d.network.natGateways = "double"), `${FILE}: network.natGateways "double" must be one of "none", "single", "per-az"`],
    ["a misspelt key", (d) => (d.network.natGateway = "single"), `${FILE}: network.natGateway is not a known field (check the spelling against the README's environment file reference)`],
    ["a missing region", (d) => delete d.aws.region, `${FILE}: aws.region is required`],
    ["an account id that is not 12 digits", (d) => (d.aws.accountId = "12345"), `${FILE}: aws.accountId "12345" must be the 12-digit AWS account id (quote it in YAML)`],
    ["an unquoted account id", (d) => (d.aws.accountId = 123456789012), `${FILE}: aws.accountId must be a string, got 123456789012`],
    ["a bad region", (d) => (d.aws.region = "Seoul"), `${FILE}: aws.region "Seoul" must be an AWS region such as ap-northeast-2`],
    ["a log retention CloudWatch does not offer", (d) => (d.network.flowLogs.retentionInDays = 42), `${FILE}: network.flowLogs.retentionInDays 42 must be one of the CloudWatch Logs retention values`],
    ["a wrong type", (d) => (d.network.s3GatewayEndpoint = "yes"), `${FILE}: network.s3GatewayEndpoint must be a boolean, got "yes"`],
    ["both subnets and tiers", (d) => (d.network.tiers = [{ tier: "app", prefixLength: 20 }]), `${FILE}: network.tiers give either subnets or tiers, not both`],
    ["a public VPC range", (d) => { d.network.cidr = "52.0.0.0/16"; d.network.subnets = []; }, `${FILE}: network.cidr 52.0.0.0/16 is outside the private ranges`],
    ["a NAT gateway with no public subnet", (d) => (d.network.subnets = d.network.subnets.filter((s: any) => s.tier !== "public")), `${FILE}: network.natGateways "single" needs a public subnet for the NAT gateway; add one or set natGateways: none`],
    ["an unknown backend type", (d) => (d.backend = { type: "gcs" }), `${FILE}: backend.type "gcs" must be one of local, s3, terraform-cloud`],
    ["an s3 backend without a bucket", (d) => (d.backend = { type: "s3", region: "ap-northeast-2" }), `${FILE}: backend.bucket is required`],
    ["DynamoDB locking without a table", (d) => (d.backend = { type: "s3", bucket: "my-state", region: "ap-northeast-2", locking: "dynamodb", kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }), `${FILE}: backend.dynamodbTable is required when backend.locking is "dynamodb"`],
    ["a lock table with lock-file locking", (d) => (d.backend = { type: "s3", bucket: "my-state", region: "ap-northeast-2", dynamodbTable: "locks", kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }), `${FILE}: backend.dynamodbTable is set but backend.locking is "lockfile"`],
    // The state bucket refuses uploads whose key header is not its key's ARN; Terraform sends SSE-S3
    // without kmsKeyId and an alias as the alias string (both lock file and state would be denied).
    ["an s3 backend without the state key", (d) => (d.backend = { type: "s3", bucket: "my-state", region: "ap-northeast-2" }), `${FILE}: backend.kmsKeyId is required: the ARN of the state key`],
    ["an s3 backend with the key given as an alias", (d) => (d.backend = { type: "s3", bucket: "my-state", region: "ap-northeast-2", kmsKeyId: "alias/terraform-state" }), `${FILE}: backend.kmsKeyId "alias/terraform-state" must be a KMS key ARN`],
    ["a Terraform Cloud backend without an organization", (d) => (d.backend = { type: "terraform-cloud" }), `${FILE}: backend.organization is required`],
    ["a suppression without a reason", (d) => (d.guardrails = { suppressions: [{ rule: "PA-NET-001", path: "example-aws/x" }] }), `${FILE}: guardrails.suppressions[0].reason is required`],
    ["a suppression with a token reason", (d) => (d.guardrails = { suppressions: [{ rule: "PA-NET-001", path: "example-aws/x", reason: "because" }] }), `${FILE}: guardrails.suppressions[0].reason "because" must explain why, in at least 15 characters`],
    ["a suppression of an unknown rule id shape", (d) => (d.guardrails = { suppressions: [{ rule: "ssh-open", path: "x", reason: "a long enough reason here" }] }), `${FILE}: guardrails.suppressions[0].rule "ssh-open" must be a guardrail rule id such as PA-NET-001`],
  ])("%s", (_what, edit, expected) => {
    const message = errorFor(edit);
    expect(message.split("\n")[0]).toContain(expected);
    expect(message.startsWith(`${FILE}: `)).toBe(true);
  });

  it("reports YAML syntax errors with the line", () => {
    expect(() => parseEnvironment(FILE, "aws:\n  region: [unclosed\n")).toThrow(/^environments\/example\.yaml: line \d+ is not valid YAML/);
  });

  it("rejects duplicate keys instead of keeping the last one silently", () => {
    expect(() => parseEnvironment(FILE, "project: a1\nproject: b2\n")).toThrow(/is not valid YAML: Map keys must be unique/);
  });

  it("rejects an empty file with the fields it needs", () => {
    expect(() => parseEnvironment(FILE, "")).toThrow(/environments\/example\.yaml: aws is required/);
  });

  it("rejects a file name that cannot name a stack", () => {
    expect(() => parseEnvironment("environments/Prod_1.yaml", "")).toThrow(
      'environments/Prod_1.yaml: file name "Prod_1" must be an environment name of 2-32 lowercase letters, digits and dashes (it names the stacks)',
    );
  });
});

import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { parseStateBackendConfig } from "../terraform-state-backend/config";
import { backendSnippet } from "../terraform-state-backend/snippet";
import { StateBackendStack } from "../terraform-state-backend/stack";
import { byName } from "./helpers/synth";

const FILE = "terraform-state-backend/backend.yaml";
const text = fs.readFileSync(path.join(__dirname, "..", FILE), "utf8");
const config = parseStateBackendConfig(FILE, text);

function synth(edit: Record<string, unknown> = {}) {
  const stack = new StateBackendStack(Testing.app(), { ...config, ...edit }, { offline: false, localStatePath: "terraform.{stack}.tfstate" });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

describe("state-backend stack", () => {
  const { json, tf } = synth();

  it("keeps its own state locally at first", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: "terraform.state-backend.tfstate" } });
  });

  it("makes a versioned, KMS-encrypted, owner-enforced, non-public bucket that Terraform will not destroy", () => {
    const bucket = byName(tf, "aws_s3_bucket", "state-bucket");
    expect(bucket).toMatchObject({ bucket: "private-access-tfstate-123456789012", lifecycle: { prevent_destroy: true } });
    expect(byName(tf, "aws_s3_bucket_versioning", "state-bucket").versioning_configuration.status).toBe("Enabled");
    expect(byName(tf, "aws_s3_bucket_server_side_encryption_configuration", "state-bucket").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(byName(tf, "aws_s3_bucket_public_access_block", "state-bucket")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    expect(byName(tf, "aws_s3_bucket_ownership_controls", "state-bucket").rule.object_ownership).toBe("BucketOwnerEnforced");
    const lifecycle = byName(tf, "aws_s3_bucket_lifecycle_configuration", "state-bucket");
    expect(lifecycle.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(lifecycle.rule[0].expiration).toBeUndefined();
    const key = byName(tf, "aws_kms_key", "key");
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(key.policy).toContain("data.aws_iam_policy_document");
  });

  it("refuses plain HTTP, old TLS and uploads not encrypted with its key", () => {
    const policy = Object.entries(tf.data.aws_iam_policy_document).find(([name]) => name.includes("state-bucket_policy-document"))![1] as any;
    expect(policy.statement.map((s: any) => s.sid)).toEqual(["DenyInsecureTransport", "DenyTlsOlderThan12", "DenyUploadsNotEncryptedWithKms", "DenyUploadsWithAnotherKey"]);
    expect(policy.statement[2].condition).toEqual([{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }]);
  });

  it("logs access to a separate SSE-S3 bucket", () => {
    expect(byName(tf, "aws_s3_bucket_logging", "state-access-logging").target_prefix).toBe("state-access/");
    expect(byName(tf, "aws_s3_bucket_server_side_encryption_configuration", "access-logs").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
  });

  it("locks with S3 lock files by default, or a DynamoDB table with PITR and KMS", () => {
    expect(json).not.toHaveResource(DynamodbTable);
    const dynamo = synth({ locking: "dynamodb", dynamodbTable: "tf-locks" });
    expect(dynamo.json).toHaveResourceWithProperties(DynamodbTable, {
      name: "tf-locks",
      hash_key: "LockID",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: expect.stringContaining("aws_kms_key.") },
      lifecycle: { prevent_destroy: true },
    });
  });

  it("prints the snippets to paste after bootstrapping", () => {
    const snippet = backendSnippet(config, "arn:aws:kms:ap-northeast-2:123456789012:key/abc");
    expect(snippet.environmentFile).toBe(
      "backend:\n  type: s3\n  bucket: private-access-tfstate-123456789012\n  region: ap-northeast-2\n  keyPrefix: private-access\n  locking: lockfile\n  kmsKeyId: arn:aws:kms:ap-northeast-2:123456789012:key/abc\n",
    );
    expect(snippet.backendYaml).toBe("ownState: { type: s3, kmsKeyArn: arn:aws:kms:ap-northeast-2:123456789012:key/abc }\n");
  });

  it("keeps its own state in its bucket once backend.yaml says so (committed, so CI plans against the real state)", () => {
    const { tf } = synth({ ownState: { type: "s3", kmsKeyArn: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" } });
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: "private-access-tfstate-123456789012",
        key: "private-access/state-backend.tfstate",
        region: "ap-northeast-2",
        encrypt: true,
        kms_key_id: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        use_lockfile: true,
      },
    });
    expect(tf.output.environment_file_backend.value).toContain("type: s3");
  });
});

describe("backend.yaml bad input gets one line naming the field", () => {
  it.each<[string, string, string]>([
    ["a region AWS does not have", text.replace(/^region: .*/m, "region: ap-northeast-9"), `${FILE}: region "ap-northeast-9" is not an AWS region`],
    ["a bad bucket name", text.replace(/bucketName: .*/, "bucketName: Not_A_Bucket"), `${FILE}: bucketName "Not_A_Bucket" must be a valid S3 bucket name`],
    ["DynamoDB locking without a table", text.replace("locking: lockfile", "locking: dynamodb"), `${FILE}: dynamodbTable is required when locking is "dynamodb"`],
    ["an unknown field", `${text}\nbucket: x\n`, `${FILE}: bucket is not a known field`],
    ["an unquoted account id", text.replace('accountId: "123456789012"', "accountId: 123456789012"), `${FILE}: accountId must be a string, got 123456789012`],
    ["its own state in the bucket under a key alias", text.replace(/ownState: .*/, "ownState: { type: s3, kmsKeyArn: alias/terraform-state }"), `${FILE}: ownState.kmsKeyArn "alias/terraform-state" must be the state key's ARN`],
  ])("%s", (_what, yaml, expected) => {
    expect(() => parseStateBackendConfig(FILE, yaml)).toThrow(expected);
  });
});

import type { Construct } from "constructs";
import { StandaloneStack } from "../src/stacks/standalone-stack";
import { Aspects, LocalBackend, S3Backend, TerraformOutput } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { CustomerKey } from "../modules/common/kms-key";
import { SecureBucket } from "../modules/common/secure-bucket";
import { GuardrailReport, Guardrails } from "../src/policy/guardrails";
import { ALL_RULES } from "../src/policy/rules";
import { awsProvider } from "../src/stacks/aws-provider";
import type { StateBackendConfig } from "./config";
import { backendSnippet } from "./snippet";

export const STATE_BACKEND_STACK = "state-backend";

/**
 * `state-backend`: the S3 bucket (and optional DynamoDB table) every other stack keeps its state in.
 * It starts with local state; README "Remote state" moves its own state into the bucket afterwards.
 */
export class StateBackendStack extends StandaloneStack {
  readonly guardrails: GuardrailReport;
  readonly bucket: SecureBucket;

  constructor(scope: Construct, config: StateBackendConfig, options: { offline: boolean; localStatePath: string }) {
    super(scope, STATE_BACKEND_STACK);
    if (config.ownState.type === "s3" && !options.offline) {
      // After the migration the bootstrap's own state lives in its bucket, like every other stack's.
      new S3Backend(this, { bucket: config.bucketName, key: `${config.project}/state-backend.tfstate`, region: config.region, encrypt: true, kmsKeyId: config.ownState.kmsKeyArn, dynamodbTable: config.locking === "dynamodb" ? config.dynamodbTable : undefined });
      if (config.locking === "lockfile") this.addOverride("terraform.backend.s3.use_lockfile", true);
    } else {
      new LocalBackend(this, { path: options.localStatePath.replace("{stack}", STATE_BACKEND_STACK) });
    }
    awsProvider(this, "aws", { region: config.region, offline: options.offline, tags: { Project: config.project, Purpose: "terraform-state", ManagedBy: "cdktf/private-access" } });
    const key = new CustomerKey(this, "key", {
      region: config.region,
      accountId: config.accountId,
      alias: `${config.project}-terraform-state`,
      description: "Encrypts Terraform state (and its lock table)",
    });
    key.key.addOverride("lifecycle.prevent_destroy", true);
    const encryptedUploadsOnly = (arn: string) => [
      {
        sid: "DenyUploadsNotEncryptedWithKms",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:PutObject"],
        resources: [`${arn}/*`],
        condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }],
      },
      {
        sid: "DenyUploadsWithAnotherKey",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:PutObject"],
        resources: [`${arn}/*`],
        condition: [{ test: "StringNotEqualsIfExists", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [key.arn] }],
      },
    ];
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: config.bucketName,
      encryption: { kmsKeyArn: key.arn },
      noncurrentExpireAfterDays: config.noncurrentVersionExpirationDays,
      preventDestroy: true,
      policyStatements: encryptedUploadsOnly,
    });
    if (config.accessLogging) {
      // S3 server access logs can only be delivered to a bucket with SSE-S3 default encryption.
      const logs = new SecureBucket(this, "access-logs", {
        bucketName: `${config.bucketName}-logs`.slice(0, 63),
        encryption: "s3-managed",
        expireAfterDays: 365,
        policyStatements: (arn) => [
          {
            sid: "S3ServerAccessLogDelivery",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
            actions: ["s3:PutObject"],
            resources: [`${arn}/state-access/*`],
            condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [config.accountId] }],
          },
        ],
      });
      new S3BucketLoggingA(this, "state-access-logging", { bucket: this.bucket.bucket.id, targetBucket: logs.bucket.id, targetPrefix: "state-access/" });
    }
    if (config.locking === "dynamodb") {
      new DynamodbTable(this, "lock-table", {
        name: config.dynamodbTable!,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        deletionProtectionEnabled: true,
        lifecycle: { preventDestroy: true },
      });
    }
    new TerraformOutput(this, "bucket", { value: this.bucket.name, description: "State bucket" });
    new TerraformOutput(this, "kms_key_arn", { value: key.arn, description: "State encryption key" });
    new TerraformOutput(this, "environment_file_backend", { value: backendSnippet(config, key.arn).environmentFile, description: "Paste into environments/<env>.yaml" });
    this.guardrails = new GuardrailReport([]);
    Aspects.of(this).add(new Guardrails(ALL_RULES, this.guardrails));
  }
}

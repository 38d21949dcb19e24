import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";

export type BucketEncryption = { readonly kmsKeyArn: string } | "s3-managed";

export interface SecureBucketProps {
  /** S3 adds a unique suffix (bucket names are global). At most 37 characters. Give this or `bucketName`. */
  readonly bucketPrefix?: string;
  /** An exact, globally unique name (for buckets people must type, like the state bucket). */
  readonly bucketName?: string;
  /** A KMS key ARN, or "s3-managed" where the writer supports only SSE-S3 (ALB access logs). */
  readonly encryption: BucketEncryption;
  /** @default true */
  readonly versioned?: boolean;
  /** Days after which objects (and noncurrent versions) expire. @default never */
  readonly expireAfterDays?: number;
  /** Days after which only noncurrent versions expire (current objects stay). @default never */
  readonly noncurrentExpireAfterDays?: number;
  /** Terraform refuses to destroy the bucket (lifecycle prevent_destroy). @default false */
  readonly preventDestroy?: boolean;
  /** Statements (given the bucket's ARN) added to the bucket policy after the deny-insecure-transport ones. @default none */
  readonly policyStatements?: (bucketArn: string) => DataAwsIamPolicyDocumentStatement[];
  /** @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An S3 bucket with the project's floor: public access blocked, ACLs off (bucket owner enforced),
 * encryption at rest, versioning, and a policy refusing plain HTTP and TLS older than 1.2.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly arn: string;
  readonly name: string;
  /** The bucket policy resource: depend on it before anything writes to the bucket. */
  readonly policy: S3BucketPolicy;
  /** Default encryption: objects Terraform uploads wait for it. */
  readonly encryptionConfiguration: S3BucketServerSideEncryptionConfigurationA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    if ((props.bucketPrefix === undefined) === (props.bucketName === undefined)) throw new Error(`${id}: give exactly one of bucketPrefix and bucketName`);
    if (props.bucketPrefix !== undefined && !/^[a-z0-9][a-z0-9.-]{0,36}$/.test(props.bucketPrefix)) {
      throw new Error(`${id}: bucketPrefix must be 1-37 lowercase letters, digits, dots or dashes, got "${props.bucketPrefix}"`);
    }
    if (props.bucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new Error(`${id}: bucketName must be a valid S3 bucket name, got "${props.bucketName}"`);
    }
    if (props.expireAfterDays !== undefined && (!Number.isInteger(props.expireAfterDays) || props.expireAfterDays < 1)) {
      throw new Error(`${id}: expireAfterDays must be a whole number of days >= 1, got ${props.expireAfterDays}`);
    }
    const provider = props.provider;
    this.bucket = new S3Bucket(this, "bucket", {
      bucketPrefix: props.bucketPrefix,
      bucket: props.bucketName,
      provider,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
      provider,
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });
    this.encryptionConfiguration = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        props.encryption === "s3-managed"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.kmsKeyArn }, bucketKeyEnabled: true },
      ],
      provider,
    });
    if (props.versioned ?? true) {
      new S3BucketVersioningA(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" }, provider });
    }
    const noncurrentDays = props.noncurrentExpireAfterDays ?? props.expireAfterDays;
    if (noncurrentDays !== undefined) {
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket: this.bucket.id,
        rule: [
          {
            id: "expire",
            status: "Enabled",
            filter: [{ prefix: "" }],
            expiration: props.expireAfterDays !== undefined ? [{ days: props.expireAfterDays }] : undefined,
            noncurrentVersionExpiration: [{ noncurrentDays }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
        provider,
      });
    }
    const everything = [this.bucket.arn, `${this.bucket.arn}/*`];
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider,
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: everything,
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "DenyTlsOlderThan12",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: everything,
          condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
        },
        ...(props.policyStatements?.(this.bucket.arn) ?? []),
      ],
    });
    // The public access block must exist first, or S3 may reject the policy as public.
    this.policy = new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: document.json, provider, dependsOn: [publicAccess] });
  }
}

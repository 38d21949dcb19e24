import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { resolveTokens } from "../resolve";
import type { GuardrailRule } from "../rule";

const isTrue = (value: unknown) => value === true || value === "true";

export const encryptionAtRest: GuardrailRule = {
  id: "PA-ENC-001",
  title: "Every volume, log group and bucket is encrypted; every bucket blocks public access",
  explanation: "Encryption at rest and blocked public access are the floor for anything holding data or logs.",
  check(construct: IConstruct): string[] {
    if (construct instanceof LaunchTemplate) {
      const mappings = construct.blockDeviceMappingsInput;
      const plain = (Array.isArray(mappings) ? mappings : []).filter((m) => m.ebs && !isTrue(m.ebs.encrypted));
      return plain.map((m) => `volume ${m.deviceName} is not encrypted`);
    }
    if (construct instanceof Instance && construct.rootBlockDeviceInput && !isTrue(construct.rootBlockDeviceInput.encrypted)) {
      return ["root volume is not encrypted"];
    }
    if (construct instanceof CloudwatchLogGroup && !construct.kmsKeyIdInput) {
      return [`log group ${construct.nameInput ?? ""} has no KMS key`];
    }
    if (!TerraformStack.isStack(construct)) return [];
    const all = construct.node.findAll();
    const bucketRef = (c: { bucketInput?: string }) => resolveTokens(construct, c.bucketInput);
    const encrypted = new Set(all.filter((c) => c instanceof S3BucketServerSideEncryptionConfigurationA).map((c) => bucketRef(c as S3BucketServerSideEncryptionConfigurationA)));
    const blocked = new Set(
      all
        .filter((c): c is S3BucketPublicAccessBlock => c instanceof S3BucketPublicAccessBlock)
        .filter((b) => [b.blockPublicAclsInput, b.blockPublicPolicyInput, b.ignorePublicAclsInput, b.restrictPublicBucketsInput].every(isTrue))
        .map(bucketRef),
    );
    return all
      .filter((c): c is S3Bucket => c instanceof S3Bucket)
      .flatMap((bucket) => {
        const ref = resolveTokens(construct, bucket.id);
        return [
          ...(encrypted.has(ref) ? [] : [`bucket ${bucket.node.path} has no server-side encryption configuration`]),
          ...(blocked.has(ref) ? [] : [`bucket ${bucket.node.path} does not block all public access`]),
        ];
      });
  },
};

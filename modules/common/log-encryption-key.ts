import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { accountRootArn, logGroupArn } from "./arn";

export interface LogEncryptionKeyProps {
  readonly region: string;
  readonly accountId: string;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** Log group names (or `prefix*` patterns) CloudWatch Logs may encrypt with this key. */
  readonly logGroupNames: readonly string[];
  /** @default 30 days, the longest AWS allows, so a mistaken deletion can be cancelled. */
  readonly deletionWindowInDays?: number;
}

/**
 * A customer-managed KMS key (rotation on) that CloudWatch Logs may use only for the named log
 * groups: the encryption-context condition stops any other log group from borrowing it.
 */
export class LogEncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps) {
    super(scope, id);
    if (props.logGroupNames.length === 0) throw new Error(`${id}: logGroupNames must name at least one log group`);
    const deletionWindow = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      throw new Error(`${id}: deletionWindowInDays must be 7 to 30, got ${deletionWindow}`);
    }
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          // The account keeps administration of its key (AWS's default key policy statement).
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [accountRootArn(props.region, props.accountId)] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchLogsUsesKeyForNamedGroups",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
          condition: [
            {
              test: "ArnLike",
              variable: "kms:EncryptionContext:aws:logs:arn",
              values: props.logGroupNames.map((name) => logGroupArn(props.region, props.accountId, name)),
            },
          ],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: `CloudWatch Logs encryption for ${props.logGroupNames.join(", ")}`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      policy: policy.json,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}

import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { logGroupArn } from "./arn";
import { CustomerKey } from "./kms-key";

export interface LogEncryptionKeyProps {
  readonly region: string;
  readonly accountId: string;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** Log group names CloudWatch Logs may encrypt with this key. */
  readonly logGroupNames: readonly string[];
  /** @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
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
    const key = new CustomerKey(this, "cmk", {
      region: props.region,
      accountId: props.accountId,
      alias: props.alias,
      description: `CloudWatch Logs encryption for ${props.logGroupNames.join(", ")}`,
      provider: props.provider,
      serviceStatements: [
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
    this.key = key.key;
    this.arn = key.arn;
  }
}

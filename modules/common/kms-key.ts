import { Construct } from "constructs";
import { Lazy, type TerraformProvider } from "cdktf";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement, dataAwsIamPolicyDocumentStatementToTerraform } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { accountRootArn } from "./arn";

export interface CustomerKeyProps {
  readonly region: string;
  readonly accountId: string;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  /** Statements for the services that use the key, after the account-administers statement. @default none */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** A customer-managed KMS key with rotation on, a 30-day deletion window and its key policy written out. */
export class CustomerKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  private readonly lateStatements: DataAwsIamPolicyDocumentStatement[] = [];

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      provider: props.provider,
      // Lazy: statements naming resources built after the key (a distribution reading through it) join at synth.
      statement: Lazy.anyValue({
        produce: () => [
        {
          // AWS's default key policy statement: the account administers its key through IAM.
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [accountRootArn(props.region, props.accountId)] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...(props.serviceStatements ?? []),
        ...this.lateStatements,
        ].map(dataAwsIamPolicyDocumentStatementToTerraform),
      }) as never,
    });
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
      provider: props.provider,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId, provider: props.provider });
    this.arn = this.key.arn;
  }

  /** Adds a key-policy statement that names a resource created after the key. */
  addServiceStatement(statement: DataAwsIamPolicyDocumentStatement): void {
    this.lateStatements.push(statement);
  }
}

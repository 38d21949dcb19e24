import { Construct } from "constructs";
import { fitName } from "./name-budget";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { accountRootArn } from "./arn";
import type { PolicyStatement } from "./contracts";
import { grantedInlinePolicy } from "./granted-policy";

export interface DeployRoleProps {
  /** Role name. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * Who may assume the role (a CI role, a deployer's role). @default the account: any principal of
   * the account whose own identity policy allows sts:AssumeRole on this role (AWS's delegation model)
   */
  readonly trustedPrincipalArns?: string[];
  /** Longest session, in seconds (3600 to 43200). @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * The one principal that may write the app's buckets from outside the VPC: CI or a person
 * deploying assumes it. The app servers only read; every other principal's writes are refused by
 * the buckets' policies (they exempt this role by ARN).
 */
export class DeployRole extends Construct {
  readonly role: IamRole;
  /** The role's ARN as IAM reports it (aws:PrincipalArn of its sessions). */
  readonly arn: string;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const trusted = props.trustedPrincipalArns?.length ? props.trustedPrincipalArns : [accountRootArn(props.region, props.accountId)];
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", principals: [{ type: "AWS", identifiers: trusted }], actions: ["sts:AssumeRole"] }],
    });
    this.role = new IamRole(this, "role", {
      name: fitName(props.name, 64),
      description: "Deploys the app: writes the app (and static front-end) buckets",
      assumeRolePolicy: trust.json,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
    });
    this.arn = this.role.arn;
    grantedInlinePolicy(this, this.role, "deploy", () => this.statements);
  }

  /** Lets the role list, upload and delete objects of a bucket encrypted with `keyArn` (through S3 only). */
  grantBucketWrite(sidPrefix: string, bucketArn: string, keyArn: string | undefined, region: string): void {
    this.statements.push(
      { sid: `${sidPrefix}List`, actions: ["s3:ListBucket"], resources: [bucketArn] },
      { sid: `${sidPrefix}Write`, actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: [`${bucketArn}/*`] },
    );
    if (keyArn) {
      this.statements.push({
        sid: `${sidPrefix}KeyThroughS3`,
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
      });
    }
  }
}

import { Construct } from "constructs";
import { fitName } from "./name-budget";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { partitionOf } from "./arn";
import type { PolicyGrantee, PolicyStatement } from "./contracts";
import { grantedInlinePolicy } from "./granted-policy";

export interface InstanceRoleProps {
  /** Role and instance profile name. */
  readonly name: string;
  readonly region: string;
  readonly description: string;
  /** AWS managed policies to attach by name. @default ["AmazonSSMManagedInstanceCore"] */
  readonly managedPolicies?: string[];
}

/**
 * An EC2 instance role and profile whose inline policy holds exactly the statements other
 * capabilities grant (rendered at synth, so grants may arrive after construction). Every managed
 * instance (app servers, bastion) has one, so a capability that must reach every instance
 * (Session Manager logging) grants to each the same way.
 */
export class InstanceRole extends Construct implements PolicyGrantee {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
    });
    // IAM role names: at most 64 characters; instance profiles 128.
    this.role = new IamRole(this, "role", { name: fitName(props.name, 64), description: props.description, assumeRolePolicy: trust.json });
    for (const name of props.managedPolicies ?? ["AmazonSSMManagedInstanceCore"]) {
      new IamRolePolicyAttachment(this, `managed-${name}`, { role: this.role.name, policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/${name}` });
    }
    grantedInlinePolicy(this, this.role, "granted", () => this.statements);
    this.profile = new IamInstanceProfile(this, "profile", { name: fitName(props.name, 128), role: this.role.name });
  }

  grant(statement: PolicyStatement): void {
    if (statement.actions.some((action) => action === "*" || action.endsWith(":*"))) {
      throw new Error(`grant ${statement.sid}: wildcard actions are not allowed, got ${statement.actions.join(", ")}`);
    }
    if (this.statements.some((s) => s.sid === statement.sid)) throw new Error(`grant ${statement.sid}: a statement with this sid exists`);
    this.statements.push(statement);
  }

  /** The statements granted so far (for tests and reports). */
  get grantedStatements(): readonly PolicyStatement[] {
    return this.statements;
  }
}

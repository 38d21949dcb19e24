import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { partitionOf } from "../common/arn";
import type { PolicyGrantee, PolicyStatement, UserDataSink } from "../common/contracts";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface AppServersProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly subnetIds: string[];
  readonly securityGroup: ManagedSecurityGroup;
  readonly targetGroupArns: string[];
  /** @default "c6g.xlarge" (Graviton, seed 000) */
  readonly instanceType?: string;
  readonly architecture: "arm64" | "x86_64";
  /** @default the latest Amazon Linux 2023 for `architecture`, resolved by EC2 from its public SSM parameter at launch */
  readonly imageId?: string;
  /** @default 2 */
  readonly minSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
  /** @default 2 */
  readonly desiredCapacity?: number;
  /** @default 30 */
  readonly rootVolumeGiB?: number;
  /** @default none: admins use Session Manager or the EIC Endpoint, not a long-lived key */
  readonly keyPairName?: string;
  /** AWS managed policies to attach by name. @default ["AmazonSSMManagedInstanceCore"] */
  readonly managedPolicies?: string[];
}

/**
 * Private app servers: a launch template (IMDSv2 only, hop limit 1, encrypted gp3 root, no public
 * IP, no key pair) and an Auto Scaling group in the app subnets registered with the target group.
 * Other capabilities add boot-script parts and role permissions through the two contracts.
 */
export class AppServers extends Construct implements UserDataSink, PolicyGrantee {
  readonly role: IamRole;
  readonly securityGroup: ManagedSecurityGroup;
  readonly autoScalingGroupName: string;
  readonly launchTemplate: LaunchTemplate;
  private readonly userDataParts: { name: string; script: string }[] = [];
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: AppServersProps) {
    super(scope, id);
    const minSize = props.minSize ?? 2;
    const maxSize = props.maxSize ?? 4;
    const desired = props.desiredCapacity ?? 2;
    if (minSize > maxSize || desired < minSize || desired > maxSize) {
      throw new Error(`${id}: sizes must satisfy minSize <= desiredCapacity <= maxSize, got ${minSize} <= ${desired} <= ${maxSize}`);
    }
    if (props.subnetIds.length === 0) throw new Error(`${id}: subnetIds must not be empty`);
    this.securityGroup = props.securityGroup;
    const partition = partitionOf(props.region);

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
    });
    this.role = new IamRole(this, "role", {
      name: `${props.namePrefix}-app`,
      description: "App servers: Session Manager core, plus exactly what other capabilities grant",
      assumeRolePolicy: trust.json,
    });
    for (const name of props.managedPolicies ?? ["AmazonSSMManagedInstanceCore"]) {
      new IamRolePolicyAttachment(this, `managed-${name}`, { role: this.role.name, policyArn: `arn:${partition}:iam::aws:policy/${name}` });
    }
    // Statements arrive through grant() after construction; Lazy renders them at synth.
    const granted = new DataAwsIamPolicyDocument(this, "granted", {
      statement: Lazy.anyValue({
        produce: () =>
          this.statements.map((s) => ({
            sid: s.sid,
            effect: "Allow",
            actions: s.actions,
            resources: s.resources,
            condition: s.condition?.map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
          })),
      }) as never,
    });
    new IamRolePolicy(this, "granted-policy", { name: "granted", role: this.role.id, policy: granted.json });
    const profile = new IamInstanceProfile(this, "profile", { name: `${props.namePrefix}-app`, role: this.role.name });

    const arch = props.architecture === "arm64" ? "arm64" : "x86_64";
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.namePrefix}-app-`,
      description: "Private app servers",
      imageId: props.imageId ?? `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      instanceType: props.instanceType ?? "c6g.xlarge",
      keyName: props.keyPairName,
      iamInstanceProfile: { arn: profile.arn },
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.rootVolumeGiB ?? 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [props.securityGroup.id] }],
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.namePrefix}-app` } },
        { resourceType: "volume", tags: { Name: `${props.namePrefix}-app` } },
      ],
      userData: Lazy.stringValue({ produce: () => Buffer.from(this.renderUserData()).toString("base64") }),
    });
    const group = new AutoscalingGroup(this, "asg", {
      name: `${props.namePrefix}-app`,
      vpcZoneIdentifier: props.subnetIds,
      minSize,
      maxSize,
      desiredCapacity: desired,
      targetGroupArns: props.targetGroupArns,
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
      tag: [{ key: "Name", value: `${props.namePrefix}-app`, propagateAtLaunch: true }],
    });
    this.autoScalingGroupName = group.name;
  }

  addUserDataPart(name: string, script: string): void {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`user data part name must be lowercase letters, digits and dashes, got "${name}"`);
    if (this.userDataParts.some((part) => part.name === name)) throw new Error(`user data part "${name}" was added twice`);
    this.userDataParts.push({ name, script });
  }

  grant(statement: PolicyStatement): void {
    if (statement.actions.some((action) => action === "*" || action.endsWith(":*"))) {
      throw new Error(`grant ${statement.sid}: wildcard actions are not allowed, got ${statement.actions.join(", ")}`);
    }
    if (this.statements.some((s) => s.sid === statement.sid)) throw new Error(`grant ${statement.sid}: a statement with this sid exists`);
    this.statements.push(statement);
  }

  /** One bash script: each part runs in a subshell, in the order added, and a failure stops the boot script. */
  renderUserData(): string {
    const parts = this.userDataParts.map((part) => [`# --- part: ${part.name}`, "(", part.script.trim(), ")"].join("\n"));
    return ["#!/bin/bash", "set -euo pipefail", ...parts, ""].join("\n");
  }
}

import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { partitionOf } from "../common/arn";
import { markPublicEntry } from "../common/markers";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface BastionProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly network: Network;
  /** Networks allowed to SSH in. Never the whole internet. */
  readonly allowedCidrs: string[];
  /** Groups the bastion may SSH on to; each admits 22 from the bastion's group. */
  readonly targets: ManagedSecurityGroup[];
  /** @default "t4g.micro" */
  readonly instanceType?: string;
  /** @default "arm64" (follows the default instance type) */
  readonly architecture?: "arm64" | "x86_64";
  /** @default none: use EC2 Instance Connect to push a short-lived key */
  readonly keyPairName?: string;
}

/**
 * Seed 000's bastion, for teams that need one: a small instance in a public subnet that admits SSH
 * only from listed networks, with IMDSv2, an encrypted root volume and the SSM agent's permissions.
 * Its public IP is deliberate and marked for the guardrails.
 */
export class Bastion extends Construct {
  readonly instance: Instance;
  readonly securityGroup: ManagedSecurityGroup;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    if (props.allowedCidrs.length === 0) throw new Error(`${id}: allowedCidrs must list the networks allowed to SSH in`);
    if (props.allowedCidrs.some((cidr) => cidr.endsWith("/0"))) throw new Error(`${id}: allowedCidrs must not include the whole internet, got ${props.allowedCidrs.join(", ")}`);
    const subnet = props.network.subnets.public[0];
    if (!subnet) throw new Error(`${id}: the network has no public subnet`);

    this.securityGroup = props.network.securityGroup(this, "sg", "bastion", "Bastion: SSH from listed networks only");
    for (const cidr of props.allowedCidrs) this.securityGroup.allowFromCidr(cidr, 22, `SSH from ${cidr}`);
    for (const target of props.targets) {
      target.allowFrom(this.securityGroup, 22, "SSH from the bastion");
      this.securityGroup.allowTo(target, 22, "SSH to the app servers");
    }
    this.securityGroup.allowToCidr("0.0.0.0/0", 443, "HTTPS out (SSM agent, package updates)");

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
    });
    const role = new IamRole(this, "role", { name: `${props.namePrefix}-bastion`, assumeRolePolicy: trust.json });
    new IamRolePolicyAttachment(this, "ssm-core", { role: role.name, policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
    const profile = new IamInstanceProfile(this, "profile", { name: `${props.namePrefix}-bastion`, role: role.name });
    const arch = props.architecture ?? "arm64";
    this.instance = new Instance(this, "instance", {
      ami: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      instanceType: props.instanceType ?? "t4g.micro",
      subnetId: subnet.id,
      vpcSecurityGroupIds: [this.securityGroup.id],
      associatePublicIpAddress: true,
      keyName: props.keyPairName,
      iamInstanceProfile: profile.name,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8 },
      monitoring: true,
      tags: { Name: `${props.namePrefix}-bastion` },
    });
    markPublicEntry(this.instance);
  }
}

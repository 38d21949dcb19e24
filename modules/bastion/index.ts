import { Construct } from "constructs";
import { architectureOf } from "../common/facts/instance-architectures";
import { SettingsError, parseSettings } from "../common/settings/parse";
import { BastionSettingsInput, bastionSettings } from "./settings";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { PolicyGrantee, PolicyStatement } from "../common/contracts";
import { InstanceRole } from "../common/instance-role";
import { markPublicEntry } from "../common/markers";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface BastionProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly network: Network;
  /** The `access.bastion` settings; validated here with the environment file's schema. */
  readonly settings: BastionSettingsInput;
  /** Groups the bastion may SSH on to; each admits 22 from the bastion's group. */
  readonly targets: ManagedSecurityGroup[];
  /** Tags the instance carries (operator policies match on them). @default Name only */
  readonly instanceTags?: Record<string, string>;
}

/**
 * A bastion, for teams that need one: a small instance in a public subnet that admits SSH
 * only from listed networks, with IMDSv2, an encrypted root volume and the SSM agent's permissions.
 * Its public IP is deliberate and marked for the guardrails.
 */
export class Bastion extends Construct implements PolicyGrantee {
  readonly instance: Instance;
  readonly launchTemplate: LaunchTemplate;
  readonly securityGroup: ManagedSecurityGroup;
  readonly instanceRole: InstanceRole;
  /** Tags the instance really carries (from its launch template). */
  readonly instanceTags: Record<string, string>;

  /** Where the allowed networks SSH to. */
  get publicIp(): string {
    return this.instance.publicIp;
  }

  /** For Session Manager. */
  get instanceId(): string {
    return this.instance.id;
  }

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const settings = parseSettings(bastionSettings, props.settings);
    if (settings.allowedCidrs.length === 0) throw new SettingsError(["allowedCidrs"], "must list the networks allowed to SSH to the bastion (never the whole internet)");
    const subnet = props.network.subnets.public[0];
    if (!subnet) throw new SettingsError(["enabled"], "needs a public subnet");

    this.securityGroup = props.network.securityGroup(this, "sg", "bastion", "Bastion: SSH from listed networks only");
    for (const cidr of settings.allowedCidrs) this.securityGroup.allowFromCidr(cidr, 22, `SSH from ${cidr}`);
    for (const target of props.targets) {
      this.securityGroup.connectTo(target, 22, { egress: "SSH to the app servers", ingress: "SSH from the bastion" });
    }
    this.securityGroup.allowToCidr("0.0.0.0/0", 443, "HTTPS out (SSM agent, package updates)");

    this.instanceRole = new InstanceRole(this, "instance-role", {
      name: `${props.namePrefix}-bastion`,
      region: props.region,
      description: "Bastion: Session Manager core, plus exactly what other capabilities grant",
    });
    this.instanceTags = { ...(props.instanceTags ?? {}), Name: `${props.namePrefix}-bastion` };
    const arch = architectureOf(settings.instanceType);
    // A launch template carries the image as `resolve:ssm:…` unchanged (EC2 resolves it at launch).
    // On aws_instance itself that string breaks creation with a root_block_device (provider issue
    // 43488: DescribeImages is called with it) and forces replacement on every apply (issue 43364).
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.namePrefix}-bastion-`,
      description: "Bastion",
      imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      instanceType: settings.instanceType,
      keyName: settings.keyPairName,
      iamInstanceProfile: { arn: this.instanceRole.profile.arn },
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      networkInterfaces: [{ associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [this.securityGroup.id], subnetId: subnet.id }],
      tagSpecifications: [
        { resourceType: "instance", tags: this.instanceTags },
        { resourceType: "volume", tags: this.instanceTags },
      ],
    });
    markPublicEntry(this.launchTemplate, ["PA-NET-002"], "the bastion needs a public address for SSH from access.bastion.allowedCidrs");
    this.instance = new Instance(this, "instance", {
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      tags: this.instanceTags,
    });
    markPublicEntry(this.instance, ["PA-NET-002"], "the bastion needs a public address for SSH from access.bastion.allowedCidrs");
  }

  grant(statement: PolicyStatement): void {
    this.instanceRole.grant(statement);
  }
}

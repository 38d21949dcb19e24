import { Construct } from "constructs";
import { ITerraformDependable, Lazy } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { InstanceRole } from "../common/instance-role";
import type { BootPart } from "../common/boot/boot-part";
import { bootManifest, renderUserData } from "../common/boot/render-user-data";
import { recordFact } from "../common/markers";
import type { BootPartSink, PolicyGrantee, PolicyStatement } from "../common/contracts";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface AppServersProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly subnetIds: string[];
  readonly securityGroup: ManagedSecurityGroup;
  readonly targetGroupArns: string[];
  readonly instanceType: string;
  readonly architecture: "arm64" | "x86_64";
  /** @default the latest Amazon Linux 2023 for `architecture`, resolved by EC2 from its public SSM parameter at launch */
  readonly imageId?: string;
  /** Sizes, checked by the web tier's settings (min ≤ desired ≤ max). */
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly rootVolumeGiB: number;
  /** @default none: admins use Session Manager or the EIC Endpoint, not a long-lived key */
  readonly keyPairName?: string;
  /** AWS managed policies to attach by name. @default ["AmazonSSMManagedInstanceCore"] */
  readonly managedPolicies?: string[];
  /** Tags launched instances carry (through the launch template and the group). @default Name only */
  readonly instanceTags?: Record<string, string>;
  /** Resources the group waits for (the app subnets' default routes). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Private app servers: a launch template (IMDSv2 only, hop limit 1, encrypted gp3 root, no public
 * IP, no key pair) and an Auto Scaling group in the app subnets registered with the target group.
 * Other capabilities add boot-script parts and role permissions through the two contracts.
 */
export class AppServers extends Construct implements BootPartSink, PolicyGrantee {
  readonly role: IamRole;
  readonly securityGroup: ManagedSecurityGroup;
  readonly autoScalingGroupName: string;
  readonly launchTemplate: LaunchTemplate;
  private readonly bootParts: BootPart[] = [];
  readonly instanceRole: InstanceRole;
  /** Tags every launched instance (and its volume) really carries. */
  readonly instanceTags: Record<string, string>;

  constructor(scope: Construct, id: string, props: AppServersProps) {
    super(scope, id);
    if (props.subnetIds.length === 0) throw new Error(`${id}: subnetIds must not be empty`);
    this.securityGroup = props.securityGroup;

    this.instanceRole = new InstanceRole(this, "instance-role", {
      name: `${props.namePrefix}-app`,
      region: props.region,
      description: "App servers: Session Manager core, plus exactly what other capabilities grant",
      managedPolicies: props.managedPolicies,
    });
    this.role = this.instanceRole.role;
    // Provider default_tags never reach instances an Auto Scaling group launches: the tags an
    // instance really carries are the launch template's and the group's propagated ones.
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html
    this.instanceTags = { ...(props.instanceTags ?? {}), Name: `${props.namePrefix}-app` };

    const arch = props.architecture === "arm64" ? "arm64" : "x86_64";
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.namePrefix}-app-`,
      description: "Private app servers",
      imageId: props.imageId ?? `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      instanceType: props.instanceType,
      keyName: props.keyPairName,
      iamInstanceProfile: { arn: this.instanceRole.profile.arn },
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.rootVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [props.securityGroup.id] }],
      tagSpecifications: [
        { resourceType: "instance", tags: this.instanceTags },
        { resourceType: "volume", tags: this.instanceTags },
      ],
      userData: Lazy.stringValue({ produce: () => Buffer.from(this.renderUserData()).toString("base64") }),
    });
    // The parts' facts, for the verifier and the reports (with the hash of the script they describe).
    recordFact(this.launchTemplate, "boot", Lazy.anyValue({ produce: () => bootManifest(this.bootParts, this.renderUserData()) }) as never);
    const group = new AutoscalingGroup(this, "asg", {
      name: `${props.namePrefix}-app`,
      vpcZoneIdentifier: props.subnetIds,
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity: props.desiredCapacity,
      targetGroupArns: props.targetGroupArns,
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
      tag: Object.entries(this.instanceTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // The first instances must find their way out (NAT route) when they boot.
      dependsOn: props.dependsOn,
    });
    this.autoScalingGroupName = group.name;
  }

  addBootPart(part: BootPart): void {
    if (this.bootParts.some((existing) => existing.name === part.name)) throw new Error(`boot part "${part.name}" was added twice`);
    this.bootParts.push(part);
  }

  grant(statement: PolicyStatement): void {
    this.instanceRole.grant(statement);
  }

  /** The user data: every part written to its own file and run on its own (a failing part never stops the others). */
  renderUserData(): string {
    return renderUserData(this.bootParts);
  }

  /** The parts added so far, in boot order (for tests and the runtime checks). */
  get parts(): readonly BootPart[] {
    return this.bootParts;
  }
}

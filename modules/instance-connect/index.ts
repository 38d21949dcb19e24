import { Construct } from "constructs";
import { fitName } from "../common/name-budget";
import { SettingsError, parseSettings } from "../common/settings/parse";
import { EIC_TUNNEL_PORTS, InstanceConnectSettingsInput, instanceConnectSettings } from "./settings";
import { Ec2InstanceConnectEndpoint } from "@cdktf/provider-aws/lib/ec2-instance-connect-endpoint";
import { partitionOf } from "../common/arn";
import type { ReachableService } from "../common/contracts";
import { OperatorPolicy } from "../common/managed-policy";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface InstanceConnectProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  /** Groups of the instances operators SSH to; each admits 22 from the endpoint's group only. */
  readonly sshTargets: ManagedSecurityGroup[];
  /** CIDRs the SSH targets live in (the OpenTunnel policy's privateIpAddress condition). */
  readonly sshTargetCidrs: string[];
  /** A database to tunnel to; its port must be 22 or 3389. @default none */
  readonly database?: { readonly service: ReachableService; readonly cidrs: string[] };
  /** The `access.instanceConnect` settings; validated here with the environment file's schema. */
  readonly settings: InstanceConnectSettingsInput;
  /** Value of the `Environment` tag of the instances operators may push keys to. */
  readonly environment: string;
}

/**
 * An EC2 Instance Connect Endpoint in an app subnet, with its own group (egress only to
 * port 22 of the targets, and the database's tunnel port), and an operator policy that allows
 * tunnels only to those ports, those addresses and for at most an hour.
 */
export class InstanceConnect extends Construct {
  readonly endpoint: Ec2InstanceConnectEndpoint;
  readonly securityGroup: ManagedSecurityGroup;
  readonly operatorPolicy: OperatorPolicy;

  /** The endpoint operators tunnel through. */
  get endpointId(): string {
    return this.endpoint.id;
  }

  /** Attach to the operators allowed to open tunnels. */
  get operatorPolicyArn(): string {
    return this.operatorPolicy.policy.arn;
  }

  constructor(scope: Construct, id: string, props: InstanceConnectProps) {
    super(scope, id);
    const settings = parseSettings(instanceConnectSettings, props.settings);
    const duration = settings.maxTunnelDurationSeconds;
    if (props.database && !(EIC_TUNNEL_PORTS as readonly number[]).includes(props.database.service.port)) {
      throw new SettingsError(["databaseTunnel"], `needs dataTier.database.port 22 or 3389: the endpoint tunnels only to those ports (it is ${props.database.service.port})`);
    }
    const subnet = props.network.subnets.app[0];
    if (!subnet) throw new SettingsError(["enabled"], "needs an app subnet for the endpoint");
    if (props.sshTargets.length === 0) throw new Error(`${id}: sshTargets must name at least one group`);

    this.securityGroup = props.network.securityGroup(this, "sg", "eic", "EC2 Instance Connect Endpoint: out to its SSH targets (and the database, if tunnelling) only");
    for (const target of props.sshTargets) {
      this.securityGroup.connectTo(target, 22, { egress: "SSH to the instances", ingress: "SSH from the EC2 Instance Connect Endpoint" });
    }
    props.database?.service.allowConnectionsFrom(this.securityGroup, "tunnels through the EC2 Instance Connect Endpoint");

    this.endpoint = new Ec2InstanceConnectEndpoint(this, "endpoint", {
      subnetId: subnet.id,
      securityGroupIds: [this.securityGroup.id],
      preserveClientIp: settings.preserveClientIp,
      tags: { Name: `${props.namePrefix}-eic` },
    });

    const partition = partitionOf(props.region);
    const ports = ["22", ...(props.database ? [String(props.database.service.port)] : [])].filter((p, i, all) => all.indexOf(p) === i);
    this.operatorPolicy = new OperatorPolicy(this, "operator-policy", {
      name: fitName(`${props.namePrefix}-eic-operators`, 128),
      // Says what the OpenTunnel condition admits: the database's port only when it is in remotePort.
      description: props.database
        ? `Open EC2 Instance Connect tunnels only to port 22 of this environment's SSH targets and port ${props.database.service.port} of its database, for at most ${duration} s`
        : `Open EC2 Instance Connect tunnels only to port 22 of this environment's SSH targets, for at most ${duration} s`,
      statements: [
        {
          sid: "OpenTunnelToTargetsOnly",
          effect: "Allow",
          actions: ["ec2-instance-connect:OpenTunnel"],
          resources: [this.endpoint.arn],
          condition: [
            { test: "NumericEquals", variable: "ec2-instance-connect:remotePort", values: ports },
            { test: "IpAddress", variable: "ec2-instance-connect:privateIpAddress", values: [...props.sshTargetCidrs, ...(props.database?.cidrs ?? [])] },
            { test: "NumericLessThanEquals", variable: "ec2-instance-connect:maxTunnelDuration", values: [String(duration)] },
          ],
        },
        {
          sid: "SendSshKeyAsAllowedUsers",
          effect: "Allow",
          actions: ["ec2-instance-connect:SendSSHPublicKey"],
          resources: [`arn:${partition}:ec2:${props.region}:${props.accountId}:instance/*`],
          condition: [
            { test: "StringEquals", variable: "ec2:osuser", values: settings.osUsers },
            // Only this environment's instances, as for Session Manager (tags the instances really carry).
            { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: [props.environment] },
          ],
        },
        {
          sid: "DescribeForTheCli",
          effect: "Allow",
          actions: ["ec2:DescribeInstances", "ec2:DescribeInstanceConnectEndpoints"],
          resources: ["*"],
        },
      ],
    });
  }
}

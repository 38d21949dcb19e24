import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import type { CidrPlan, Tier } from "./cidr/plan";
import { VpcFlowLogs } from "./flow-logs";
import { ManagedSecurityGroup } from "./security-group";
import { PlacedSubnet, Routing } from "./routing";
import { parseSettings } from "../common/settings/parse";
import { NetworkSettingsInput, networkSettings, planSubnets } from "./settings";

export { ManagedSecurityGroup } from "./security-group";
export type { NatMode } from "./routing";

export interface NetworkProps {
  /** Prefix of every resource name, e.g. `private-access-example`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** The `network` settings; validated and planned here (the CIDR planner) with the environment file's schema. */
  readonly settings: NetworkSettingsInput;
}

export interface SubnetRef {
  readonly key: string;
  readonly az: string;
  readonly cidr: string;
  readonly id: string;
}

/**
 * The VPC of one environment: subnets per tier per AZ from the CIDR plan, internet and NAT
 * routing, the S3 gateway endpoint, flow logs, and a default security group that admits nothing.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  /** Where every subnet sits (the CIDR planner's result). */
  readonly plan: CidrPlan;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly subnets: Readonly<Record<Tier, readonly SubnetRef[]>>;
  readonly routing: Routing;
  readonly flowLogs: VpcFlowLogs;
  readonly s3Endpoint?: VpcEndpoint;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const settings = parseSettings(networkSettings, props.settings);
    const plan = planSubnets(settings, props.region);
    this.plan = plan;
    this.namePrefix = props.namePrefix;
    this.region = props.region;
    this.vpcCidr = plan.vpcCidr;
    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: plan.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${props.namePrefix}-vpc` },
    });
    this.vpcId = this.vpc.id;

    // No ingress or egress blocks: Terraform strips every rule from the default group on adoption.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.namePrefix}-default-locked` },
    });

    const placed: PlacedSubnet[] = plan.subnets.map((planned) => ({
      planned,
      resource: new Subnet(this, `subnet-${planned.key}`, {
        vpcId: this.vpc.id,
        cidrBlock: planned.cidr,
        availabilityZone: planned.az,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.namePrefix}-${planned.key}`, Tier: planned.tier },
      }),
    }));
    const refs = (tier: Tier): SubnetRef[] =>
      plan.availabilityZones.flatMap((az) =>
        placed
          .filter((s) => s.planned.tier === tier && s.planned.az === az)
          .map((s) => ({ key: s.planned.key, az, cidr: s.planned.cidr, id: s.resource.id })),
      );
    this.subnets = { public: refs("public"), app: refs("app"), data: refs("data") };

    this.routing = new Routing(this, "routing", {
      vpcId: this.vpc.id,
      namePrefix: props.namePrefix,
      availabilityZones: plan.availabilityZones,
      subnets: placed,
      natGateways: settings.natGateways,
    });

    if (settings.s3GatewayEndpoint && this.routing.privateRouteTableIds.length > 0) {
      this.s3Endpoint = new VpcEndpoint(this, "s3-endpoint", {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: this.routing.privateRouteTableIds,
        tags: { Name: `${props.namePrefix}-s3` },
      });
    }

    this.flowLogs = new VpcFlowLogs(this, "flow-logs", {
      vpcId: this.vpc.id,
      namePrefix: props.namePrefix,
      region: props.region,
      accountId: props.accountId,
      retentionInDays: settings.flowLogs.retentionInDays,
      trafficType: settings.flowLogs.trafficType,
    });
  }

  subnetIds(tier: Tier): string[] {
    return this.subnets[tier].map((s) => s.id);
  }

  subnetCidrs(tier: Tier): string[] {
    return this.subnets[tier].map((s) => s.cidr);
  }

  /** A security group in this VPC with no rules; callers open what they need through its methods. */
  securityGroup(scope: Construct, id: string, purpose: string, description: string): ManagedSecurityGroup {
    return new ManagedSecurityGroup(scope, id, {
      vpcId: this.vpcId,
      name: `${this.namePrefix}-${purpose}`,
      description,
      key: purpose,
    });
  }
}

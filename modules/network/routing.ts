import { Construct } from "constructs";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import type { Subnet } from "@cdktf/provider-aws/lib/subnet";
import type { PlannedSubnet } from "./cidr/plan";

export type NatMode = "none" | "single" | "per-az";

export interface PlacedSubnet {
  readonly planned: PlannedSubnet;
  readonly resource: Subnet;
}

export interface RoutingProps {
  readonly vpcId: string;
  readonly namePrefix: string;
  /** Network AZ order: the single NAT goes to the first AZ of this list that has a public subnet. */
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly PlacedSubnet[];
  readonly natGateways: NatMode;
}

/**
 * Route tables per tier: public → internet gateway; app → NAT (per AZ, so switching NAT mode
 * never replaces a table); data → no route out of the VPC.
 */
export class Routing extends Construct {
  readonly internetGateway?: InternetGateway;
  readonly natGateways: NatGateway[] = [];
  /** Route tables of the private tiers (app and data), for gateway endpoints. */
  readonly privateRouteTableIds: string[] = [];
  /** The app subnets' default routes through NAT: instances that must reach out at boot wait for them. */
  readonly appDefaultRoutes: Route[] = [];

  constructor(scope: Construct, id: string, props: RoutingProps) {
    super(scope, id);
    const ofTier = (tier: string) =>
      props.availabilityZones.flatMap((az) => props.subnets.filter((s) => s.planned.tier === tier && s.planned.az === az));
    const publicSubnets = ofTier("public");
    const appSubnets = ofTier("app");
    const dataSubnets = ofTier("data");
    if (props.natGateways !== "none" && publicSubnets.length === 0) {
      throw new Error(`natGateways "${props.natGateways}" needs at least one public subnet`);
    }

    if (publicSubnets.length > 0) {
      this.internetGateway = new InternetGateway(this, "igw", {
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-igw` },
      });
      const table = this.table("rt-public", props, `${props.namePrefix}-public`);
      new Route(this, "rt-public-internet", {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: this.internetGateway.id,
      });
      publicSubnets.forEach((subnet) => this.associate(table, subnet));
    }

    const natByAz = new Map<string, NatGateway>();
    const natSubnets = props.natGateways === "per-az" ? publicSubnets : publicSubnets.slice(0, 1);
    if (props.natGateways !== "none") {
      for (const subnet of natSubnets) {
        const letter = subnet.planned.az.slice(-1);
        const eip = new Eip(this, `nat-eip-${letter}`, {
          domain: "vpc",
          tags: { Name: `${props.namePrefix}-nat-${letter}` },
        });
        const nat = new NatGateway(this, `nat-${letter}`, {
          allocationId: eip.allocationId,
          subnetId: subnet.resource.id,
          connectivityType: "public",
          tags: { Name: `${props.namePrefix}-nat-${letter}` },
          dependsOn: [this.internetGateway!],
        });
        natByAz.set(subnet.planned.az, nat);
        this.natGateways.push(nat);
      }
    }

    for (const subnet of appSubnets) {
      const letter = subnet.planned.az.slice(-1);
      const table = this.table(`rt-app-${letter}`, props, `${props.namePrefix}-app-${letter}`);
      this.privateRouteTableIds.push(table.id);
      // Same-AZ NAT when there is one (per-az mode), else the single NAT.
      const nat = natByAz.get(subnet.planned.az) ?? this.natGateways[0];
      if (nat) {
        this.appDefaultRoutes.push(
          new Route(this, `rt-app-${letter}-nat`, {
            routeTableId: table.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nat.id,
          }),
        );
      }
      this.associate(table, subnet);
    }

    if (dataSubnets.length > 0) {
      const table = this.table("rt-data", props, `${props.namePrefix}-data`);
      this.privateRouteTableIds.push(table.id);
      dataSubnets.forEach((subnet) => this.associate(table, subnet));
    }
  }

  private table(id: string, props: RoutingProps, name: string): RouteTable {
    return new RouteTable(this, id, { vpcId: props.vpcId, tags: { Name: name } });
  }

  private associate(table: RouteTable, subnet: PlacedSubnet): void {
    new RouteTableAssociation(this, `assoc-${subnet.planned.key}`, { routeTableId: table.id, subnetId: subnet.resource.id });
  }
}

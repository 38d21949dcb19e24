import { contains, mustParse, parseIpv4Cidr } from "../../modules/network/cidr/ipv4";
import type { ResourceRef, StackModel } from "./stack-model";
import { publicCoverage } from "./public-space";
import { networkAclsAllow, protocolName } from "./network-acls";

export type Protocol = "tcp" | "udp";

/** One side of a connection, as security groups and routes see it. */
export interface Endpoint {
  readonly label: string;
  /** Security groups (addresses) on its network interfaces; none for the internet or a client. */
  readonly groups: readonly string[];
  /** Where its addresses lie (a subnet, a /32, or 0.0.0.0/0 for any internet address). */
  readonly cidrs: readonly string[];
  /** Managed prefix lists that hold its addresses (CloudFront's origin-facing list, S3's list). */
  readonly prefixLists?: readonly string[];
  /**
   * The source ports it opens connections from, where replies must be let back in (stateless
   * ACLs). Default 1024-65535, what AWS advises for clients it does not know (NAT, load
   * balancers, Client VPN); Linux instances use 32768-60999.
   */
  readonly ephemeralPorts?: readonly [number, number];
}

/** A verdict on one check: holds, and the rule that makes it hold or the reason it does not. */
export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

interface SgRule {
  readonly resource: ResourceRef;
  readonly group: string;
  readonly direction: "ingress" | "egress";
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly peerGroup?: string;
  readonly cidr?: string;
  readonly prefixList?: string;
  readonly description: string;
}


/** Every security group rule of the stack (standalone rule resources and inline blocks). */
export function securityGroupRules(model: StackModel): SgRule[] {
  const rules: SgRule[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    for (const resource of model.all(`aws_vpc_security_group_${direction}_rule`)) {
      const c = resource.config;
      const protocol = protocolName(c.ip_protocol);
      const all = protocol === "all";
      rules.push({
        resource,
        // Security group arguments take the group's id; a reference through another attribute (its ARN, its name) matches no group.
        group: model.referenced(c.security_group_id, ["id"])?.address ?? String(c.security_group_id),
        direction,
        protocol: all ? "all" : protocol,
        from: all ? 0 : Number(c.from_port),
        to: all ? 65535 : Number(c.to_port),
        peerGroup: c.referenced_security_group_id === undefined ? undefined : (model.referenced(c.referenced_security_group_id, ["id"])?.address ?? String(c.referenced_security_group_id)),
        cidr: c.cidr_ipv4 ?? c.cidr_ipv6,
        prefixList: c.prefix_list_id,
        description: c.description ?? "(no description)",
      });
    }
  }
  // Inline rules on aws_security_group (this project writes none, but a reviewer's output may).
  for (const group of model.all("aws_security_group")) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const block of (group.config[direction] ?? []) as any[]) {
        const protocol = protocolName(block.protocol);
        const all = protocol === "all";
        const base = { resource: group, group: group.address, direction, protocol: all ? "all" : protocol, from: all ? 0 : Number(block.from_port), to: all ? 65535 : Number(block.to_port), description: block.description ?? "(inline rule)" };
        for (const cidr of block.cidr_blocks ?? []) rules.push({ ...base, cidr });
        for (const peer of block.security_groups ?? []) rules.push({ ...base, peerGroup: model.referenced(peer)?.address ?? peer });
        for (const prefixList of block.prefix_list_ids ?? []) rules.push({ ...base, prefixList });
      }
    }
  }
  return rules;
}

function cidrCovers(ruleCidr: string, cidrs: readonly string[]): boolean {
  if (ruleCidr === "::/0") return false;
  const outer = parseIpv4Cidr(ruleCidr);
  if (!outer.ok || cidrs.length === 0) return false;
  return cidrs.every((cidr) => {
    const inner = parseIpv4Cidr(cidr);
    return inner.ok && contains(outer.block, inner.block);
  });
}

function peerMatches(rule: SgRule, peer: Endpoint): boolean {
  if (rule.peerGroup) return peer.groups.includes(rule.peerGroup);
  if (rule.prefixList) return (peer.prefixLists ?? []).includes(rule.prefixList);
  if (rule.cidr) return cidrCovers(rule.cidr, peer.cidrs);
  return false;
}

function describe(model: StackModel, rule: SgRule): string {
  const group = model.get(rule.group)?.config.name ?? rule.group;
  const ports = rule.protocol === "all" ? "all traffic" : `${rule.protocol} ${rule.from === rule.to ? rule.from : `${rule.from}-${rule.to}`}`;
  const peer = rule.peerGroup ? `group ${model.get(rule.peerGroup)?.config.name ?? rule.peerGroup}` : rule.prefixList ? `prefix list ${rule.prefixList}` : rule.cidr;
  return `${group} ${rule.direction} ${ports} ${rule.direction === "ingress" ? "from" : "to"} ${peer} ("${rule.description}")`;
}

/**
 * Would security groups let `source` open `protocol`/`port` to `dest`? Both sides decide: an
 * egress rule on one of the source's groups and an ingress rule on one of the destination's
 * (security groups are stateful, so replies need no rule). A side with no groups (the internet,
 * a VPN client's own machine) has nothing to check.
 */
export function securityGroupsAllow(model: StackModel, source: Endpoint, dest: Endpoint, protocol: Protocol, port: number): Check {
  const rules = securityGroupRules(model);
  const portOk = (rule: SgRule) => (rule.protocol === "all" || rule.protocol === protocol) && rule.from <= port && port <= rule.to;
  const where = `${protocol.toUpperCase()} ${port} ${source.label} → ${dest.label}`;
  let egressDetail = "source has no security group (nothing to check)";
  if (source.groups.length > 0) {
    const egress = rules.find((r) => r.direction === "egress" && source.groups.includes(r.group) && portOk(r) && peerMatches(r, dest));
    if (!egress) {
      const names = source.groups.map((g) => model.get(g)?.config.name ?? g).join(", ");
      return { ok: false, detail: `${where}: no egress rule of ${names} allows ${protocol.toUpperCase()} ${port} to ${dest.label}` };
    }
    egressDetail = describe(model, egress);
  }
  if (dest.groups.length === 0) return { ok: true, detail: `${where}: ${egressDetail}` };
  const ingress = rules.find((r) => r.direction === "ingress" && dest.groups.includes(r.group) && portOk(r) && peerMatches(r, source));
  if (!ingress) {
    const names = dest.groups.map((g) => model.get(g)?.config.name ?? g).join(", ");
    return { ok: false, detail: `${where}: no ingress rule of ${names} admits ${protocol.toUpperCase()} ${port} from ${source.label}` };
  }
  return { ok: true, detail: `${where}: ${egressDetail}; ${describe(model, ingress)}` };
}

/**
 * Ingress rules that open a group to the internet or a large part of it, judged by the union of
 * the group's CIDR rules that admit the same ports (two halves of the internet are the internet).
 */
export function worldIngress(model: StackModel): { group: string; groupName: string; protocol: string; from: number; to: number; rule: string; coverage: string }[] {
  const rules = securityGroupRules(model).filter((r) => r.direction === "ingress" && r.cidr);
  const sameTraffic = (a: SgRule, b: SgRule) => (a.protocol === "all" || b.protocol === "all" || a.protocol === b.protocol) && a.from <= b.to && b.from <= a.to;
  return rules
    .map((rule) => ({ rule, coverage: publicCoverage(rules.filter((other) => other.group === rule.group && sameTraffic(rule, other)).map((other) => other.cidr!)) }))
    .filter(({ rule, coverage }) => coverage.large && publicCoverage([rule.cidr!]).description.includes("of public"))
    .map(({ rule: r, coverage }) => ({ group: r.group, groupName: model.get(r.group)?.config.name ?? r.group, protocol: r.protocol, from: r.from, to: r.to, rule: describe(model, r), coverage: `${coverage.internet ? "the whole internet" : "a large public space"} (${coverage.description})` }));
}

/** Ingress rules of a group, as sources: referenced groups, CIDRs and prefix lists. */
export function ingressSources(model: StackModel, group: string): { peer: string; protocol: string; from: number; to: number }[] {
  return securityGroupRules(model)
    .filter((r) => r.direction === "ingress" && r.group === group)
    .map((r) => ({ peer: r.peerGroup ?? r.prefixList ?? r.cidr ?? "?", protocol: r.protocol, from: r.from, to: r.to }));
}

/** Stands for S3's public addresses (a range AWS publishes for S3): where S3 traffic goes when no endpoint catches it. */
export const S3_PUBLIC_RANGE = "52.95.0.0/16";

export type RouteTarget = "local" | "internet-gateway" | "nat-gateway" | "s3-gateway-endpoint" | "none";

/** Where a subnet sends traffic for `destination` (the longest matching route of its table). */
export function routeFrom(model: StackModel, subnet: ResourceRef, destination: string): { target: RouteTarget; detail: string; via?: ResourceRef } {
  const association = model.all("aws_route_table_association").find((a) => model.pointsAt(a.config.subnet_id, subnet));
  const subnetName = subnet.config.tags?.Name ?? subnet.address;
  const vpc = model.referenced(subnet.config.vpc_id);
  const vpcCidr = vpc?.config.cidr_block as string | undefined;
  if (vpcCidr && cidrCovers(vpcCidr, [destination])) return { target: "local", detail: `${subnetName}: ${destination} is inside the VPC (local route)` };
  if (!association) return { target: "none", detail: `${subnetName} has no route table association (the VPC's main table, which this project leaves without routes out)` };
  const table = model.referenced(association.config.route_table_id)!;
  const tableName = table.config.tags?.Name ?? table.address;
  if (destination === "s3") {
    // The gateway endpoint of this region's S3 only: another region's endpoint carries none of this region's buckets.
    const service = `com.amazonaws.${model.region}.s3`;
    const endpoint = model.all("aws_vpc_endpoint").find((e) => e.config.service_name === service && (e.config.vpc_endpoint_type ?? "Gateway") === "Gateway" && (e.config.route_table_ids ?? []).some((id: unknown) => model.pointsAt(id, table)));
    if (endpoint) return { target: "s3-gateway-endpoint", detail: `${tableName} routes S3 to the gateway endpoint ${endpoint.config.tags?.Name ?? endpoint.address}`, via: endpoint };
    destination = S3_PUBLIC_RANGE; // without the endpoint S3 traffic takes the default route
  }
  const routes = model.all("aws_route").filter((r) => model.pointsAt(r.config.route_table_id, table));
  const matching = routes
    .filter((r) => r.config.destination_cidr_block && cidrCovers(r.config.destination_cidr_block, [destination]))
    .sort((a, b) => mustParse(b.config.destination_cidr_block).prefixLength - mustParse(a.config.destination_cidr_block).prefixLength);
  const route = matching[0];
  if (!route) return { target: "none", detail: `${tableName} has no route to ${destination}` };
  const igw = model.referenced(route.config.gateway_id);
  if (igw?.type === "aws_internet_gateway") return { target: "internet-gateway", detail: `${tableName}: ${route.config.destination_cidr_block} → internet gateway`, via: igw };
  const nat = model.referenced(route.config.nat_gateway_id);
  if (nat?.type === "aws_nat_gateway") return { target: "nat-gateway", detail: `${tableName}: ${route.config.destination_cidr_block} → NAT gateway ${nat.config.tags?.Name ?? nat.address}`, via: nat };
  return { target: "none", detail: `${tableName}: ${route.config.destination_cidr_block} → a target this verifier does not model` };
}

/**
 * Can something in `subnet` reach the internet? Directly (internet gateway route and a public IP)
 * or through a NAT gateway that itself sits in a subnet routed to the internet gateway.
 */
export function internetRoute(model: StackModel, subnet: ResourceRef, hasPublicIp: boolean): Check {
  const route = routeFrom(model, subnet, "0.0.0.0/0");
  if (route.target === "internet-gateway") {
    return hasPublicIp ? { ok: true, detail: route.detail } : { ok: false, detail: `${route.detail}, but the instance has no public IP (it needs one, or a NAT gateway)` };
  }
  if (route.target === "nat-gateway") {
    const natSubnet = model.referenced(route.via!.config.subnet_id);
    if (!natSubnet) return { ok: false, detail: `${route.detail}, but the NAT gateway's subnet is unknown` };
    if (route.via!.config.connectivity_type === "private") return { ok: false, detail: `${route.detail}, but the NAT gateway is private` };
    const onward = routeFrom(model, natSubnet, "0.0.0.0/0");
    if (onward.target !== "internet-gateway") return { ok: false, detail: `${route.detail}, but the NAT gateway's subnet has no route to an internet gateway (${onward.detail})` };
    return { ok: true, detail: `${route.detail}; ${onward.detail}` };
  }
  return { ok: false, detail: route.detail };
}

/**
 * Would the network let `source` open `protocol`/`port` to `dest`: security groups on both sides,
 * then the network ACLs of every subnet involved, both ways (they are stateless).
 */
export function networkAllows(model: StackModel, source: Endpoint, dest: Endpoint, protocol: Protocol, port: number): Check {
  const groups = securityGroupsAllow(model, source, dest, protocol, port);
  if (!groups.ok) return groups;
  const acls = networkAclsAllow(model, source, dest, protocol, port);
  return acls.ok ? { ok: true, detail: `${groups.detail}; ${acls.detail}` } : { ok: false, detail: `${protocol.toUpperCase()} ${port} ${source.label} → ${dest.label}: security groups allow it, but ${acls.detail}` };
}

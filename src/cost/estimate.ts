import { DEFAULT_ASSUMPTIONS, UsageAssumptions, describeAssumptions } from "./assumptions";
import { GLOBAL_PRICES, Price, REGION_PRICES, RegionPrices, regionPrices } from "./prices";
import { StackJson, constructPath, referencedResource, resources } from "../synthesized/terraform-json";

/** A synthesized stack as the estimate reads it (cdk.tf.json, or Testing.synth's parsed output). */
export interface CostStack {
  readonly name: string;
  readonly json: StackJson;
}

export type GroupKind = "access path" | "shared";

/** What a line item is paid for: one way in, or what every way in shares. */
export interface CostGroup {
  readonly name: string;
  readonly kind: GroupKind;
}

/** The module (second construct path segment) → the access path or shared part it belongs to, in display order. */
const GROUPS: readonly (CostGroup & { modules: readonly string[] })[] = [
  { name: "web: CloudFront + WAF", kind: "access path", modules: ["edge"] },
  { name: "Client VPN", kind: "access path", modules: ["client-vpn"] },
  { name: "bastion", kind: "access path", modules: ["bastion"] },
  { name: "EC2 Instance Connect Endpoint", kind: "access path", modules: ["instance-connect"] },
  { name: "Session Manager", kind: "access path", modules: ["session-manager"] },
  { name: "Cloudflare Tunnel", kind: "access path", modules: ["tunnel", "cloudflare-tunnel"] },
  { name: "network (NAT, addresses, flow logs)", kind: "shared", modules: ["network"] },
  { name: "web tier (ALB, app servers)", kind: "shared", modules: ["web-tier"] },
  { name: "data tier (RDS, ElastiCache)", kind: "shared", modules: ["database", "cache"] },
];
const OTHER: CostGroup = { name: "other", kind: "shared" };

export interface LineItem {
  readonly group: CostGroup;
  /** `type.logical_name` of the resource (or the module, for a service with no resource of its own). */
  readonly resource: string;
  readonly what: string;
  readonly quantity: number;
  /** Unit of `quantity` (the price's unit). */
  readonly unit: string;
  /** Undefined: no price is kept for it (the estimate is then a lower bound). */
  readonly price?: Price;
  /** quantity × price, USD a month. */
  readonly monthly?: number;
}

export interface CostEstimate {
  readonly environment: string;
  readonly region: string;
  /** Undefined when no prices are kept for `region`: then there is no estimate at all. */
  readonly regionName?: string;
  /** Why there is no estimate (no prices for the region), when there is none. */
  readonly missing?: string;
  readonly items: readonly LineItem[];
  /** Sum of the priced line items, USD a month. */
  readonly total: number;
  /** Totals per access path / shared part, in display order; only parts with line items. */
  readonly groups: readonly (CostGroup & { readonly monthly: number; readonly items: number })[];
  /** Line items with no price (instance types, engines ... missing from the table). */
  readonly unpriced: readonly LineItem[];
  readonly assumptions: UsageAssumptions;
}

type ProviderBlock = { alias?: string; region?: string };

function providers(json: StackJson): ProviderBlock[] {
  const aws = (json as { provider?: { aws?: ProviderBlock[] | ProviderBlock } }).provider?.aws;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

/** The region of the stacks' default AWS provider. */
export function stackRegion(stacks: readonly CostStack[]): string | undefined {
  for (const stack of stacks) {
    const main = providers(stack.json).find((p) => !p.alias && typeof p.region === "string");
    if (main) return main.region;
  }
  return undefined;
}

/** The module a resource belongs to: its construct path's second part, else its logical id's first (`client-vpn_endpoint_F1928773`). */
function moduleOf(logicalName: string, resource: Record<string, any>): string | undefined {
  return constructPath(resource)?.split("/")[1] ?? (logicalName.includes("_") ? logicalName.split("_")[0] : undefined);
}

function groupOf(stackName: string, logicalName: string, resource: Record<string, any>): CostGroup {
  if (stackName.endsWith("-cloudflare")) return GROUPS.find((g) => g.name === "Cloudflare Tunnel")!;
  const module = moduleOf(logicalName, resource);
  const group = GROUPS.find((g) => module !== undefined && g.modules.includes(module));
  return group ? { name: group.name, kind: group.kind } : OTHER;
}

const asNumber = (value: unknown, fallback: number): number => {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
};
const isTrue = (value: unknown) => value === true || value === "true";

/**
 * The monthly on-demand cost of one environment's synthesized stacks: one line item per billable
 * resource (and per free access service, shown at $0), each attributed to an access path or to the
 * shared infrastructure, priced from src/cost/prices.ts with the usage in src/cost/assumptions.ts.
 * A region with no prices gives no estimate (`missing` says so); a resource with no price is listed
 * in `unpriced` and left out of the total.
 */
export function estimateMonthlyCost(environment: string, stacks: readonly CostStack[], assumptions: UsageAssumptions = DEFAULT_ASSUMPTIONS): CostEstimate {
  const region = stackRegion(stacks) ?? "unknown";
  const prices = regionPrices(region);
  if (!prices) {
    const kept = Object.keys(REGION_PRICES).sort().join(", ");
    return {
      environment,
      region,
      missing: `no prices for ${region} in src/cost/prices.ts (prices are kept for ${kept})`,
      items: [],
      total: 0,
      groups: [],
      unpriced: [],
      assumptions,
    };
  }
  const hours = assumptions.hoursPerMonth;
  const items: LineItem[] = [];
  const add = (item: Omit<LineItem, "monthly">) => items.push({ ...item, ...(item.price ? { monthly: item.quantity * item.price.usd } : {}) });

  for (const stack of stacks) {
    const json = stack.json;
    const aliases = new Map(providers(json).filter((p) => p.alias).map((p) => [`aws.${p.alias}`, p.region ?? region]));
    /** A resource on an aliased provider in another region is priced there (when prices are kept for it). */
    const pricesFor = (resource: Record<string, any>): { prices?: RegionPrices; region: string } => {
      const where = typeof resource.provider === "string" ? aliases.get(resource.provider) ?? region : region;
      return { prices: regionPrices(where), region: where };
    };
    const regional = (resource: Record<string, any>, pick: (p: RegionPrices) => Price | undefined): Price | undefined => {
      const found = pricesFor(resource).prices;
      return found ? pick(found) : undefined;
    };
    const all = (type: string) => resources(json, type).map(([name, resource]) => ({ address: `${type}.${name}`, resource, group: groupOf(stack.name, name, resource) }));
    const launchTemplates = new Map(resources(json, "aws_launch_template").map(([name, lt]) => [`aws_launch_template.${name}`, lt]));
    const templateOf = (resource: Record<string, any>) => {
      const ref = referencedResource(resource.launch_template?.id) ?? referencedResource(resource.launch_template?.name);
      return ref ? launchTemplates.get(ref) : undefined;
    };

    // NAT gateways: hours each; the assumed GB split evenly across them.
    const nats = all("aws_nat_gateway");
    for (const { address, resource, group } of nats) {
      add({ group, resource: address, what: "NAT gateway", quantity: hours, unit: "hour", price: regional(resource, (p) => p.natGatewayHour) });
      add({ group, resource: address, what: "NAT data processed", quantity: assumptions.natGbPerMonth / nats.length, unit: "GB", price: regional(resource, (p) => p.natGatewayGb) });
    }
    for (const { address, resource, group } of all("aws_eip")) {
      add({ group, resource: address, what: "Elastic IP (public IPv4)", quantity: hours, unit: "hour", price: regional(resource, (p) => p.publicIpv4Hour) });
    }

    // Client VPN: each subnet association by the hour; connections as assumed.
    for (const { address, resource, group } of all("aws_ec2_client_vpn_network_association")) {
      add({ group, resource: address, what: "Client VPN subnet association", quantity: hours, unit: "association-hour", price: regional(resource, (p) => p.clientVpnAssociationHour) });
    }
    for (const { address, resource, group } of all("aws_ec2_client_vpn_endpoint")) {
      add({ group, resource: address, what: "Client VPN connections", quantity: assumptions.clientVpnPeople * assumptions.clientVpnHoursPerPerson, unit: "connection-hour", price: regional(resource, (p) => p.clientVpnConnectionHour) });
    }

    // Instances: from an auto scaling group (desired capacity) or on their own.
    const instances = (address: string, resource: Record<string, any>, group: CostGroup, count: number, source: Record<string, any>, template: Record<string, any> | undefined) => {
      const type: string | undefined = source.instance_type ?? template?.instance_type;
      add({ group, resource: address, what: `EC2 ${type ?? "(instance type not in the plan)"} × ${count}`, quantity: hours * count, unit: "instance-hour", price: type ? regional(resource, (p) => p.ec2Hour[type]) : undefined });
      const volumes: Record<string, any>[] = [
        ...(source.root_block_device ? [source.root_block_device].flat() : []),
        ...(template?.block_device_mappings ?? []).map((m: Record<string, any>) => m.ebs).filter(Boolean),
      ];
      for (const volume of volumes) {
        const size = asNumber(volume.volume_size, 8);
        const kind = volume.volume_type ?? "gp3";
        add({ group, resource: address, what: `EBS ${kind} ${size} GB × ${count}`, quantity: size * count, unit: "GB-month", price: kind === "gp3" ? regional(resource, (p) => p.ebsGp3GbMonth) : undefined });
      }
      const publicIp = isTrue(source.associate_public_ip_address) || (template?.network_interfaces ?? []).some((n: Record<string, any>) => isTrue(n.associate_public_ip_address));
      if (publicIp) add({ group, resource: address, what: `public IPv4 × ${count}`, quantity: hours * count, unit: "hour", price: regional(resource, (p) => p.publicIpv4Hour) });
    };
    for (const { address, resource, group } of all("aws_autoscaling_group")) {
      const count = asNumber(resource.desired_capacity, asNumber(resource.min_size, 1));
      instances(address, resource, group, count, {}, templateOf(resource));
    }
    for (const { address, resource, group } of all("aws_instance")) instances(address, resource, group, 1, resource, templateOf(resource));

    // Load balancers: hours and the assumed LCUs; an internet-facing one holds a public IPv4 per subnet.
    for (const { address, resource, group } of all("aws_lb")) {
      const type = resource.load_balancer_type ?? "application";
      const alb = type === "application";
      add({ group, resource: address, what: `${alb ? "Application" : type} Load Balancer`, quantity: hours, unit: "hour", price: alb ? regional(resource, (p) => p.albHour) : undefined });
      if (alb) add({ group, resource: address, what: "ALB capacity units", quantity: hours * assumptions.albLcu, unit: "LCU-hour", price: regional(resource, (p) => p.albLcuHour) });
      if (!isTrue(resource.internal)) {
        const nodes = Array.isArray(resource.subnets) ? resource.subnets.length : Array.isArray(resource.subnet_mapping) ? resource.subnet_mapping.length : 1;
        add({ group, resource: address, what: `public IPv4 × ${nodes} (internet-facing)`, quantity: hours * nodes, unit: "hour", price: regional(resource, (p) => p.publicIpv4Hour) });
      }
    }

    // Databases: the instance and its storage twice with Multi-AZ; the master secret RDS manages.
    for (const { address, resource, group } of all("aws_db_instance")) {
      const copies = isTrue(resource.multi_az) ? 2 : 1;
      const az = copies === 2 ? "Multi-AZ" : "Single-AZ";
      const engine: string = resource.engine ?? "postgres";
      const klass: string = resource.instance_class;
      add({ group, resource: address, what: `RDS ${engine} ${klass} ${az}`, quantity: hours * copies, unit: "instance-hour", price: regional(resource, (p) => p.rdsHour[engine]?.[klass]) });
      const storage = asNumber(resource.allocated_storage, 20);
      const storageType = resource.storage_type ?? "gp2";
      add({ group, resource: address, what: `RDS ${storageType} storage ${storage} GB ${az}`, quantity: storage * copies, unit: "GB-month", price: storageType === "gp3" ? regional(resource, (p) => p.rdsGp3GbMonth) : undefined });
      if (isTrue(resource.manage_master_user_password)) {
        add({ group, resource: address, what: "master password secret (Secrets Manager, managed by RDS)", quantity: 1, unit: "secret-month", price: regional(resource, (p) => p.secretMonth) });
      }
    }
    for (const { address, resource, group } of all("aws_secretsmanager_secret")) {
      add({ group, resource: address, what: "Secrets Manager secret", quantity: 1, unit: "secret-month", price: regional(resource, (p) => p.secretMonth) });
    }

    // ElastiCache: every node of the replication group (or cluster).
    for (const { address, resource, group } of all("aws_elasticache_replication_group")) {
      const nodes = resource.num_cache_clusters !== undefined
        ? asNumber(resource.num_cache_clusters, 1)
        : asNumber(resource.num_node_groups, 1) * (1 + asNumber(resource.replicas_per_node_group, 0));
      const type: string = resource.node_type;
      add({ group, resource: address, what: `ElastiCache ${type} × ${nodes}`, quantity: hours * nodes, unit: "node-hour", price: regional(resource, (p) => p.elastiCacheNodeHour[type]) });
    }
    for (const { address, resource, group } of all("aws_elasticache_cluster")) {
      const nodes = asNumber(resource.num_cache_nodes, 1);
      const type: string = resource.node_type;
      add({ group, resource: address, what: `ElastiCache ${type} × ${nodes}`, quantity: hours * nodes, unit: "node-hour", price: regional(resource, (p) => p.elastiCacheNodeHour[type]) });
    }

    // VPC endpoints: an interface endpoint by the hour in each subnet (AZ) and per GB; a gateway endpoint is free.
    for (const { address, resource, group } of all("aws_vpc_endpoint")) {
      const service = String(resource.service_name ?? "").split(".").pop();
      if (resource.vpc_endpoint_type === "Interface") {
        const azs = Array.isArray(resource.subnet_ids) ? resource.subnet_ids.length : 1;
        add({ group, resource: address, what: `interface endpoint ${service} × ${azs} AZ`, quantity: hours * azs, unit: "AZ-hour", price: regional(resource, (p) => p.interfaceEndpointAzHour) });
        add({ group, resource: address, what: `interface endpoint ${service} data`, quantity: assumptions.interfaceEndpointGbPerMonth, unit: "GB", price: regional(resource, (p) => p.interfaceEndpointGb) });
      } else {
        add({ group, resource: address, what: `gateway endpoint ${service} (free)`, quantity: 1, unit: "month", price: GLOBAL_PRICES.gatewayEndpoint });
      }
    }

    // The free ways in, shown at $0 so the table says so.
    for (const { address, group } of all("aws_ec2_instance_connect_endpoint")) {
      add({ group, resource: address, what: "EC2 Instance Connect Endpoint (free)", quantity: 1, unit: "month", price: GLOBAL_PRICES.instanceConnectEndpoint });
    }
    const sessionManager = Object.values(json.resource ?? {}).some((byName) => Object.entries(byName).some(([name, r]) => moduleOf(name, r) === "session-manager"));
    if (sessionManager) {
      add({ group: GROUPS.find((g) => g.name === "Session Manager")!, resource: `${stack.name}/session-manager`, what: "Session Manager sessions (free)", quantity: 1, unit: "month", price: GLOBAL_PRICES.sessionManager });
    }
    for (const { address, group } of all("aws_cloudfront_distribution")) {
      add({ group, resource: address, what: "CloudFront requests and transfer (not estimated)", quantity: 1, unit: "month", price: GLOBAL_PRICES.cloudFront });
    }

    // KMS keys and WAF: the same price in every region.
    for (const { address, group } of all("aws_kms_key")) {
      add({ group, resource: address, what: "KMS customer managed key", quantity: 1, unit: "key-month", price: GLOBAL_PRICES.kmsKeyMonth });
    }
    for (const { address, resource, group } of all("aws_wafv2_web_acl")) {
      const rules = wafRules(resource);
      add({ group, resource: address, what: "WAF web ACL", quantity: 1, unit: "web ACL-month", price: GLOBAL_PRICES.wafWebAclMonth });
      add({ group, resource: address, what: `WAF rules × ${rules}`, quantity: rules, unit: "rule-month", price: GLOBAL_PRICES.wafRuleMonth });
      add({ group, resource: address, what: "WAF requests", quantity: assumptions.wafMillionRequests, unit: "1M requests", price: GLOBAL_PRICES.wafMillionRequests });
    }
  }

  const total = items.reduce((sum, item) => sum + (item.monthly ?? 0), 0);
  const groups = [...GROUPS, OTHER]
    .map((g) => {
      const mine = items.filter((item) => item.group.name === g.name);
      return { name: g.name, kind: g.kind, monthly: mine.reduce((sum, item) => sum + (item.monthly ?? 0), 0), items: mine.length };
    })
    .filter((g) => g.items > 0);
  return { environment, region, regionName: prices.name, items, total, groups, unpriced: items.filter((item) => !item.price), assumptions };
}

/** Rules of a web ACL: `rule_json` (a JSON array) or `rule` blocks. */
function wafRules(acl: Record<string, any>): number {
  if (typeof acl.rule_json === "string") {
    try {
      const parsed = JSON.parse(acl.rule_json);
      if (Array.isArray(parsed)) return parsed.length;
    } catch {
      // an unresolved token: fall through
    }
  }
  return Array.isArray(acl.rule) ? acl.rule.length : acl.rule ? 1 : 0;
}

/** "$1,234" */
export function dollars(amount: number, cents = false): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: cents ? 2 : 0 })}`;
}

/** Priced line items whose price is not confirmed on a public page. */
export function unconfirmedPrices(estimate: CostEstimate): LineItem[] {
  return estimate.items.filter((item) => item.price?.confirmation === "unconfirmed");
}

/** The line `npm run synth` prints for one environment. */
export function costLine(estimate: CostEstimate): string {
  if (estimate.missing) return `${estimate.environment}: no monthly cost estimate: ${estimate.missing}`;
  const noPrice = [...new Set(estimate.unpriced.map((item) => item.what))];
  const priced = estimate.items.filter((item) => item.price);
  return (
    `${estimate.environment}: ${noPrice.length > 0 ? "at least" : "about"} ${dollars(estimate.total)}/month ` +
    `(${estimate.region} on-demand, assumptions: ${describeAssumptions(estimate.assumptions).join(", ")}` +
    `${noPrice.length > 0 ? `; no price for ${noPrice.join(", ")}` : ""}` +
    `; ${unconfirmedPrices(estimate).length} of ${priced.length} line items at unconfirmed prices, see src/cost/prices.ts)`
  );
}

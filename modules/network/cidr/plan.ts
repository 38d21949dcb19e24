import {
  Ipv4Block,
  blockSize,
  contains,
  formatIpv4Cidr,
  isPrivateRange,
  mustParse,
  overlaps,
  parseIpv4Cidr,
} from "./ipv4";

/**
 * The CIDR planner: pure functions from a VPC range, AZs and subnet wishes to a checked subnet plan.
 * No cdktf here: the network module consumes the plan, the report prints it.
 */

export const TIERS = ["public", "app", "data"] as const;
export type Tier = (typeof TIERS)[number];

/** AWS reserves the first four addresses and the last one of every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;
/** AWS accepts VPC and subnet blocks from /16 to /28. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;
/** AWS advises against this range: it collides with the Docker bridge and some AWS services. */
const DISCOURAGED_RANGE = mustParse("172.17.0.0/16");

export interface ExplicitSubnet {
  readonly tier: Tier;
  readonly az: string;
  readonly cidr: string;
}

export interface TierRequest {
  readonly tier: Tier;
  /** Subnet size as a prefix length; give this or `hosts`. */
  readonly prefixLength?: number;
  /** Usable addresses needed per subnet; the planner picks the smallest prefix that fits. */
  readonly hosts?: number;
  /** AZs that get a subnet of this tier. Default: every AZ of the network. */
  readonly availabilityZones?: readonly string[];
}

export interface PlanRequest {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** Explicit subnets (exactly one of `subnets` and `tiers`). */
  readonly subnets?: readonly ExplicitSubnet[];
  /** Computed subnets: one block per tier, laid out in list order. */
  readonly tiers?: readonly TierRequest[];
  /** Room reserved per tier for this many AZs (1, 2, 4 or 8); computed mode only. */
  readonly azSlots?: number;
  /** Allow a VPC range outside RFC 1918 / RFC 6598. */
  readonly allowNonPrivateCidr?: boolean;
}

export interface PlannedSubnet {
  /** Stable key, `<tier>-<az letter>`: used for construct ids, so it never depends on list positions. */
  readonly key: string;
  readonly tier: Tier;
  readonly az: string;
  readonly cidr: string;
  readonly prefixLength: number;
  readonly size: number;
  readonly usable: number;
}

export interface ReservedBlock {
  readonly tier: Tier;
  readonly cidr: string;
  readonly size: number;
}

export interface CidrPlan {
  readonly vpcCidr: string;
  readonly vpcSize: number;
  readonly availabilityZones: readonly string[];
  /** Sorted by address. */
  readonly subnets: readonly PlannedSubnet[];
  /** Computed mode: the block each tier owns (room for `azSlots` subnets). Empty in explicit mode. */
  readonly reservedBlocks: readonly ReservedBlock[];
  /** Addresses inside subnets. */
  readonly allocated: number;
  /** Addresses usable by resources (allocated minus 5 per subnet). */
  readonly usable: number;
  /** Addresses of the VPC in no subnet. */
  readonly unallocated: number;
}

export class CidrPlanError extends Error {
  constructor(
    readonly code: string,
    /** Field path relative to the `network` section, e.g. `subnets[2].cidr`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "CidrPlanError";
  }
}

export function usableAddresses(prefixLength: number): number {
  return blockSize(prefixLength) - AWS_RESERVED_PER_SUBNET;
}

/** The smallest subnet (largest prefix length) whose usable addresses cover `hosts`, or undefined. */
export function prefixForHosts(hosts: number): number | undefined {
  for (let prefix = MAX_PREFIX; prefix >= MIN_PREFIX; prefix--) {
    if (usableAddresses(prefix) >= hosts) return prefix;
  }
  return undefined;
}

/** Index of an AZ by its letter (`ap-northeast-2a` → 0): the same AZ always lands in the same slot. */
export function azSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

export function planNetwork(request: PlanRequest): CidrPlan {
  const vpc = checkVpc(request);
  const azs = checkAvailabilityZones(request.availabilityZones);
  const hasSubnets = request.subnets !== undefined;
  const hasTiers = request.tiers !== undefined;
  if (hasSubnets === hasTiers) {
    throw new CidrPlanError(
      "PA-CIDR-MODE",
      hasSubnets ? "tiers" : "subnets",
      hasSubnets ? "give either subnets or tiers, not both" : "is required (or give tiers to have subnets computed)",
    );
  }
  const placed = hasSubnets ? placeExplicit(vpc, azs, request.subnets!) : placeComputed(vpc, azs, request);
  return summarize(vpc, azs, placed.subnets, placed.reserved);
}

interface Placed {
  subnets: PlannedSubnet[];
  reserved: ReservedBlock[];
}

function checkVpc(request: PlanRequest): Ipv4Block {
  const parsed = parseIpv4Cidr(request.vpcCidr);
  if (!parsed.ok) throw new CidrPlanError("PA-CIDR-SYNTAX", "cidr", `${request.vpcCidr} ${parsed.problem}`);
  const vpc = parsed.block;
  if (vpc.prefixLength < MIN_PREFIX || vpc.prefixLength > MAX_PREFIX) {
    throw new CidrPlanError(
      "PA-CIDR-VPC-SIZE",
      "cidr",
      `${request.vpcCidr} must be between /${MIN_PREFIX} and /${MAX_PREFIX} (AWS VPC limits)`,
    );
  }
  if (!request.allowNonPrivateCidr && !isPrivateRange(vpc)) {
    throw new CidrPlanError(
      "PA-CIDR-PUBLIC-RANGE",
      "cidr",
      `${request.vpcCidr} is outside the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10 (set network.allowNonPrivateCidr: true if you own it)`,
    );
  }
  if (overlaps(vpc, DISCOURAGED_RANGE)) {
    throw new CidrPlanError(
      "PA-CIDR-DOCKER-RANGE",
      "cidr",
      `${request.vpcCidr} overlaps 172.17.0.0/16, which AWS advises against (it collides with the Docker bridge network); pick another range`,
    );
  }
  return vpc;
}

function checkAvailabilityZones(azs: readonly string[]): readonly string[] {
  if (azs.length === 0) throw new CidrPlanError("PA-CIDR-AZ", "availabilityZones", "must list at least one AZ");
  azs.forEach((az, index) => {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(az)) {
      throw new CidrPlanError(
        "PA-CIDR-AZ",
        `availabilityZones[${index}]`,
        `"${az}" is not an availability zone name (expected like ap-northeast-2a)`,
      );
    }
    const first = azs.indexOf(az);
    if (first !== index) {
      throw new CidrPlanError("PA-CIDR-AZ", `availabilityZones[${index}]`, `"${az}" is listed twice`);
    }
  });
  return azs;
}

function placeExplicit(vpc: Ipv4Block, azs: readonly string[], subnets: readonly ExplicitSubnet[]): Placed {
  const blocks: Ipv4Block[] = [];
  const keys = new Map<string, number>();
  const planned = subnets.map((subnet, index) => {
    const field = `subnets[${index}]`;
    if (!azs.includes(subnet.az)) {
      throw new CidrPlanError(
        "PA-CIDR-AZ",
        `${field}.az`,
        `"${subnet.az}" is not one of network.availabilityZones (${azs.join(", ")})`,
      );
    }
    const parsed = parseIpv4Cidr(subnet.cidr);
    if (!parsed.ok) throw new CidrPlanError("PA-CIDR-SYNTAX", `${field}.cidr`, `${subnet.cidr} ${parsed.problem}`);
    const block = parsed.block;
    if (block.prefixLength < MIN_PREFIX || block.prefixLength > MAX_PREFIX) {
      throw new CidrPlanError(
        "PA-CIDR-SUBNET-SIZE",
        `${field}.cidr`,
        `${subnet.cidr} must be between /${MIN_PREFIX} and /${MAX_PREFIX} (AWS subnet limits)`,
      );
    }
    if (!contains(vpc, block)) {
      throw new CidrPlanError(
        "PA-CIDR-OUTSIDE-VPC",
        `${field}.cidr`,
        `${subnet.cidr} is not inside the VPC range ${formatIpv4Cidr(vpc)}`,
      );
    }
    const clash = blocks.findIndex((other) => overlaps(other, block));
    if (clash >= 0) {
      throw new CidrPlanError(
        "PA-CIDR-OVERLAP",
        `${field}.cidr`,
        `${subnet.cidr} overlaps network.subnets[${clash}] (${subnets[clash].cidr})`,
      );
    }
    const key = subnetKey(subnet.tier, subnet.az);
    const twin = keys.get(key);
    if (twin !== undefined) {
      throw new CidrPlanError(
        "PA-CIDR-DUPLICATE",
        `${field}.az`,
        `a ${subnet.tier} subnet in ${subnet.az} is already network.subnets[${twin}]: one subnet per tier per AZ`,
      );
    }
    keys.set(key, index);
    blocks.push(block);
    return plannedSubnet(subnet.tier, subnet.az, block);
  });
  return { subnets: planned, reserved: [] };
}

/**
 * Computed layout, built for stability (a renumbered subnet is a destroyed subnet):
 * - every tier owns one aligned block with room for `azSlots` subnets, placed first-fit in list
 *   order, so a tier appended to the list never moves an earlier one;
 * - inside its block, an AZ's subnet sits at the slot of its letter (a = 0, b = 1, …), so adding,
 *   removing or reordering AZs never moves another AZ's subnet.
 * Changing a tier's size or `azSlots` does move subnets: that is a new network, and the docs say so.
 */
function placeComputed(vpc: Ipv4Block, azs: readonly string[], request: PlanRequest): Placed {
  const azSlots = request.azSlots ?? 4;
  if (![1, 2, 4, 8].includes(azSlots)) {
    throw new CidrPlanError("PA-CIDR-SLOTS", "azSlots", `${azSlots} must be 1, 2, 4 or 8`);
  }
  azs.forEach((az, index) => {
    if (azSlot(az) >= azSlots) {
      throw new CidrPlanError(
        "PA-CIDR-SLOTS",
        `availabilityZones[${index}]`,
        `${az} needs AZ slot ${azSlot(az)} but network.azSlots is ${azSlots}; raise azSlots (before the network exists: raising it later moves every computed subnet)`,
      );
    }
  });
  const slotBits = Math.log2(azSlots);
  const taken: Ipv4Block[] = [];
  const seenTiers = new Map<Tier, number>();
  const subnets: PlannedSubnet[] = [];
  const reserved: ReservedBlock[] = [];
  request.tiers!.forEach((tier, index) => {
    const field = `tiers[${index}]`;
    const earlier = seenTiers.get(tier.tier);
    if (earlier !== undefined) {
      throw new CidrPlanError("PA-CIDR-DUPLICATE", `${field}.tier`, `${tier.tier} is already network.tiers[${earlier}]`);
    }
    seenTiers.set(tier.tier, index);
    const prefixLength = tierPrefix(tier, field);
    const blockPrefix = prefixLength - slotBits;
    if (blockPrefix < vpc.prefixLength) {
      throw new CidrPlanError(
        "PA-CIDR-NO-ROOM",
        field,
        `${azSlots} AZ slots of /${prefixLength} need a /${blockPrefix}, larger than the VPC ${formatIpv4Cidr(vpc)}`,
      );
    }
    const block = firstFit(vpc, blockPrefix, taken);
    if (!block) {
      const free = blockSize(vpc.prefixLength) - taken.reduce((sum, b) => sum + blockSize(b.prefixLength), 0);
      throw new CidrPlanError(
        "PA-CIDR-NO-ROOM",
        field,
        `${azSlots} AZ slots of /${prefixLength} need an aligned /${blockPrefix} (${blockSize(blockPrefix)} addresses) but ${formatIpv4Cidr(vpc)} has no such block free (${free} addresses remain)`,
      );
    }
    taken.push(block);
    reserved.push({ tier: tier.tier, cidr: formatIpv4Cidr(block), size: blockSize(blockPrefix) });
    const tierAzs = tier.availabilityZones ?? azs;
    tierAzs.forEach((az, azIndex) => {
      if (!azs.includes(az)) {
        throw new CidrPlanError(
          "PA-CIDR-AZ",
          `${field}.availabilityZones[${azIndex}]`,
          `"${az}" is not one of network.availabilityZones (${azs.join(", ")})`,
        );
      }
      const base = block.base + azSlot(az) * blockSize(prefixLength);
      subnets.push(plannedSubnet(tier.tier, az, { base, prefixLength }));
    });
  });
  return { subnets, reserved };
}

function tierPrefix(tier: TierRequest, field: string): number {
  if ((tier.prefixLength === undefined) === (tier.hosts === undefined)) {
    throw new CidrPlanError("PA-CIDR-TIER-SIZE", field, "needs exactly one of prefixLength and hosts");
  }
  if (tier.prefixLength !== undefined) {
    if (!Number.isInteger(tier.prefixLength) || tier.prefixLength < MIN_PREFIX || tier.prefixLength > MAX_PREFIX) {
      throw new CidrPlanError(
        "PA-CIDR-SUBNET-SIZE",
        `${field}.prefixLength`,
        `${tier.prefixLength} must be a whole number from ${MIN_PREFIX} to ${MAX_PREFIX} (AWS subnet limits)`,
      );
    }
    return tier.prefixLength;
  }
  const prefix = Number.isInteger(tier.hosts) && tier.hosts! >= 1 ? prefixForHosts(tier.hosts!) : undefined;
  if (prefix === undefined) {
    throw new CidrPlanError(
      "PA-CIDR-SUBNET-SIZE",
      `${field}.hosts`,
      `${tier.hosts} must be a whole number from 1 to ${usableAddresses(MIN_PREFIX)} (a /${MIN_PREFIX} subnet's usable addresses)`,
    );
  }
  return prefix;
}

function firstFit(vpc: Ipv4Block, prefixLength: number, taken: readonly Ipv4Block[]): Ipv4Block | undefined {
  const size = blockSize(prefixLength);
  for (let base = vpc.base; base + size - 1 <= vpc.base + blockSize(vpc.prefixLength) - 1; base += size) {
    const candidate = { base, prefixLength };
    if (!taken.some((block) => overlaps(block, candidate))) return candidate;
  }
  return undefined;
}

function subnetKey(tier: Tier, az: string): string {
  return `${tier}-${az.slice(-1)}`;
}

function plannedSubnet(tier: Tier, az: string, block: Ipv4Block): PlannedSubnet {
  return {
    key: subnetKey(tier, az),
    tier,
    az,
    cidr: formatIpv4Cidr(block),
    prefixLength: block.prefixLength,
    size: blockSize(block.prefixLength),
    usable: usableAddresses(block.prefixLength),
  };
}

function summarize(
  vpc: Ipv4Block,
  azs: readonly string[],
  subnets: PlannedSubnet[],
  reserved: ReservedBlock[],
): CidrPlan {
  const sorted = [...subnets].sort((a, b) => mustParse(a.cidr).base - mustParse(b.cidr).base);
  const allocated = sorted.reduce((sum, s) => sum + s.size, 0);
  const usable = sorted.reduce((sum, s) => sum + s.usable, 0);
  return {
    vpcCidr: formatIpv4Cidr(vpc),
    vpcSize: blockSize(vpc.prefixLength),
    availabilityZones: [...azs],
    subnets: sorted,
    reservedBlocks: reserved,
    allocated,
    usable,
    unallocated: blockSize(vpc.prefixLength) - allocated,
  };
}

/** Subnets of one tier, in the order of the network's AZ list. */
export function subnetsOfTier(plan: CidrPlan, tier: Tier): PlannedSubnet[] {
  return plan.availabilityZones.flatMap((az) => plan.subnets.filter((s) => s.tier === tier && s.az === az));
}

import { z } from "zod";
import { azLettersOf } from "../common/facts/regions";
import { SettingsError } from "../common/settings/parse";
import { logRetentionDays } from "../common/settings/fields";
import { CidrPlan, CidrPlanError, TIERS, planNetwork } from "./cidr/plan";

const tier = z.enum(TIERS);

const explicitSubnet = z.strictObject({
  tier,
  az: z.string(),
  cidr: z.string(),
});

const tierRequest = z.strictObject({
  tier,
  prefixLength: z.number().int().optional(),
  hosts: z.number().int().optional(),
  availabilityZones: z.array(z.string()).optional(),
});

/** The `network` section: the VPC, its subnets and their routing. */
export const networkSettings = z
  .strictObject({
    cidr: z.string().meta({ type: "IPv4 CIDR, /16 to /28", description: "VPC range; must be in RFC 1918 or RFC 6598 space, and not overlap 172.17.0.0/16 (AWS advises against it)" }),
    availabilityZones: z.array(z.string()).min(1).meta({ type: "list of AZ names", description: "AZs of `aws.region`, e.g. `ap-northeast-2a` (checked against the letters the region has)" }),
    subnets: z.array(explicitSubnet).optional().meta({ type: "list of `{tier, az, cidr}`", description: "explicit subnets (give this or `tiers`)" }),
    tiers: z.array(tierRequest).optional().meta({ type: "list of `{tier, prefixLength | hosts, availabilityZones?}`", description: "computed subnets (give this or `subnets`)" }),
    azSlots: z.number().int().default(4).meta({ type: "1, 2, 4 or 8", description: "computed mode: room each tier keeps for this many AZs" }),
    allowNonPrivateCidr: z.boolean().default(false).meta({ description: "allow a VPC range outside private address space you own" }),
    natGateways: z.enum(["none", "single", "per-az"]).default("single").meta({
      description: "`single`: one EIP and one NAT gateway in the public subnet of the first AZ listed; `per-az`: one per AZ with a public subnet, each app subnet routed to its own AZ's; `none`: no egress to the internet",
    }),
    s3GatewayEndpoint: z.boolean().default(true).meta({ description: "S3 through a gateway endpoint on the app and data route tables" }),
    flowLogs: z
      .strictObject({
        retentionInDays: logRetentionDays(365).meta({ description: "flow log retention" }),
        trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL").meta({ description: "which traffic flow logs record" }),
      })
      .prefault({}),
  })
  .meta({
    title: "`network`",
    summary: "the VPC, its subnets and their routing",
    description:
      "Required. Tiers are `public` (routes to the internet gateway), `app` (private; routes to the NAT gateway) and `data` (private; no route out of the VPC). One subnet per tier per AZ.",
  });

export type NetworkSettings = z.output<typeof networkSettings>;
export type NetworkSettingsInput = z.input<typeof networkSettings>;

/**
 * The subnet plan of validated settings in `region`: AZs must be ones the region has (AWS names an
 * AZ region + letter), then the CIDR planner places every subnet. Errors name the field.
 */
export function planSubnets(settings: NetworkSettings, region: string): CidrPlan {
  const letters = azLettersOf(region);
  settings.availabilityZones.forEach((az, index) => {
    const letter = az.slice(region.length);
    if (!az.startsWith(region) || !/^[a-z]$/.test(letter)) {
      throw new SettingsError(["availabilityZones", index], `"${az}" is not an AZ of aws.region ${region}`);
    }
    if (letters.length > 0 && !letters.includes(letter)) {
      throw new SettingsError(["availabilityZones", index], `"${az}" does not exist: ${region} has AZs ${letters.map((l) => region + l).join(", ")}`);
    }
  });
  try {
    return planNetwork({
      vpcCidr: settings.cidr,
      availabilityZones: settings.availabilityZones,
      subnets: settings.subnets,
      tiers: settings.tiers,
      azSlots: settings.azSlots,
      allowNonPrivateCidr: settings.allowNonPrivateCidr,
    });
  } catch (error) {
    if (error instanceof CidrPlanError) throw new SettingsError(fieldPath(error.field), error.message);
    throw error;
  }
}

/** "subnets[2].cidr" → ["subnets", 2, "cidr"] */
function fieldPath(field: string): PropertyKey[] {
  return field.split(/\.|(?=\[)/).filter(Boolean).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

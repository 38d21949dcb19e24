import { formatIpv4, parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";

/** The first address AWS hands out in a subnet (base + 4: it reserves the first four). */
export function firstAddress(cidr: string | undefined): string | undefined {
  if (!cidr) return undefined;
  const parsed = parseIpv4Cidr(cidr);
  return parsed.ok ? formatIpv4(parsed.block.base + 4) : undefined;
}

/** An address outside every private range, standing for "anyone on the internet". */
export const SOME_INTERNET_ADDRESS = "198.51.100.7";

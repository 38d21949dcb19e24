import * as ipaddr from "ipaddr.js";

/** An IPv4 block as unsigned 32-bit integers: `base` is the network address. */
export interface Ipv4Block {
  readonly base: number;
  readonly prefixLength: number;
}

export type ParseResult =
  | { ok: true; block: Ipv4Block }
  | { ok: false; problem: string };

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

export function blockEnd(block: Ipv4Block): number {
  return block.base + blockSize(block.prefixLength) - 1;
}

/**
 * Parses "a.b.c.d/n" strictly: four-part dotted decimal (ipaddr.js alone would also take
 * "10.1/16" or hex parts), a prefix length, and no host bits set.
 */
export function parseIpv4Cidr(text: string): ParseResult {
  if (typeof text !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) {
    return { ok: false, problem: "is not a valid IPv4 CIDR (expected a.b.c.d/n)" };
  }
  let parsed: [ipaddr.IPv4, number];
  try {
    // The shape is IPv4 already; ipaddr.parseCIDR would try (and throw for) IPv6 first.
    parsed = ipaddr.IPv4.parseCIDR(text);
  } catch {
    return { ok: false, problem: "is not a valid IPv4 CIDR (each part 0-255, prefix 0-32)" };
  }
  const [address, prefixLength] = parsed;
  if (prefixLength > 32) {
    return { ok: false, problem: "is not a valid IPv4 CIDR" };
  }
  const value = toUint32(address);
  const aligned = alignDown(value, prefixLength);
  if (aligned !== value) {
    return {
      ok: false,
      problem: `has host bits set (did you mean ${formatIpv4Cidr({ base: aligned, prefixLength })}?)`,
    };
  }
  return { ok: true, block: { base: value, prefixLength } };
}

export function formatIpv4Cidr(block: Ipv4Block): string {
  return `${formatIpv4(block.base)}/${block.prefixLength}`;
}

export function formatIpv4(value: number): string {
  const bytes = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
  return ipaddr.fromByteArray(bytes).toString();
}

export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.base >= outer.base && blockEnd(inner) <= blockEnd(outer);
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base <= blockEnd(b) && b.base <= blockEnd(a);
}

/** Rounds an address down to the start of its /prefixLength block. */
export function alignDown(value: number, prefixLength: number): number {
  const size = blockSize(prefixLength);
  return Math.floor(value / size) * size;
}

/** RFC 1918 private ranges and the RFC 6598 shared address space (which AWS accepts for VPCs). */
export const PRIVATE_RANGES: readonly Ipv4Block[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(
  mustParse,
);

export function isPrivateRange(block: Ipv4Block): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, block));
}

export function mustParse(text: string): Ipv4Block {
  const result = parseIpv4Cidr(text);
  if (!result.ok) throw new Error(`${text} ${result.problem}`);
  return result.block;
}

function toUint32(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
}

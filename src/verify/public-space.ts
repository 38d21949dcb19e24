import * as ipaddr from "ipaddr.js";

/**
 * How much of the internet a set of CIDRs admits, by arithmetic on the ranges (not by their
 * spelling): `0.0.0.0/1` + `128.0.0.0/1` is the whole internet as surely as `0.0.0.0/0`.
 * Private, shared, loopback, link-local, multicast and reserved space is not public.
 * https://www.iana.org/assignments/iana-ipv4-special-registry/
 */
const NOT_PUBLIC_V4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
/** IPv6 global unicast is 2000::/3; everything else is not reachable from the internet. */
const PUBLIC_V6 = "2000::/3";

/** A /8 of public IPv4 space, or a /32 of IPv6 (a whole regional allocation): "a large public space". */
const LARGE_V4 = 2n ** 24n;
const LARGE_V6 = 2n ** 96n;

type Interval = [bigint, bigint];

function toInterval(cidr: string): { family: 4 | 6; interval: Interval } | undefined {
  try {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    const bits = address.kind() === "ipv4" ? 32 : 128;
    const bytes = address.toByteArray();
    const value = bytes.reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
    const size = 2n ** BigInt(bits - prefix);
    const start = (value / size) * size;
    return { family: bits === 32 ? 4 : 6, interval: [start, start + size - 1n] };
  } catch {
    return undefined;
  }
}

function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1n) last[1] = last[1] > end ? last[1] : end;
    else merged.push([start, end]);
  }
  return merged;
}

function size(intervals: Interval[]): bigint {
  return intervals.reduce((sum, [start, end]) => sum + (end - start + 1n), 0n);
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [s1, e1] of a) for (const [s2, e2] of b) {
    const start = s1 > s2 ? s1 : s2;
    const end = e1 < e2 ? e1 : e2;
    if (start <= end) out.push([start, end]);
  }
  return union(out);
}

function subtract(a: Interval[], b: Interval[]): Interval[] {
  let rest = a;
  for (const [s, e] of b) {
    rest = rest.flatMap(([start, end]): Interval[] => {
      if (e < start || s > end) return [[start, end]];
      const pieces: Interval[] = [];
      if (start < s) pieces.push([start, s - 1n]);
      if (end > e) pieces.push([e + 1n, end]);
      return pieces;
    });
  }
  return rest;
}

const V4_ALL: Interval[] = [[0n, 2n ** 32n - 1n]];
const V4_PUBLIC = subtract(V4_ALL, union(NOT_PUBLIC_V4.map((c) => toInterval(c)!.interval)));
const V6_PUBLIC: Interval[] = [toInterval(PUBLIC_V6)!.interval];

export interface PublicCoverage {
  /** Every public address of the family is admitted. */
  readonly internet: boolean;
  /** At least a /8 of public IPv4 (or a /32 of IPv6) is admitted. */
  readonly large: boolean;
  /** In words, for a verdict's detail. */
  readonly description: string;
}

/** What the union of `cidrs` admits of the internet. Unparseable entries are ignored (the schema refuses them). */
export function publicCoverage(cidrs: readonly string[]): PublicCoverage {
  const parsed = cidrs.map(toInterval).filter((c): c is NonNullable<typeof c> => c !== undefined);
  const v4 = intersect(union(parsed.filter((c) => c.family === 4).map((c) => c.interval)), V4_PUBLIC);
  const v6 = intersect(union(parsed.filter((c) => c.family === 6).map((c) => c.interval)), V6_PUBLIC);
  const v4Size = size(v4);
  const v6Size = size(v6);
  const internet = v4Size === size(V4_PUBLIC) || v6Size === size(V6_PUBLIC);
  const large = internet || v4Size >= LARGE_V4 || v6Size >= LARGE_V6;
  const share = (n: bigint, of: bigint) => `${((Number(n) / Number(of)) * 100).toFixed(n === of ? 0 : 2)}%`;
  const parts = [v4Size > 0n ? `${share(v4Size, size(V4_PUBLIC))} of public IPv4` : "", v6Size > 0n ? `${share(v6Size, size(V6_PUBLIC))} of public IPv6` : ""].filter(Boolean);
  return { internet, large, description: parts.length > 0 ? `${cidrs.join(" + ")} admit ${parts.join(" and ")}` : `${cidrs.join(" + ")} admit no public address` };
}

import { contains, overlaps, parseIpv4Cidr } from "../../modules/network/cidr/ipv4";
import type { Check, Endpoint, Protocol } from "./network";
import type { ResourceRef, StackModel } from "./stack-model";

/**
 * Network ACLs, as AWS evaluates them: per subnet, stateless, in each direction, rules in number
 * order with the first match deciding and an implicit deny after the last. A connection needs the
 * source subnet's outbound and the destination subnet's inbound rule for the port, and the replies
 * need the reverse on the client's ephemeral ports (the source endpoint's; by default 1024-65535,
 * what AWS advises for clients it does not know: NAT gateways, load balancers, Client VPN). Traffic
 * within one subnet is not filtered. A subnet with no custom ACL has the VPC's default ACL, which
 * allows everything unless the stack manages it (aws_default_network_acl).
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
const EPHEMERAL: readonly [number, number] = [1024, 65535];
const PROTOCOLS: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", tcp: "tcp", "17": "udp", udp: "udp", "1": "icmp", icmp: "icmp" };

/** A rule's protocol as a name (`tcp`, `udp`, `icmp`, `all`), however the rule spells it (number, name, -1). */
export function protocolName(value: unknown): string {
  return PROTOCOLS[String(value)] ?? String(value);
}

interface AclRule {
  readonly number: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidr?: string;
}

interface Acl {
  readonly name: string;
  readonly rules: readonly AclRule[];
}

function inlineRules(blocks: unknown, egress: boolean): AclRule[] {
  return ((blocks ?? []) as any[]).map((b) => ({
    number: Number(b.rule_no),
    egress,
    allow: String(b.action).toLowerCase() === "allow",
    protocol: protocolName(b.protocol),
    from: Number(b.from_port ?? 0),
    to: Number(b.to_port ?? 65535),
    cidr: b.cidr_block ?? b.ipv6_cidr_block,
  }));
}

/** The ACL a subnet really has: a custom one associated with it, else the default (managed or AWS's allow-all). */
function aclOf(model: StackModel, subnet: ResourceRef): Acl | undefined {
  const named = (acl: ResourceRef) => acl.config.tags?.Name ?? acl.address;
  const separateRules = (acl: ResourceRef) =>
    model.all("aws_network_acl_rule").filter((r) => model.pointsAt(r.config.network_acl_id, acl)).map((r) => ({
      number: Number(r.config.rule_number),
      egress: r.config.egress === true || r.config.egress === "true",
      allow: String(r.config.rule_action).toLowerCase() === "allow",
      protocol: protocolName(r.config.protocol),
      from: Number(r.config.from_port ?? 0),
      to: Number(r.config.to_port ?? 65535),
      cidr: r.config.cidr_block ?? r.config.ipv6_cidr_block,
    }));
  const custom = model.all("aws_network_acl").find(
    (acl) => ((acl.config.subnet_ids ?? []) as unknown[]).some((id) => model.pointsAt(id, subnet)) || model.all("aws_network_acl_association").some((a) => model.pointsAt(a.config.network_acl_id, acl) && model.pointsAt(a.config.subnet_id, subnet)),
  );
  if (custom) return { name: named(custom), rules: [...inlineRules(custom.config.ingress, false), ...inlineRules(custom.config.egress, true), ...separateRules(custom)] };
  const managedDefault = model.all("aws_default_network_acl")[0];
  if (managedDefault) return { name: `default ACL ${named(managedDefault)}`, rules: [...inlineRules(managedDefault.config.ingress, false), ...inlineRules(managedDefault.config.egress, true)] };
  return undefined;
}

/**
 * First match decides, per peer range; a deny touching any part of the peer refuses it (some of
 * its addresses are cut off). For a range of reply ports (`replies`), a deny of only some of them
 * does not decide: replies to the other ports get through, so the path works (those ports only
 * fail the rare connection that drew one), and the detail says so.
 */
function decide(acl: Acl, egress: boolean, protocol: Protocol, ports: readonly [number, number], peers: readonly string[], replies = false): Check {
  const rules = acl.rules.filter((r) => r.egress === egress).sort((a, b) => a.number - b.number);
  const direction = egress ? "outbound" : "inbound";
  const portText = ports[0] === ports[1] ? `${ports[0]}` : `${ports[0]}-${ports[1]}`;
  for (const peer of peers) {
    const block = parseIpv4Cidr(peer);
    let decided: Check | undefined;
    for (const rule of rules) {
      if (rule.protocol !== "all" && rule.protocol !== protocol) continue;
      if (rule.protocol !== "all" && (rule.to < ports[0] || rule.from > ports[1])) continue;
      const ruleBlock = rule.cidr ? parseIpv4Cidr(rule.cidr) : undefined;
      if (!block.ok || !ruleBlock?.ok || !overlaps(ruleBlock.block, block.block)) continue;
      const coversPorts = rule.protocol === "all" || (rule.from <= ports[0] && ports[1] <= rule.to);
      if (!rule.allow) {
        if (replies && !coversPorts) continue;
        decided = { ok: false, detail: `${acl.name} ${direction} rule ${rule.number} denies ${protocol.toUpperCase()} ${portText} ${egress ? "to" : "from"} ${rule.cidr}` };
        break;
      }
      if (coversPorts && contains(ruleBlock.block, block.block)) {
        decided = { ok: true, detail: `${acl.name} ${direction} rule ${rule.number} allows ${protocol.toUpperCase()} ${portText} ${egress ? "to" : "from"} ${rule.cidr}` };
        break;
      }
    }
    if (!decided) return { ok: false, detail: `${acl.name}: no ${direction} rule allows ${protocol.toUpperCase()} ${portText} ${egress ? "to" : "from"} ${peer} (the implicit deny)` };
    if (!decided.ok) return decided;
  }
  return { ok: true, detail: `${acl.name} ${direction} allows ${protocol.toUpperCase()} ${portText}` };
}

function subnetsOf(model: StackModel, endpoint: Endpoint): ResourceRef[] {
  return model.all("aws_subnet").filter((s) => endpoint.cidrs.includes(s.config.cidr_block));
}

/**
 * Would the network ACLs let `source` open `protocol`/`port` to `dest`, and let the replies back?
 * Checked for every subnet of each side (every AZ), not the first.
 */
export function networkAclsAllow(model: StackModel, source: Endpoint, dest: Endpoint, protocol: Protocol, port: number): Check {
  const sources = subnetsOf(model, source);
  const dests = subnetsOf(model, dest);
  const details: string[] = [];
  const check = (subnet: ResourceRef, egress: boolean, ports: readonly [number, number], peers: readonly string[], replies = false): Check | undefined => {
    const acl = aclOf(model, subnet);
    if (!acl) return undefined;
    const result = decide(acl, egress, protocol, ports, peers, replies);
    return result.ok ? (details.push(result.detail), undefined) : { ok: false, detail: `${subnet.config.tags?.Name ?? subnet.address}: ${result.detail}` };
  };
  // The peer as the other side's ACL sees it: its subnets, or its own ranges (the internet, a client).
  const sourcePeers = sources.length > 0 ? sources.map((s) => s.config.cidr_block as string) : source.cidrs;
  const destPeers = dests.length > 0 ? dests.map((s) => s.config.cidr_block as string) : dest.cidrs;
  for (const subnet of sources) {
    const peers = destPeers.filter((p) => p !== subnet.config.cidr_block);
    if (peers.length === 0) continue;
    const failed = check(subnet, true, [port, port], peers) ?? check(subnet, false, source.ephemeralPorts ?? EPHEMERAL, peers, true);
    if (failed) return failed;
  }
  for (const subnet of dests) {
    const peers = sourcePeers.filter((p) => p !== subnet.config.cidr_block);
    if (peers.length === 0) continue;
    const failed = check(subnet, false, [port, port], peers) ?? check(subnet, true, source.ephemeralPorts ?? EPHEMERAL, peers, true);
    if (failed) return failed;
  }
  return { ok: true, detail: details.length > 0 ? [...new Set(details)].join("; ") : "no custom network ACL on either side (the VPC's default ACL allows all)" };
}

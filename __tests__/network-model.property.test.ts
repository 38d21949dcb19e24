import fc from "fast-check";
import { networkAllows, securityGroupsAllow, type Endpoint } from "../src/verify/network";
import * as ipaddr from "ipaddr.js";
import { StackModel } from "../src/verify/stack-model";

/**
 * The verifier's network model against a small independent reference evaluator, on random rules:
 * protocols (tcp, udp, all as "-1" or a number), port ranges, peers by group, CIDR or prefix list,
 * on either side, and random network ACLs on the two subnets. The reference follows AWS's
 * documented semantics directly and shares no code with the verifier.
 */
const GROUPS = ["a", "b", "c"] as const;
const SUBNETS = { s1: "10.0.1.0/24", s2: "10.0.2.0/24" } as const;
const PREFIX_LISTS = ["pl-11111111", "pl-22222222"] as const;

const ipToInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const range = (cidr: string): [number, number] => {
  const [ip, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(ip) / size) * size;
  return [start, start + size - 1];
};
const within = (inner: string, outer: string) => {
  const [a, b] = range(inner);
  const [c, d] = range(outer);
  return c <= a && b <= d;
};
const touches = (x: string, y: string) => {
  const [a, b] = range(x);
  const [c, d] = range(y);
  return a <= d && c <= b;
};

const protocolArb = fc.constantFrom("tcp", "udp", "-1", "6", "17");
const portsArb = fc.tuple(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 })).map(([x, y]) => [Math.min(x, y) * 1000, Math.min(65535, Math.max(x, y) * 1000 + 999)] as const);
const cidrArb = fc.constantFrom("0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "10.0.1.128/25", "192.168.0.0/16");
const peerArb = fc.oneof(
  fc.constantFrom(...GROUPS).map((g) => ({ group: g })),
  cidrArb.map((cidr) => ({ cidr })),
  fc.constantFrom(...PREFIX_LISTS).map((pl) => ({ prefixList: pl })),
);
const sgRuleArb = fc.record({ direction: fc.constantFrom("ingress", "egress"), group: fc.constantFrom(...GROUPS), protocol: protocolArb, ports: portsArb, peer: peerArb });
const aclRuleArb = fc.record({ number: fc.integer({ min: 1, max: 300 }), egress: fc.boolean(), allow: fc.boolean(), protocol: protocolArb, ports: portsArb, cidr: cidrArb });

const proto = (p: string) => ({ "6": "tcp", "17": "udp", "-1": "all" })[p] ?? p;

function modelOf(rules: any[], acls: { s1?: any[]; s2?: any[] }): StackModel {
  const resource: Record<string, Record<string, any>> = {
    aws_security_group: Object.fromEntries(GROUPS.map((g) => [g, { name: g }])),
    aws_subnet: Object.fromEntries(Object.entries(SUBNETS).map(([name, cidr]) => [name, { cidr_block: cidr }])),
    aws_vpc_security_group_ingress_rule: {},
    aws_vpc_security_group_egress_rule: {},
  };
  rules.forEach((r, i) => {
    const all = proto(r.protocol) === "all";
    resource[`aws_vpc_security_group_${r.direction}_rule`][`r${i}`] = {
      security_group_id: `\${aws_security_group.${r.group}.id}`,
      ip_protocol: r.protocol,
      ...(all ? {} : { from_port: r.ports[0], to_port: r.ports[1] }),
      ...(r.peer.group ? { referenced_security_group_id: `\${aws_security_group.${r.peer.group}.id}` } : r.peer.cidr ? { cidr_ipv4: r.peer.cidr } : { prefix_list_id: r.peer.prefixList }),
    };
  });
  const aclResources: Record<string, any> = {};
  for (const [subnet, list] of Object.entries(acls)) {
    if (!list) continue;
    const unique = list.filter((r, i) => list.findIndex((o) => o.number === r.number && o.egress === r.egress) === i);
    const block = (egress: boolean) => unique.filter((r) => r.egress === egress).map((r) => ({ rule_no: r.number, action: r.allow ? "allow" : "deny", protocol: r.protocol, from_port: r.ports[0], to_port: r.ports[1], cidr_block: r.cidr }));
    aclResources[`acl_${subnet}`] = { subnet_ids: [`\${aws_subnet.${subnet}.id}`], ingress: block(false), egress: block(true) };
  }
  if (Object.keys(aclResources).length > 0) resource.aws_network_acl = aclResources;
  return new StackModel("t", { resource } as any, "ap-northeast-2", "123456789012");
}

/** AWS's security-group semantics, written out: stateful, an allow on each side is enough. */
function referenceGroups(rules: any[], source: Endpoint, dest: Endpoint, protocol: string, port: number): boolean {
  const matches = (r: any, direction: string, own: readonly string[], peer: Endpoint) =>
    r.direction === direction &&
    own.includes(`aws_security_group.${r.group}`) &&
    (proto(r.protocol) === "all" || (proto(r.protocol) === protocol && r.ports[0] <= port && port <= r.ports[1])) &&
    (r.peer.group ? peer.groups.includes(`aws_security_group.${r.peer.group}`) : r.peer.cidr ? peer.cidrs.length > 0 && peer.cidrs.every((c) => within(c, r.peer.cidr)) : (peer.prefixLists ?? []).includes(r.peer.prefixList));
  const out = source.groups.length === 0 || rules.some((r) => matches(r, "egress", source.groups, dest));
  const inn = dest.groups.length === 0 || rules.some((r) => matches(r, "ingress", dest.groups, source));
  return out && inn;
}

/** AWS's network ACL semantics, written out: per subnet, first match by number, implicit deny, replies on ephemeral ports. */
function referenceAcls(acls: { s1?: any[]; s2?: any[] }, source: string, dest: string, protocol: string, port: number, ephemeral: [number, number]): boolean {
  if (source === dest) return true;
  const decide = (subnet: "s1" | "s2", egress: boolean, ports: [number, number], peer: string, replies: boolean): boolean => {
    const list = acls[subnet];
    if (!list) return true;
    const unique = list.filter((r, i) => list.findIndex((o) => o.number === r.number && o.egress === r.egress) === i);
    const ordered = unique.filter((r) => r.egress === egress).sort((x, y) => x.number - y.number);
    for (const r of ordered) {
      const p = proto(r.protocol);
      if (p !== "all" && p !== protocol) continue;
      if (p !== "all" && (r.ports[1] < ports[0] || r.ports[0] > ports[1])) continue;
      if (!touches(r.cidr, peer)) continue;
      const allPorts = p === "all" || (r.ports[0] <= ports[0] && ports[1] <= r.ports[1]);
      if (!r.allow) {
        if (replies && !allPorts) continue;
        return false;
      }
      if (allPorts && within(peer, r.cidr)) return true;
    }
    return false;
  };
  const s = source === SUBNETS.s1 ? "s1" : "s2";
  const d = dest === SUBNETS.s1 ? "s1" : "s2";
  return decide(s, true, [port, port], dest, false) && decide(s, false, ephemeral, dest, true) && decide(d, false, [port, port], source, false) && decide(d, true, ephemeral, source, true);
}

const endpointArb = (subnet: string) =>
  fc.record({ groups: fc.subarray([...GROUPS], { minLength: 0, maxLength: 2 }).map((gs) => gs.map((g) => `aws_security_group.${g}`)), prefixLists: fc.subarray([...PREFIX_LISTS], { maxLength: 1 }) }).map((e) => ({ label: subnet, cidrs: [subnet], ...e }) as Endpoint);

describe("the network model against a reference evaluator", () => {
  it("security groups: any protocols, ports, and peers by group, CIDR or prefix list", () => {
    fc.assert(
      fc.property(fc.array(sgRuleArb, { maxLength: 8 }), endpointArb(SUBNETS.s1), endpointArb(SUBNETS.s2), fc.constantFrom("tcp", "udp"), fc.integer({ min: 1, max: 65535 }), (rules, source, dest, protocol, port) => {
        const got = securityGroupsAllow(modelOf(rules, {}), source, dest, protocol as "tcp" | "udp", port).ok;
        return got === referenceGroups(rules, source, dest, protocol, port);
      }),
      { numRuns: 400 },
    );
  });

  it("network ACLs on both subnets, both directions, with the replies", () => {
    fc.assert(
      fc.property(
        fc.array(aclRuleArb, { maxLength: 6 }),
        fc.option(fc.array(aclRuleArb, { maxLength: 6 }), { nil: undefined }),
        fc.constantFrom("tcp", "udp"),
        fc.integer({ min: 1, max: 65535 }),
        fc.boolean(),
        (s1, s2, protocol, port, linux) => {
          const source: Endpoint = { label: "src", groups: [], cidrs: [SUBNETS.s1], ...(linux ? { ephemeralPorts: [32768, 60999] as const } : {}) };
          const dest: Endpoint = { label: "dst", groups: [], cidrs: [SUBNETS.s2] };
          const acls = { s1, s2 };
          const got = networkAllows(modelOf([], acls), source, dest, protocol as "tcp" | "udp", port).ok;
          return got === referenceAcls(acls, SUBNETS.s1, SUBNETS.s2, protocol, port, linux ? [32768, 60999] : [1024, 65535]);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("security group logic (property tests)", () => {
  const model = (rules: Record<string, any>) =>
    new StackModel("t", { resource: { aws_security_group: { a: { name: "a" }, b: { name: "b" } }, ...rules } } as any, "ap-northeast-2", "123456789012");

  it("a port is admitted exactly when both sides' rules hold a range containing it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), fc.constantFrom("tcp", "udp"), (a, b, port, protocol) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const m = model({
          aws_vpc_security_group_egress_rule: { e: { security_group_id: "${aws_security_group.a.id}", ip_protocol: "tcp", from_port: from, to_port: to, referenced_security_group_id: "${aws_security_group.b.id}" } },
          aws_vpc_security_group_ingress_rule: { i: { security_group_id: "${aws_security_group.b.id}", ip_protocol: "tcp", from_port: from, to_port: to, referenced_security_group_id: "${aws_security_group.a.id}" } },
        });
        const check = securityGroupsAllow(m, { label: "a", groups: ["aws_security_group.a"], cidrs: [] }, { label: "b", groups: ["aws_security_group.b"], cidrs: [] }, protocol, port);
        return check.ok === (protocol === "tcp" && from <= port && port <= to);
      }),
    );
  });

  it("a CIDR rule admits a source exactly when the rule's block contains the source's block", () => {
    const block = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })).map(([value, prefix]) => {
      const base = prefix === 0 ? 0 : Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
      const bytes = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
      return `${bytes.join(".")}/${prefix}`;
    });
    fc.assert(
      fc.property(block, block, (rule, source) => {
        const m = model({ aws_vpc_security_group_ingress_rule: { i: { security_group_id: "${aws_security_group.b.id}", ip_protocol: "-1", cidr_ipv4: rule } } });
        const check = securityGroupsAllow(m, { label: "s", groups: [], cidrs: [source] }, { label: "b", groups: ["aws_security_group.b"], cidrs: [] }, "tcp", 443);
        const [ruleBase, rulePrefix] = ipaddr.IPv4.parseCIDR(rule);
        const [sourceBase, sourcePrefix] = ipaddr.IPv4.parseCIDR(source);
        const contained = sourcePrefix >= rulePrefix && sourceBase.match(ruleBase, rulePrefix);
        return check.ok === contained;
      }),
    );
  });
});

import * as path from "node:path";
import { Document, Node, Scalar, isCollection, isMap, isNode, isScalar, isSeq, parseDocument, visit } from "yaml";
import { Ipv4Block, PRIVATE_RANGES, blockEnd, blockSize, contains, formatIpv4, formatIpv4Cidr, mustParse, overlaps, parseIpv4Cidr } from "../../modules/network/cidr/ipv4";
import { checkAcrossEnvironments } from "./across-environments";
import { ConfigError, ConfigErrors } from "./errors";
import { EnvironmentConfig, parseEnvironment } from "./load";

/**
 * A new environment file made from an existing one, so that it synthesizes next to every other
 * environment of the folder at once: what the cross-environment checks (across-environments.ts)
 * allow only once is given its own value, and the VPC range is one no other environment uses.
 * Everything else (and the source's comments) is kept; a header says what is still the source's.
 */
export interface NewEnvironmentRequest {
  /** The new environment's name (checked by the caller with isEnvironmentName). */
  readonly name: string;
  /** Where it will be written: `environments/<name>.yaml`. */
  readonly file: string;
  /** The environment it starts from, loaded, and the text of its file. */
  readonly source: EnvironmentConfig;
  readonly sourceText: string;
  /** Every environment of the folder, loaded (the source among them). */
  readonly environments: readonly EnvironmentConfig[];
}

export interface NewEnvironment {
  readonly text: string;
  /** The new file, validated. */
  readonly config: EnvironmentConfig;
  /** What was made unique, one line each (`network.cidr 172.18.0.0/16 (was 172.16.0.0/16)`). */
  readonly changes: readonly string[];
}

/** AWS advises against it for VPCs (the planner refuses it): never chosen. */
const DISCOURAGED = mustParse("172.17.0.0/16");
/** RFC 6598 shared space: only chosen when the source's VPC is in it. */
const SHARED_SPACE = mustParse("100.64.0.0/10");

export function newEnvironment(request: NewEnvironmentRequest): NewEnvironment {
  const { name, source } = request;
  const from = source.name;
  const doc = parseDocument(request.sourceText, { uniqueKeys: true });
  // A JSON source is written as block YAML (yaml would keep JSON's flow style, comments and all).
  if (isCollection(doc.contents) && doc.contents.flow) {
    visit(doc, {
      Map: (_, node) => void (node.flow = false),
      Seq: (_, node) => void (node.flow = false),
      Scalar: (_, node) => void (node.type = undefined),
    });
  }
  const changes: string[] = [];
  const todo: string[] = [];
  const was = (old: string) => ` was ${old} in ${from}`;

  // --- the VPC and everything addressed inside it
  const oldVpc = mustParse(source.cidrPlan.vpcCidr);
  const newVpc = freeVpcBlock(oldVpc, rangesToAvoid(source, request.environments));
  if (!newVpc) {
    throw new ConfigErrors([new ConfigError(request.file, "network.cidr", `no free /${oldVpc.prefixLength} in the private ranges beside the other environments' VPCs; write the file by hand with a range of your own`, "PA-CONFIG-SHARED")]);
  }
  const move = (cidr: string): string => {
    const block = mustParse(cidr);
    return formatIpv4Cidr({ base: block.base - oldVpc.base + newVpc.base, prefixLength: block.prefixLength });
  };
  setScalar(doc, ["network", "cidr"], formatIpv4Cidr(newVpc), was(source.cidrPlan.vpcCidr));
  const subnets = doc.getIn(["network", "subnets"], true);
  if (isSeq(subnets)) {
    subnets.items.forEach((_, index) => {
      const cidr = doc.getIn(["network", "subnets", index, "cidr"]);
      if (typeof cidr === "string" && parseIpv4Cidr(cidr).ok) setScalar(doc, ["network", "subnets", index, "cidr"], move(cidr));
    });
    changes.push(`network.cidr ${formatIpv4Cidr(newVpc)} (${from}: ${source.cidrPlan.vpcCidr}), its ${subnets.items.length} subnets moved with it`);
  } else {
    changes.push(`network.cidr ${formatIpv4Cidr(newVpc)} (${from}: ${source.cidrPlan.vpcCidr}), its subnets computed inside it`);
  }
  const dnsServers = doc.getIn(["access", "clientVpn", "dnsServers"], true);
  if (isSeq(dnsServers)) {
    dnsServers.items.forEach((_, index) => {
      const address = doc.getIn(["access", "clientVpn", "dnsServers", index]);
      const parsed = typeof address === "string" ? parseIpv4Cidr(`${address}/32`) : undefined;
      if (parsed?.ok && contains(oldVpc, parsed.block)) setScalar(doc, ["access", "clientVpn", "dnsServers", index], formatIpv4(parsed.block.base - oldVpc.base + newVpc.base), was(String(address)));
    });
  }

  // --- names in DNS: the web domain (and its SANs) and the tunnel's hostnames, in the same zones
  const web = source.webTier;
  if (web) {
    const domain = deriveHostname(web.domain, web.hostedZoneName, from, name);
    setScalar(doc, ["webTier", "domain"], domain, was(web.domain));
    web.subjectAlternativeNames.forEach((san, index) => setScalar(doc, ["webTier", "subjectAlternativeNames", index], deriveHostname(san, web.hostedZoneName, from, name), was(san)));
    changes.push(`webTier.domain ${domain}${web.subjectAlternativeNames.length ? ` (and ${web.subjectAlternativeNames.length} subjectAlternativeNames)` : ""} in the same hosted zone ${web.hostedZoneName}`);
    // A certificate brought for the source's names does not cover these: one is issued instead.
    for (const field of [["webTier", "certificateArn"], ["webTier", "edge", "certificateArn"]]) {
      if (doc.hasIn(field)) {
        doc.deleteIn(field);
        changes.push(`${field.join(".")} removed (it is ${from}'s certificate, for ${web.domain}): a DNS-validated one is issued for ${domain}; set your own if you bring one`);
      }
    }
  }
  const tunnel = source.cloudflareTunnel;
  if (tunnel) {
    const hostnames: string[] = [];
    tunnel.ingress.forEach((rule, index) => {
      if (!rule.hostname) return;
      const hostname = deriveProxiedHostname(rule.hostname, tunnel.zoneName, from, name);
      setScalar(doc, ["cloudflareTunnel", "ingress", index, "hostname"], hostname, was(rule.hostname));
      if (!hostnames.includes(hostname)) hostnames.push(hostname);
    });
    if (hostnames.length > 0) {
      changes.push(`cloudflareTunnel.ingress hostnames ${hostnames.join(", ")} in the same zone ${tunnel.zoneName}`);
      const deep = hostnames.filter((h) => h.split(".").length > tunnel.zoneName.split(".").length + 1);
      if (deep.length > 0) todo.push(`${deep.join(", ")}: two levels below ${tunnel.zoneName}, which Cloudflare's Universal SSL does not cover (Total TLS or an advanced certificate does; or rename to one level, e.g. ${deep[0].replace(`.${name}.`, `-${name}.`)})`);
    }
  }

  // --- the Session Manager preferences: one environment per account and region manages them
  const ssm = source.access?.sessionManager;
  if (ssm?.enabled && ssm.preferences !== "unmanaged") {
    const owner = request.environments.find((env) => {
      const other = env.access?.sessionManager;
      return other?.enabled && other.preferences !== "unmanaged" && env.aws.accountId === source.aws.accountId && env.aws.region === source.aws.region;
    });
    if (owner) {
      setScalar(doc, ["access", "sessionManager", "preferences"], "unmanaged", ` ${owner.name} manages SSM-SessionManagerRunShell here; in another account or region: managed`);
      changes.push(`access.sessionManager.preferences: unmanaged (${owner.name} manages SSM-SessionManagerRunShell of account ${source.aws.accountId} in ${source.aws.region})`);
    }
  }

  // --- the source's comments that name it
  renameInComments(doc, from, name);

  // --- the header
  const what = (present: unknown, line: string) => (present ? [line] : []);
  const stillTheSource = [
    `aws.accountId ${source.aws.accountId}${ssm?.enabled ? " (in another account, set access.sessionManager.preferences: managed there)" : ""}`,
    ...what(web, `webTier.hostedZoneName/hostedZoneId${tunnel ? ", cloudflareTunnel.zoneName/zoneId and accountId" : ""}, if this environment's names live elsewhere`),
    ...what(!web && tunnel, "cloudflareTunnel.zoneName/zoneId and accountId, if this environment's names live elsewhere"),
    ...what(web?.edge.enabled || source.access?.bastion?.enabled, `the office ranges: ${[...(web?.edge.enabled ? ["webTier.edge.officeCidrs"] : []), ...(source.access?.bastion?.enabled ? ["access.bastion.allowedCidrs"] : [])].join(" and ")}`),
    ...what(tunnel, "the people: cloudflareTunnel.access (emails, emailDomains, groups, identityProviders) and ssh.people"),
    ...what(source.access?.clientVpn?.enabled, `access.clientVpn.certificates: this environment's own (npm run pki -- init --env ${name}), and clientCidr if both VPNs serve one machine`),
    ...what(source.backend.type !== "local", `backend: ${source.backend.type}, as ${from}'s (state keys and workspaces are per environment already)`),
  ];
  const header = [
    ` environments/${name}.yaml: made by \`npm run new-env -- ${name} --from ${from}\` from ${path.basename(source.file)}.`,
    ` Made its own, so \`npm run synth\` and \`npm run verify\` take it next to every other environment:`,
    ...changes.map((line) => `   ${line}`),
    ` Still ${from}'s: change what differs before you apply:`,
    ...[...stillTheSource, ...todo].map((line) => `   ${line}`),
    ` Every option is described in README.md ("Environment file reference").`,
  ];
  const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  const sourceHeader = [doc.commentBefore, isNode(first) ? first.commentBefore : undefined].filter(Boolean).join("\n\n");
  if (isNode(first)) first.commentBefore = undefined;
  doc.commentBefore = [...header, ...(sourceHeader ? ["", ` ${path.basename(source.file)}'s header, as it was:`, sourceHeader] : [])].join("\n");

  keepKeyLineComments(doc, request.sourceText);
  const text = doc.toString({ lineWidth: 0 });
  const config = parseEnvironment(request.file, text);
  const problems = checkAcrossEnvironments([...request.environments, config]).filter((e) => e.file === request.file);
  const overlap = request.environments.find((env) => overlaps(mustParse(env.cidrPlan.vpcCidr), mustParse(config.cidrPlan.vpcCidr)));
  if (overlap) problems.push(new ConfigError(request.file, "network.cidr", `${config.cidrPlan.vpcCidr} overlaps ${overlap.file}'s VPC ${overlap.cidrPlan.vpcCidr}`, "PA-CONFIG-SHARED"));
  if (problems.length > 0) throw new ConfigErrors(problems);
  return { text, config, changes };
}

/**
 * `app.example.com` in zone `example.com` → `app.<name>.example.com`; the zone apex → `<name>.<zone>`;
 * a name made for the source (`app.<from>.example.com`) → `app.<name>.example.com`.
 */
export function deriveHostname(hostname: string, zone: string, from: string, name: string): string {
  const lower = hostname.toLowerCase();
  const zoneLower = zone.toLowerCase();
  if (lower === zoneLower) return `${name}.${hostname}`;
  if (lower.endsWith(`.${zoneLower}`)) {
    const labels = hostname.slice(0, hostname.length - zone.length - 1).split(".");
    if (labels.length > 1 && labels[labels.length - 1].toLowerCase() === from) labels[labels.length - 1] = name;
    else labels.push(name);
    return `${labels.join(".")}.${hostname.slice(hostname.length - zone.length)}`;
  }
  const [label, ...rest] = hostname.split(".");
  return [label, name, ...rest].join(".");
}

/**
 * A name Cloudflare proxies stays one level below its zone (`ssh.example.com` → `ssh-<name>.example.com`):
 * Cloudflare's Universal SSL certificate covers the apex and one level of subdomains only.
 * https://developers.cloudflare.com/ssl/edge-certificates/universal-ssl/limitations/
 */
export function deriveProxiedHostname(hostname: string, zone: string, from: string, name: string): string {
  const lower = hostname.toLowerCase();
  const zoneLower = zone.toLowerCase();
  if (!lower.endsWith(`.${zoneLower}`) || lower.startsWith("*")) return deriveHostname(hostname, zone, from, name);
  const labels = hostname.slice(0, hostname.length - zone.length - 1).split(".");
  if (labels.length !== 1) return deriveHostname(hostname, zone, from, name);
  const base = labels[0].toLowerCase().endsWith(`-${from}`) ? labels[0].slice(0, labels[0].length - from.length - 1) : labels[0];
  return `${base}-${name}.${hostname.slice(hostname.length - zone.length)}`;
}

/** What a new VPC must not overlap: every environment's VPC and client ranges, private allowed ranges, Docker's bridge. */
function rangesToAvoid(source: EnvironmentConfig, environments: readonly EnvironmentConfig[]): Ipv4Block[] {
  const cidrs = [
    ...environments.flatMap((env) => [env.cidrPlan.vpcCidr, ...(env.access?.clientVpn ? [env.access.clientVpn.clientCidr] : [])]),
    ...(source.access?.bastion?.allowedCidrs ?? []),
    ...(source.webTier?.edge.officeCidrs ?? []),
  ];
  return [DISCOURAGED, ...cidrs.flatMap((cidr) => {
    const parsed = parseIpv4Cidr(cidr);
    return parsed.ok ? [parsed.block] : [];
  })];
}

/**
 * A block of the source's size overlapping nothing in `avoid`: first after the source's own, in
 * its private range, then in the other private ranges (the shared space only if the source is there).
 */
export function freeVpcBlock(source: Ipv4Block, avoid: readonly Ipv4Block[]): Ipv4Block | undefined {
  const size = blockSize(source.prefixLength);
  const home = PRIVATE_RANGES.find((range) => contains(range, source));
  const others = PRIVATE_RANGES.filter((range) => range !== home && !(range.base === SHARED_SPACE.base && range.prefixLength === SHARED_SPACE.prefixLength));
  const ranges = [...(home ? [home] : []), ...others];
  for (const range of ranges) {
    if (range.prefixLength > source.prefixLength) continue;
    const count = blockSize(range.prefixLength) / size;
    // In the source's range: the blocks after its own, then from the range's start; elsewhere: from the start.
    const start = range === home ? (source.base - range.base) / size + 1 : 0;
    for (let step = 0; step < count; step++) {
      const base = range.base + ((start + step) % count) * size;
      const candidate = { base, prefixLength: source.prefixLength };
      if (blockEnd(candidate) > blockEnd(range)) continue;
      if (!avoid.some((block) => overlaps(block, candidate))) return candidate;
    }
  }
  return undefined;
}

/** Sets a scalar at `path` (keeping its node, so its comments and quoting stay), with an optional line comment. */
function setScalar(doc: Document, at: readonly (string | number)[], value: string, comment?: string): void {
  const node = doc.getIn(at, true);
  if (isScalar(node)) {
    node.value = value;
  } else {
    const scalar = doc.createNode(value) as Scalar;
    doc.setIn(at, scalar);
  }
  const set = doc.getIn(at, true) as Node;
  // A hostname starting with `*` would read as an alias: let yaml quote what needs quoting.
  if (isScalar(set) && set.type === Scalar.PLAIN && /^[*&!|>'"%@`]/.test(value)) set.type = Scalar.QUOTE_DOUBLE;
  if (comment && isScalar(set) && !set.comment) set.comment = comment;
}

/** `<from>-aws`, `<from>-cloudflare`, `pki/<from>` and `--env <from>` in comments name the new environment. */
function renameInComments(doc: Document, from: string, name: string): void {
  const escaped = from.replace(/[-]/g, "\\-");
  const patterns: [RegExp, string][] = [
    [new RegExp(`(?<![\\w-])${escaped}-(aws|cloudflare)(?![\\w-])`, "g"), `${name}-$1`],
    [new RegExp(`(?<![\\w-])pki/${escaped}(?![\\w-])`, "g"), `pki/${name}`],
    [new RegExp(`--env ${escaped}(?![\\w-])`, "g"), `--env ${name}`],
  ];
  const rewrite = (text: string | null | undefined) => (text ? patterns.reduce((t, [re, to]) => t.replace(re, to), text) : text);
  const fix = (node: { commentBefore?: string | null; comment?: string | null }) => {
    if (node.commentBefore) node.commentBefore = rewrite(node.commentBefore);
    if (node.comment) node.comment = rewrite(node.comment);
  };
  fix(doc);
  visit(doc, { Node: (_, node) => void fix(node) });
}

/**
 * `key: # comment` above a block collection: yaml reads the comment as the collection's first
 * comment and would write it on the next line; it goes back on the key's line.
 */
function keepKeyLineComments(doc: Document, text: string): void {
  visit(doc, {
    Pair: (_, pair) => {
      const { key, value } = pair;
      if (!isNode(key) || !key.range || !isCollection(value) || value.flow || !value.commentBefore) return;
      const lineEnd = text.indexOf("\n", key.range[1]);
      const rest = text.slice(key.range[1], lineEnd < 0 ? undefined : lineEnd);
      if (!/^\s*:\s*#/.test(rest) || key.comment) return;
      const [first, ...others] = value.commentBefore.split("\n");
      key.comment = first;
      value.commentBefore = others.length > 0 ? others.join("\n") : undefined;
    },
  });
}

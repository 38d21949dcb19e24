import { contains, overlaps, parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";
import type { ProofContext } from "../context";
import { bucketPolicy } from "../instances";
import { ingressSources, worldIngress } from "../network";
import { Hop, PathProof, hop, path } from "../proof";
import { firstAddress } from "./addresses";

/**
 * Negative proofs: what must NOT work. Each "hop" here is a door that must stay shut; the path
 * holds when every door is shut.
 */
export async function exposureProofs(ctx: ProofContext): Promise<PathProof[]> {
  return [internetExposure(ctx), ...(await operatorLimits(ctx)), ...vpnLimits(ctx), dataStoreSources(ctx), ...(await bucketLimits(ctx))].filter((p): p is PathProof => p !== undefined);
}

/** The internet reaches only what is declared public. */
function internetExposure(ctx: ProofContext): PathProof {
  const { aws } = ctx;
  const web = ctx.env.webTier;
  const hops: Hop[] = [];
  const alb = aws.all("aws_lb")[0];
  const albGroups = ((alb?.config.security_groups ?? []) as unknown[]).map((g) => aws.referenced(g)?.address);
  const internetAlb = web?.enabled && !web.edge.enabled;
  for (const rule of worldIngress(aws)) {
    const declared = internetAlb && albGroups.includes(rule.group) && rule.protocol === "tcp" && rule.from === rule.to && [80, 443].includes(rule.from);
    hops.push(hop(`no undeclared ingress from the internet (${rule.groupName} ${rule.protocol} ${rule.from}${rule.to !== rule.from ? `-${rule.to}` : ""})`, Boolean(declared), declared ? `${rule.rule}: the public ALB, declared` : `${rule.rule}: with the group's other rules for these ports, ${rule.coverage}; not a declared public entry`));
  }
  for (const kind of ctx.kinds.filter((k) => k.publicIp)) {
    const declared = ctx.env.access?.bastion?.enabled && kind === ctx.bastion;
    hops.push(hop(`no undeclared public IP (${kind.label})`, Boolean(declared), declared ? "the bastion, declared (SSH from the listed networks only)" : `${kind.label} gets a public IP`));
  }
  if (alb) {
    const publicAlb = alb.config.internal !== true;
    const declared = !web?.edge.enabled || web.edge.originAccess === "prefix-list";
    hops.push(hop(`the ALB has a public address only when declared`, !publicAlb || Boolean(declared), publicAlb ? `internet-facing (${declared ? "declared: " + (web?.edge.enabled ? "prefix-list origin access" : "no edge") : "the edge's VPC origin mode wants it internal"})` : "internal: no public address"));
  }
  const bastion = ctx.env.access?.bastion;
  if (bastion?.enabled && ctx.bastion) {
    for (const group of ctx.bastion.groups) {
      for (const source of ingressSources(aws, group)) {
        const allowed = bastion.allowedCidrs.includes(source.peer);
        hops.push(hop(`the bastion admits only the listed networks (${source.peer})`, allowed, allowed ? `${source.peer} is listed` : `${source.peer} is not in access.bastion.allowedCidrs`));
      }
    }
  }
  // The stacks themselves, not only what the settings declare: a tunnel published while the settings say it is off.
  const cf = ctx.cloudflare;
  if (cf && !ctx.env.cloudflareTunnel?.enabled) {
    const published = [...cf.all("cloudflare_zero_trust_tunnel_cloudflared"), ...cf.all("cloudflare_dns_record")];
    hops.push(hop("nothing is published through Cloudflare when the settings turn the tunnel off", published.length === 0, published.length ? `${ctx.env.name}-cloudflare still holds ${published.map((r) => r.address).join(", ")}` : "the Cloudflare stack publishes nothing"));
  }
  if (hops.length === 0) hops.push(hop("no ingress from the internet at all", true, "no world-open rule, no public IP"));
  return path("must-not:internet", "the internet reaches only the declared public entries", hops, "must-not");
}

/** Operator policies do not reach beyond this environment or the endpoint's limits. */
async function operatorLimits(ctx: ProofContext): Promise<PathProof[]> {
  const proofs: PathProof[] = [];
  const other = { Environment: `not-${ctx.env.name}`, Project: ctx.env.project };
  const ssmOperator = ctx.env.access?.sessionManager?.enabled ? ctx.operatorWith("ssm:StartSession") : undefined;
  const instance = `arn:${ctx.aws.partition}:ec2:${ctx.region}:${ctx.account}:instance/i-0otherenvironment`;
  // Missing evidence is a failure, not a proof left out.
  if (ctx.env.access?.sessionManager?.enabled && !ssmOperator) proofs.push(path("must-not:ssm-elsewhere", "Session Manager operators cannot reach other instances or others' sessions", [hop("the operator policy exists to be checked", false, "no customer-managed policy allows ssm:StartSession")], "must-not"));
  if (ssmOperator) {
    const start = (tags: Record<string, string>) => ({
      principal: ssmOperator.principal, action: "ssm:StartSession", resource: instance, resourceAccount: ctx.account,
      context: { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`ssm:resourceTag/${k}`, v])), "aws:userid": ssmOperator.userid },
      identityPolicies: ssmOperator.policies,
    });
    const own = `arn:${ctx.aws.partition}:ssm:${ctx.region}:${ctx.account}:session/AROAOTHEROPERATOR:bob-0abc`;
    proofs.push(path("must-not:ssm-elsewhere", "Session Manager operators cannot reach other instances or others' sessions", [
      await ctx.iamHop(`StartSession on an instance tagged Environment=${other.Environment} is denied`, start(other), "Denied"),
      await ctx.iamHop("StartSession on an untagged instance is denied", start({}), "Denied"),
      await ctx.iamHop("TerminateSession on another operator's session is denied", { principal: ssmOperator.principal, action: "ssm:TerminateSession", resource: own, resourceAccount: ctx.account, context: { "aws:userid": ssmOperator.userid }, identityPolicies: ssmOperator.policies }, "Denied"),
    ], "must-not"));
  }
  const eic = ctx.env.access?.instanceConnect;
  const eicOperator = eic?.enabled ? ctx.operatorWith("ec2-instance-connect:OpenTunnel") : undefined;
  const endpoint = ctx.aws.all("aws_ec2_instance_connect_endpoint")[0];
  const app = ctx.appServers;
  if (eic?.enabled && (!eicOperator || !endpoint || !app)) proofs.push(path("must-not:eic-beyond-limits", "EIC operators cannot tunnel to other ports, addresses or durations", [hop("the endpoint, its operator policy and the app servers exist to be checked", false, !endpoint ? "no aws_ec2_instance_connect_endpoint" : !eicOperator ? "no policy allows ec2-instance-connect:OpenTunnel" : "no app servers")], "must-not"));
  if (eic && eicOperator && endpoint && app) {
    const target = firstAddress(app.subnets[0]?.config.cidr_block) ?? "0.0.0.0";
    const tunnel = (port: string, ip: string, seconds: string) => ({
      principal: eicOperator.principal, action: "ec2-instance-connect:OpenTunnel", resource: ctx.aws.attribute(endpoint.address, "arn"), resourceAccount: ctx.account,
      context: { "ec2-instance-connect:remotePort": port, "ec2-instance-connect:privateIpAddress": ip, "ec2-instance-connect:maxTunnelDuration": seconds },
      identityPolicies: eicOperator.policies,
    });
    const database = ctx.aws.all("aws_db_instance")[0];
    const otherPort = eic.databaseTunnel ? "5432" : String(database?.config.port ?? 5432) === "22" ? "5432" : String(database?.config.port ?? 5432);
    const hops: Hop[] = [
      await ctx.iamHop(`a tunnel to port ${otherPort} is denied`, tunnel(otherPort, target, "3600"), "Denied"),
      await ctx.iamHop("a tunnel longer than an hour is denied", tunnel("22", target, "7200"), "Denied"),
      await ctx.iamHop("a tunnel to an address outside the app subnets is denied", tunnel("22", "10.255.255.4", "3600"), "Denied"),
      await ctx.iamHop(`pushing a key to an instance tagged Environment=${other.Environment} is denied`, {
        principal: eicOperator.principal, action: "ec2-instance-connect:SendSSHPublicKey", resource: instance, resourceAccount: ctx.account,
        context: { "ec2:osuser": eic.osUsers[0], "aws:ResourceTag/Environment": other.Environment }, identityPolicies: eicOperator.policies,
      }, "Denied"),
      await ctx.iamHop("pushing a key for root is denied", {
        principal: eicOperator.principal, action: "ec2-instance-connect:SendSSHPublicKey", resource: ctx.instanceArn(app), resourceAccount: ctx.account,
        context: { "ec2:osuser": "root", ...Object.fromEntries(Object.entries(app.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])) }, identityPolicies: eicOperator.policies,
      }, "Denied"),
    ];
    proofs.push(path("must-not:eic-beyond-limits", "EIC operators cannot tunnel to other ports, addresses or durations", hops, "must-not"));
  }
  return proofs;
}

/** VPN clients reach only what their authorization rules name: never the app or public subnets unless asked. */
function vpnLimits(ctx: ProofContext): PathProof[] {
  const vpn = ctx.env.access?.clientVpn;
  if (!vpn?.enabled) return [];
  const { aws } = ctx;
  const rules = aws.all("aws_ec2_client_vpn_authorization_rule");
  const hops: Hop[] = [];
  for (const rule of rules) {
    const network = parseIpv4Cidr(rule.config.target_network_cidr);
    hops.push(hop(`authorization ${rule.config.target_network_cidr} is not the whole internet`, network.ok && network.block.prefixLength > 0, `authorization rule ${rule.config.target_network_cidr}`));
  }
  const forbidden = aws.all("aws_subnet").filter((s) => s.config.tags?.Tier === "public" || (s.config.tags?.Tier === "app" && !vpn.authorizeAppSubnets));
  for (const subnet of forbidden) {
    const block = parseIpv4Cidr(subnet.config.cidr_block);
    const covering = rules.find((r) => {
      const network = parseIpv4Cidr(r.config.target_network_cidr);
      return block.ok && network.ok && overlaps(network.block, block.block);
    });
    hops.push(hop(`VPN clients are not authorized for the ${subnet.config.tags?.Tier} subnet ${subnet.config.cidr_block}`, !covering, covering ? `authorization rule ${covering.config.target_network_cidr} reaches it` : "no authorization rule reaches it"));
  }
  void contains;
  return [path("must-not:vpn-beyond-authorization", "VPN clients reach only their authorized networks", hops, "must-not")];
}

/** Nothing reaches the database or the cache except the declared sources. */
function dataStoreSources(ctx: ProofContext): PathProof | undefined {
  const { aws } = ctx;
  const stores = [
    ...aws.all("aws_db_instance").map((r) => ({ label: "the database", groups: r.config.vpc_security_group_ids })),
    ...aws.all("aws_elasticache_replication_group").map((r) => ({ label: "the cache", groups: r.config.security_group_ids })),
  ];
  if (stores.length === 0) return undefined;
  const declared = new Map<string, string>();
  const app = ctx.appServers;
  if (app) for (const g of app.groups) declared.set(g, "the app servers");
  const vpn = aws.all("aws_ec2_client_vpn_endpoint")[0];
  if (vpn && ctx.env.access?.clientVpn?.enabled) for (const g of (vpn.config.security_group_ids ?? []) as unknown[]) declared.set(aws.referenced(g)?.address ?? String(g), "Client VPN");
  const eic = aws.all("aws_ec2_instance_connect_endpoint")[0];
  const eicToDatabase = ctx.env.access?.instanceConnect?.databaseTunnel;
  const hops: Hop[] = [];
  const declaredWearers = new Set<string>([...(app ? [app.launcher.address] : []), ...(vpn ? [vpn.address] : []), ...(eic && eicToDatabase ? [eic.address] : [])]);
  for (const store of stores) {
    for (const group of ((store.groups ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g))) {
      for (const source of ingressSources(aws, group)) {
        const name = aws.get(source.peer)?.config.name ?? source.peer;
        const eicAllowed = eicToDatabase && store.label === "the database" && ((eic?.config.security_group_ids ?? []) as unknown[]).some((g) => aws.referenced(g)?.address === source.peer);
        const who = declared.get(source.peer) ?? (eicAllowed ? "EIC database tunnel" : undefined);
        // A declared group admits whatever wears it: every resource wearing it must be a declared source too.
        const strangers = who ? wearersOf(ctx, source.peer).filter((w) => !declaredWearers.has(w)) : [];
        const ok = Boolean(who) && strangers.length === 0;
        hops.push(hop(`${store.label} admits only declared sources (${name})`, ok, !who ? `${name} is not a declared source of ${store.label}` : strangers.length ? `${name} (${who}) is also worn by ${strangers.join(", ")}, which reaches ${store.label} through it` : `${name}: ${who}, declared, worn only by it`));
      }
    }
  }
  return path("must-not:data-undeclared", "nothing reaches the database or the cache except the declared sources", hops, "must-not");
}

/** Everything that wears a security group: instances (directly or through a launch template), endpoints, load balancers, databases, caches. */
function wearersOf(ctx: ProofContext, group: string): string[] {
  const { aws } = ctx;
  const wears = (values: unknown) => ((values ?? []) as unknown[]).some((g) => aws.referenced(g)?.address === group);
  const kinds = ctx.kinds.filter((k) => k.groups.includes(group)).map((k) => k.launcher.address);
  const others = [
    ...aws.all("aws_ec2_client_vpn_endpoint").filter((r) => wears(r.config.security_group_ids)),
    ...aws.all("aws_ec2_instance_connect_endpoint").filter((r) => wears(r.config.security_group_ids)),
    ...aws.all("aws_vpc_endpoint").filter((r) => wears(r.config.security_group_ids)),
    ...aws.all("aws_lb").filter((r) => wears(r.config.security_groups)),
    ...aws.all("aws_db_instance").filter((r) => wears(r.config.vpc_security_group_ids)),
    ...aws.all("aws_elasticache_replication_group").filter((r) => wears(r.config.security_group_ids)),
    ...aws.all("aws_network_interface").filter((r) => wears(r.config.security_groups)),
  ].map((r) => r.address);
  return [...new Set([...kinds, ...others])];
}

/** The app bucket: the app servers never write, and nobody reads from outside the endpoint. */
async function bucketLimits(ctx: ProofContext): Promise<PathProof[]> {
  const bucket = ctx.outputResource("app_bucket");
  const app = ctx.appServers;
  if (!bucket || !app) return [];
  const { aws } = ctx;
  const objectArn = `${aws.attribute(bucket.address, "arn")}/config/app.json`;
  const principal = ctx.roleArn(app);
  const policy = bucketPolicy(aws, bucket);
  const hops: Hop[] = [
    await ctx.iamHop("the app servers cannot write their bucket", { principal, action: "s3:PutObject", resource: objectArn, resourceAccount: ctx.account, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalArn": principal }, identityPolicies: ctx.rolePolicies(app), resourcePolicy: policy }, "Denied"),
  ];
  if (ctx.env.webTier?.appBucketRequiresVpcEndpoint) {
    const admin = `arn:${aws.partition}:iam::${ctx.account}:role/administrator`;
    const everything = { name: "an administrator's policy (s3:GetObject on everything)", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: ["*"] }] } };
    hops.push(await ctx.iamHop("an account administrator cannot read it from outside the VPC endpoint", { principal: admin, action: "s3:GetObject", resource: objectArn, resourceAccount: ctx.account, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalArn": admin }, identityPolicies: [everything], resourcePolicy: policy }, "Denied"));
  }
  return [path("must-not:app-bucket", "the app bucket is read only through the endpoint and written only by the deploy role", hops, "must-not")];
}

import type { CidrPlan } from "../../modules/network/cidr/plan";
import type { EnvironmentProof, Verdict } from "../verify/proof";
import { SynthesizedStack, referencedResource, resources } from "../synthesized/terraform-json";

/**
 * What the review drawing shows, read from the synthesized stacks (not the environment file): the
 * VPC's subnets per AZ and tier, each resource placed in the subnets Terraform puts it in, the
 * actors outside, and one edge chain per declared path with its proof verdict.
 */
export interface PlacedResource {
  readonly id: string;
  readonly label: string;
  readonly kind: "alb" | "nat" | "app" | "eic" | "vpn" | "rds" | "redis" | "endpoint" | "bastion";
  readonly subnetKey: string;
}

export interface Actor {
  readonly id: string;
  readonly label: string;
}

export type PathFamily = "web" | "admin" | "vpn" | "tunnel" | "data" | "egress";

export interface PathEdge {
  readonly pathId: string;
  readonly family: PathFamily;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly verdict: Verdict | "not verified";
}

export interface ArchitectureModel {
  readonly environment: string;
  readonly region: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly { key: string; az: string; tier: string; cidr: string }[];
  readonly resources: readonly PlacedResource[];
  /** Inside the VPC but in no subnet (the S3 gateway endpoint, the VPC resolver). */
  readonly vpcNodes: readonly Actor[];
  readonly actors: readonly Actor[];
  readonly edges: readonly PathEdge[];
}

type Json = Record<string, any>;

export function buildArchitecture(environment: string, plan: CidrPlan, stacks: readonly SynthesizedStack[], proof?: EnvironmentProof): ArchitectureModel {
  const aws = stacks.find((s) => s.name.endsWith("-aws"));
  const cloudflare = stacks.find((s) => s.name.endsWith("-cloudflare"));
  const all = (type: string): [string, Json][] => (aws ? resources(aws.json, type) : []);
  const region = (aws?.json as any)?.provider?.aws?.find((p: Json) => !p.alias)?.region ?? "";
  // Subnet resources map to the plan by their CIDR.
  const subnetKeyOf = new Map<string, string>();
  for (const [name, subnet] of all("aws_subnet")) {
    const planned = plan.subnets.find((s) => s.cidr === subnet.cidr_block);
    if (planned) subnetKeyOf.set(`aws_subnet.${name}`, planned.key);
  }
  const keyOf = (ref: unknown) => subnetKeyOf.get(referencedResource(ref) ?? "");
  const placed: PlacedResource[] = [];
  const place = (id: string, label: string, kind: PlacedResource["kind"], subnetRefs: unknown[]) => {
    for (const ref of subnetRefs) {
      const key = keyOf(ref);
      if (key) placed.push({ id: subnetRefs.length > 1 ? `${id}-${key}` : id, label, kind, subnetKey: key });
    }
  };
  // Whether an identity policy of the stack allows an action (operators' paths exist only then).
  const allows = (action: string) =>
    Object.values(aws?.json.data?.aws_iam_policy_document ?? {}).some((doc: any) => (doc.statement ?? []).some((s: any) => (s.actions ?? []).includes(action) && !s.principals));

  for (const [, alb] of all("aws_lb")) place("alb", alb.internal ? "ALB (internal)" : "ALB (internet-facing)", "alb", alb.subnets ?? []);
  for (const [, nat] of all("aws_nat_gateway")) {
    const key = keyOf(nat.subnet_id);
    if (key) placed.push({ id: `nat-${key.split("-").pop()}`, label: "NAT gateway", kind: "nat", subnetKey: key });
  }
  for (const [, group] of all("aws_autoscaling_group")) if ((group.target_group_arns ?? []).length > 0) place("app", "app servers (ASG)", "app", group.vpc_zone_identifier ?? []);
  for (const [, endpoint] of all("aws_ec2_instance_connect_endpoint")) place("eic", "EIC endpoint", "eic", [endpoint.subnet_id]);
  for (const [, association] of all("aws_ec2_client_vpn_network_association")) {
    const key = keyOf(association.subnet_id);
    if (key) placed.push({ id: `vpn-${key}`, label: "Client VPN ENI", kind: "vpn", subnetKey: key });
  }
  for (const [, db] of all("aws_db_instance")) {
    const group = all("aws_db_subnet_group").find(([name]) => db.db_subnet_group_name === `\${aws_db_subnet_group.${name}.name}` || db.db_subnet_group_name === `\${aws_db_subnet_group.${name}.id}`)?.[1];
    const subnets = (group?.subnet_ids ?? []) as unknown[];
    // AWS picks the AZs at creation: primary and standby are shown in the first two of the group.
    if (subnets[0]) place("rds-primary", `RDS ${db.engine ?? ""} primary`.replace("  ", " "), "rds", [subnets[0]]);
    if (db.multi_az && subnets[1]) place("rds-standby", "RDS standby", "rds", [subnets[1]]);
  }
  for (const [, cache] of all("aws_elasticache_replication_group")) {
    const group = all("aws_elasticache_subnet_group").find(([name]) => cache.subnet_group_name === `\${aws_elasticache_subnet_group.${name}.name}`)?.[1];
    const subnets = (group?.subnet_ids ?? []) as unknown[];
    const count = Number(cache.num_cache_clusters ?? 1);
    for (let i = 0; i < count && subnets.length > 0; i++) place(`redis-${i}`, i === 0 ? "Redis primary" : "Redis replica", "redis", [subnets[i % subnets.length]]);
  }
  const interfaces = all("aws_vpc_endpoint").filter(([, e]) => e.vpc_endpoint_type === "Interface");
  if (interfaces.length > 0) {
    const services = interfaces.map(([, e]) => String(e.service_name).split(".").pop()).join(", ");
    place("endpoints", `interface endpoints: ${services}`, "endpoint", interfaces[0][1].subnet_ids ?? []);
  }
  const templates = new Map(all("aws_launch_template").map(([name, t]) => [`aws_launch_template.${name}`, t]));
  for (const [, instance] of all("aws_instance")) {
    const template = templates.get(referencedResource(instance.launch_template?.id) ?? "");
    const subnet = instance.subnet_id ?? (template?.network_interfaces ?? []).find((n: Json) => n.subnet_id)?.subnet_id;
    place("bastion", "bastion (public IP)", "bastion", subnet ? [subnet] : []);
  }

  const vpcNodes: Actor[] = [];
  if (all("aws_vpc_endpoint").some(([, e]) => (e.vpc_endpoint_type ?? "Gateway") === "Gateway")) vpcNodes.push({ id: "s3-endpoint", label: "S3 gateway endpoint" });
  if (all("aws_ec2_client_vpn_endpoint").length > 0) vpcNodes.push({ id: "resolver", label: "VPC resolver (.2)" });

  const first = (kind: PlacedResource["kind"]) => placed.find((r) => r.kind === kind)?.id;
  const actors: Actor[] = [];
  const actor = (id: string, label: string) => {
    if (!actors.some((a) => a.id === id)) actors.push({ id, label });
    return id;
  };
  const verdictOf = (pathId: string) => proof?.paths.find((p) => p.id === pathId)?.verdict ?? "not verified";
  const edges: PathEdge[] = [];
  const chain = (pathId: string, family: PathFamily, hops: (string | undefined)[], labels: string[]) => {
    if (hops.some((h) => h === undefined)) return;
    for (let i = 0; i < hops.length - 1; i++) edges.push({ pathId, family, from: hops[i]!, to: hops[i + 1]!, label: labels[i] ?? "", verdict: verdictOf(pathId) });
  };

  const distribution = all("aws_cloudfront_distribution")[0]?.[1];
  const alb = first("alb");
  const app = first("app");
  const appPort = String(all("aws_lb_target_group")[0]?.[1].port ?? "");
  if (distribution) {
    const waf = all("aws_wafv2_ip_set")[0]?.[1];
    const office = actor("office", `office users ${(waf?.addresses ?? []).join(", ")}`.trim());
    const cf = actor("cloudfront", "CloudFront + WAF");
    chain("web", "web", [office, cf, alb, app], ["HTTPS 443", "HTTPS 443 (VPC origin)", `HTTP ${appPort}`]);
    chain("web-static", "web", [cf, actor("s3", "S3 (buckets)")], ["S3 GetObject (OAC)"]);
  } else if (alb) {
    chain("web", "web", [actor("users", "internet users"), alb, app], ["HTTPS 443", `HTTP ${appPort}`]);
  }
  const operators = () => actor("operators", "operators (IAM)");
  if (allows("ssm:StartSession")) {
    chain("ssm-shell:app", "admin", [operators(), app], ["SSM shell"]);
    if (first("bastion")) chain("ssm-shell:bastion", "admin", [operators(), first("bastion")], ["SSM shell"]);
  }
  const eic = first("eic");
  if (eic) chain("eic-ssh", "admin", [operators(), eic, app], ["OpenTunnel (IAM)", "SSH 22"]);
  const rds = first("rds");
  const redis = first("redis");
  const eicPorts = Object.values(aws?.json.data?.aws_iam_policy_document ?? {}).flatMap((doc: any) => (doc.statement ?? []).flatMap((s: any) => (s.condition ?? []).filter((c: any) => c.variable === "ec2-instance-connect:remotePort").flatMap((c: any) => c.values)));
  const dbPort = all("aws_db_instance")[0]?.[1].port;
  if (eic && dbPort !== undefined && eicPorts.includes(String(dbPort))) chain("eic-database", "admin", [eic, rds], [`tunnel ${dbPort}`]);
  if (allows("ssm:StartSession") && app) {
    chain("forward-database", "admin", [operators(), rds], [`SSM port forward ${dbPort}`]);
    chain("forward-cache", "admin", [operators(), redis], [`SSM port forward ${all("aws_elasticache_replication_group")[0]?.[1].port}`]);
  }
  const vpnEni = first("vpn");
  if (vpnEni) {
    const clients = actor("vpn-clients", `VPN clients ${all("aws_ec2_client_vpn_endpoint")[0]?.[1].client_cidr_block ?? ""}`.trim());
    chain("vpn-database", "vpn", [clients, vpnEni, rds], ["mutual TLS", `TCP ${all("aws_db_instance")[0]?.[1].port}`]);
    chain("vpn-cache", "vpn", [vpnEni, redis], [`TCP ${all("aws_elasticache_replication_group")[0]?.[1].port}`]);
    chain("vpn-dns", "vpn", [vpnEni, "resolver"], ["DNS 53"]);
  }
  const bastion = first("bastion");
  if (bastion) {
    const rule = all("aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 22 && r.cidr_ipv4).map(([, r]) => r.cidr_ipv4);
    chain("bastion-ssh", "admin", [actor("bastion-users", `SSH from ${rule.join(", ") || "listed networks"}`), bastion, app], ["SSH 22", "SSH 22"]);
  }
  if (cloudflare && resources(cloudflare.json, "cloudflare_zero_trust_tunnel_cloudflared").length > 0) {
    const cf = actor("cloudflare", "Cloudflare Access + Tunnel");
    const hosts = resources(cloudflare.json, "cloudflare_dns_record").map(([, r]) => r.name);
    chain(`tunnel-ssh:${hosts[0]}`, "tunnel", [actor("engineers", "customer engineers"), cf], [`${hosts.join(", ")} (Access, MFA)`]);
    // Remote mode runs cloudflared on the app servers; local mode wherever its operator runs it.
    const remote = resources(cloudflare.json, "cloudflare_zero_trust_tunnel_cloudflared_config").length > 0;
    const runner = remote ? app : actor("local-cloudflared", "cloudflared (local mode, your host)");
    chain(`tunnel-ssh:${hosts[0]}`, "tunnel", [cf, runner], [remote ? "SSH 22 over the tunnel" : "over the tunnel"]);
    chain("tunnel-connects", "tunnel", [runner, cf], ["out TCP/UDP 7844"]);
  }
  chain("app-database", "data", [app, rds], [`TCP ${all("aws_db_instance")[0]?.[1].port}`]);
  chain("app-cache", "data", [app, redis], [`TCP ${all("aws_elasticache_replication_group")[0]?.[1].port}`]);
  if (vpcNodes.some((n) => n.id === "s3-endpoint")) chain("app-s3", "data", [app, "s3-endpoint", actor("s3", "S3 (buckets)")], ["HTTPS", "gateway route"]);
  const nat = first("nat");
  if (nat) chain("app-internet", "egress", [app, nat, actor("internet", "internet (egress)")], ["HTTPS 443", "via IGW"]);

  return {
    environment,
    region,
    vpcCidr: plan.vpcCidr,
    availabilityZones: [...plan.availabilityZones].sort(),
    subnets: plan.subnets.map((s) => ({ key: s.key, az: s.az, tier: s.tier, cidr: s.cidr })),
    resources: placed,
    vpcNodes,
    actors,
    edges: edges.filter((e, i) => edges.findIndex((o) => o.pathId === e.pathId && o.from === e.from && o.to === e.to) === i),
  };
}

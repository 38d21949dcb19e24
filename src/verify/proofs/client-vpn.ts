import { contains, parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";
import type { ProofContext } from "../context";
import { Endpoint, networkAllows } from "../network";
import { Hop, PathProof, hop, path } from "../proof";
import type { ResourceRef } from "../stack-model";

/** Authorization rules whose network holds every address of `cidr` (Client VPN authorizes by destination). */
export function authorizationFor(ctx: ProofContext, endpoint: ResourceRef, cidr: string): ResourceRef | undefined {
  const target = parseIpv4Cidr(cidr);
  if (!target.ok) return undefined;
  return ctx.aws.all("aws_ec2_client_vpn_authorization_rule").find((rule) => {
    if (!ctx.aws.pointsAt(rule.config.client_vpn_endpoint_id, endpoint)) return false;
    const network = parseIpv4Cidr(rule.config.target_network_cidr);
    return network.ok && contains(network.block, target.block) && (rule.config.authorize_all_groups === true || (rule.config.access_group_id ?? "") !== "");
  });
}

/** Client VPN: VPN clients (mutual TLS, split tunnel) → data subnets → database and cache, and DNS. */
export async function clientVpnPaths(ctx: ProofContext): Promise<PathProof[]> {
  const vpn = ctx.env.access?.clientVpn;
  if (!vpn?.enabled) return [];
  const { aws } = ctx;
  const endpoint = aws.all("aws_ec2_client_vpn_endpoint")[0];
  if (!endpoint) return [path("vpn", "VPN clients → data tier", [hop("the Client VPN endpoint exists", false, "no aws_ec2_client_vpn_endpoint")])];
  const c = endpoint.config;
  const common: Hop[] = [
    hop("clients authenticate with certificates (mutual TLS)", (c.authentication_options ?? []).some((o: any) => o.type === "certificate-authentication"), `authentication: ${(c.authentication_options ?? []).map((o: any) => o.type).join(", ")}`),
    hop("split tunnel: only VPC-bound traffic enters the tunnel", c.split_tunnel === true, `split_tunnel = ${c.split_tunnel}`),
  ];
  const associations = aws.all("aws_ec2_client_vpn_network_association").filter((a) => aws.pointsAt(a.config.client_vpn_endpoint_id, endpoint));
  const associated = associations.map((a) => aws.referenced(a.config.subnet_id)).filter((s): s is ResourceRef => s !== undefined);
  common.push(hop("associated with subnets (which adds the VPC route)", associated.length > 0, associated.length ? `associated with ${associated.map((s) => s.config.cidr_block).join(", ")}` : "no network association: clients have no route into the VPC"));
  const groups = ((c.security_group_ids ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
  const vpnSide: Endpoint = { label: "VPN clients (through the endpoint's interfaces)", groups, cidrs: associated.map((s) => s.config.cidr_block) };
  const proofs: PathProof[] = [];

  const services: { id: string; label: string; resource?: ResourceRef; port: number; groups: string[] }[] = [];
  const database = aws.all("aws_db_instance")[0];
  if (database) services.push({ id: "database", label: "the database", resource: database, port: Number(database.config.port), groups: idsOf(ctx, database.config.vpc_security_group_ids) });
  const cache = aws.all("aws_elasticache_replication_group")[0];
  if (cache) services.push({ id: "cache", label: "the cache", resource: cache, port: Number(cache.config.port), groups: idsOf(ctx, cache.config.security_group_ids) });
  const dataSubnets = aws.all("aws_subnet").filter((s) => s.config.tags?.Tier === "data");
  for (const service of services) {
    const hops = [...common];
    for (const subnet of dataSubnets) {
      const rule = authorizationFor(ctx, endpoint, subnet.config.cidr_block);
      hops.push(hop(`clients are authorized for ${subnet.config.cidr_block}`, Boolean(rule), rule ? `authorization rule ${rule.config.target_network_cidr}` : `no authorization rule covers ${subnet.config.cidr_block} (authorization is deny-by-default)`));
    }
    const check = networkAllows(aws, vpnSide, { label: service.label, groups: service.groups, cidrs: dataSubnets.map((s) => s.config.cidr_block) }, "tcp", service.port);
    hops.push(hop(`VPN → ${service.label} on ${service.port}`, check.ok, check.detail));
    proofs.push(path(`vpn-${service.id}`, `VPN clients → ${service.label}:${service.port}`, hops));
  }

  // Security groups do not filter traffic to the Amazon DNS server; the authorization rule decides.
  // https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-rules.html
  const dnsHops = [...common];
  const servers = (c.dns_servers ?? []) as string[];
  dnsHops.push(hop("clients are told a DNS server", servers.length > 0, servers.length ? `dns_servers = ${servers.join(", ")}` : "no dns_servers: clients keep their own resolver and cannot resolve private names"));
  for (const server of servers) {
    const rule = authorizationFor(ctx, endpoint, `${server}/32`);
    dnsHops.push(hop(`clients are authorized for the DNS server ${server}`, Boolean(rule), rule ? `authorization rule ${rule.config.target_network_cidr}` : `no authorization rule covers ${server}: authorization is deny-by-default, DNS included, so names never resolve`));
  }
  proofs.push(path("vpn-dns", "VPN clients → DNS (VPC resolver)", dnsHops));
  return proofs;
}

function idsOf(ctx: ProofContext, value: unknown): string[] {
  return ((value ?? []) as unknown[]).map((g) => ctx.aws.referenced(g)?.address ?? String(g));
}

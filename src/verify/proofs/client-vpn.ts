import { contains, overlaps, parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";
import { storeSubnetCidrs } from "../data-stores";
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
  // The client range: /12 to /22, outside the VPC (AWS refuses others at create time; it cannot change later).
  // https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-endpoint.html
  const clientRange = parseIpv4Cidr(c.client_cidr_block);
  const vpc = aws.all("aws_vpc")[0];
  const vpcRange = vpc ? parseIpv4Cidr(vpc.config.cidr_block) : undefined;
  const rangeOk = clientRange.ok && clientRange.block.prefixLength >= 12 && clientRange.block.prefixLength <= 22 && !(vpcRange?.ok && overlaps(vpcRange.block, clientRange.block));
  common.push(hop("the client range is one AWS accepts (/12 to /22, outside the VPC)", rangeOk, `client_cidr_block ${c.client_cidr_block}${vpc ? `, VPC ${vpc.config.cidr_block}` : ""}`));
  const proofs: PathProof[] = [];

  const services: { id: string; label: string; resource?: ResourceRef; port: number; groups: string[] }[] = [];
  const database = aws.all("aws_db_instance")[0];
  if (database) services.push({ id: "database", label: "the database", resource: database, port: Number(database.config.port), groups: idsOf(ctx, database.config.vpc_security_group_ids) });
  const cache = aws.all("aws_elasticache_replication_group")[0];
  if (cache) services.push({ id: "cache", label: "the cache", resource: cache, port: Number(cache.config.port), groups: idsOf(ctx, cache.config.security_group_ids) });
  for (const service of services) {
    const hops = [...common];
    // Where the service really lives: its subnet group's subnets (every AZ it may fail over to).
    const storeCidrs = storeSubnetCidrs(ctx, service.resource!);
    for (const cidr of storeCidrs) {
      const rule = authorizationFor(ctx, endpoint, cidr);
      hops.push(hop(`clients are authorized for ${cidr}`, Boolean(rule), rule ? `authorization rule ${rule.config.target_network_cidr}` : `no authorization rule covers ${cidr} (authorization is deny-by-default)`));
    }
    const check = networkAllows(aws, vpnSide, { label: service.label, groups: service.groups, cidrs: storeCidrs }, "tcp", service.port);
    hops.push(hop(`VPN → ${service.label} on ${service.port}`, check.ok, check.detail));
    proofs.push(path(`vpn-${service.id}`, `VPN clients → ${service.label}:${service.port}`, hops));
  }

  // Security groups do not filter traffic to the Amazon DNS server; the authorization rule decides.
  // https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-rules.html
  const dnsHops = [...common];
  const servers = (c.dns_servers ?? []) as string[];
  dnsHops.push(hop("clients are told a DNS server", servers.length > 0, servers.length ? `dns_servers = ${servers.join(", ")}` : "no dns_servers: clients keep their own resolver and cannot resolve private names"));
  for (const server of servers) {
    // The VPC resolver answers at the VPC's base address + 2 (and 169.254.169.253); a server elsewhere is not the VPC's.
    const inside = vpcRange?.ok ? parseIpv4Cidr(`${server}/32`) : undefined;
    const reachable = server === "169.254.169.253" || Boolean(inside?.ok && vpcRange?.ok && contains(vpcRange.block, inside.block));
    dnsHops.push(hop(`${server} is a resolver clients reach through the VPC`, reachable, reachable ? `${server} is inside the VPC ${vpc?.config.cidr_block}` : `${server} is outside the VPC ${vpc?.config.cidr_block ?? ""}: split-tunnel clients do not send it through the VPN, and private names never resolve`));
    const rule = authorizationFor(ctx, endpoint, `${server}/32`);
    dnsHops.push(hop(`clients are authorized for the DNS server ${server}`, Boolean(rule), rule ? `authorization rule ${rule.config.target_network_cidr}` : `no authorization rule covers ${server}: authorization is deny-by-default, DNS included, so names never resolve`));
  }
  proofs.push(path("vpn-dns", "VPN clients → DNS (VPC resolver)", dnsHops));
  return proofs;
}

function idsOf(ctx: ProofContext, value: unknown): string[] {
  return ((value ?? []) as unknown[]).map((g) => ctx.aws.referenced(g)?.address ?? String(g));
}

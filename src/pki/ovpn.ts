import type { EnvironmentConfig } from "../config/load";
import { vpcResolver } from "../../modules/client-vpn";

/** What a client profile must match on the environment's endpoint. */
export interface ClientVpnSettings {
  readonly transport: "udp" | "tcp";
  readonly port: 443 | 1194;
  /** The DNS servers the endpoint pushes: access.clientVpn.dnsServers, or the VPC resolver. */
  readonly dnsServers: readonly string[];
}

/** The endpoint's transport, port and DNS servers, from the environment file; refuses one without Client VPN. */
export function clientVpnSettings(env: EnvironmentConfig): ClientVpnSettings {
  const vpn = env.access?.clientVpn;
  if (!vpn?.enabled) throw new Error(`${env.file}: access.clientVpn is not enabled, so environment "${env.name}" has no Client VPN endpoint to write a profile for`);
  return { transport: vpn.transport, port: vpn.port, dnsServers: vpn.dnsServers ?? [vpcResolver(env.cidrPlan.vpcCidr)] };
}

export interface OvpnProfile {
  /** The endpoint's DNS name as Terraform outputs it (`*.cvpn-endpoint-….amazonaws.com`). */
  readonly endpointDnsName: string;
  readonly transport: "udp" | "tcp";
  readonly port: number;
  /** Named in a comment: the endpoint pushes them (the profile sets no DNS itself). */
  readonly dnsServers?: readonly string[];
  readonly caPem: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * An OpenVPN client profile with everything inline, in the shape AWS's downloaded configuration
 * has (random host prefix so DNS does not pin one front end), for OpenVPN or Tunnelblick. The
 * tunnel is split: the endpoint pushes routes for the authorized networks and its DNS servers, and
 * the profile never sends all traffic through the tunnel.
 */
export function renderOvpn(profile: OvpnProfile): string {
  const host = profile.endpointDnsName.replace(/^\*\./, "");
  if (!/^[a-z0-9.-]+$/.test(host)) throw new Error(`endpoint DNS name "${profile.endpointDnsName}" is not a host name`);
  for (const server of profile.dnsServers ?? []) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(server)) throw new Error(`DNS server "${server}" is not an IPv4 address`);
  }
  const block = (tag: string, pem: string) => [`<${tag}>`, pem.trim(), `</${tag}>`].join("\n");
  return [
    "client",
    "dev tun",
    `proto ${profile.transport}`,
    `remote ${host} ${profile.port}`,
    "remote-random-hostname",
    "resolv-retry infinite",
    "nobind",
    "remote-cert-tls server",
    "cipher AES-256-GCM",
    "verb 3",
    "reneg-sec 0",
    "# Split tunnel: the endpoint pushes routes for the VPC only; other traffic stays on the local network.",
    ...(profile.dnsServers?.length ? [`# DNS: the endpoint pushes ${profile.dnsServers.join(", ")} (set nothing here).`] : []),
    block("ca", profile.caPem),
    block("cert", profile.certificatePem),
    block("key", profile.privateKeyPem),
    "",
  ].join("\n");
}

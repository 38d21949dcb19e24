export interface OvpnProfile {
  /** The endpoint's DNS name as Terraform outputs it (`*.cvpn-endpoint-….amazonaws.com`). */
  readonly endpointDnsName: string;
  readonly transport: "udp" | "tcp";
  readonly port: number;
  readonly caPem: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * An OpenVPN client profile with everything inline, in the shape AWS's downloaded configuration
 * has (random host prefix so DNS does not pin one front end), for OpenVPN or Tunnelblick.
 */
export function renderOvpn(profile: OvpnProfile): string {
  const host = profile.endpointDnsName.replace(/^\*\./, "");
  if (!/^[a-z0-9.-]+$/.test(host)) throw new Error(`endpoint DNS name "${profile.endpointDnsName}" is not a host name`);
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
    block("ca", profile.caPem),
    block("cert", profile.certificatePem),
    block("key", profile.privateKeyPem),
    "",
  ].join("\n");
}

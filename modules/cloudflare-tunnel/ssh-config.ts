/**
 * The ~/.ssh/config block a customer engineer adds (what `cloudflared access ssh-config --hostname
 * <h> [--short-lived-cert]` prints): cloudflared carries SSH through Access; with short-lived
 * certificates, `ssh-gen` fetches a certificate for the login before each connection.
 * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/use-cases/ssh/ssh-cloudflared-authentication/
 */
export function sshConfigSnippet(hostname: string, user: string, shortLivedCertificates: boolean): string {
  if (!shortLivedCertificates) return [`Host ${hostname}`, "  ProxyCommand cloudflared access ssh --hostname %h", `  User ${user}`].join("\n");
  return [
    `Match host ${hostname} exec "cloudflared access ssh-gen --hostname %h"`,
    "  ProxyCommand cloudflared access ssh --hostname %h",
    "  IdentityFile ~/.cloudflared/%h-cf_key",
    "  CertificateFile ~/.cloudflared/%h-cf_key-cert.pub",
    `  User ${user}`,
  ].join("\n");
}

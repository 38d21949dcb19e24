/**
 * The ~/.ssh/config block a customer engineer adds (what `cloudflared access ssh-config --hostname
 * <h> [--short-lived-cert]` prints): cloudflared carries SSH through Access; with short-lived
 * certificates, `ssh-gen` fetches a certificate for the login before each connection.
 * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/use-cases/ssh/ssh-cloudflared-authentication/
 */
export function sshConfigSnippet(hostname: string, accounts: readonly string[], shortLivedCertificates: boolean): string {
  // One account: name it. Several (one per person): each engineer logs in as their own, `ssh alice@host`.
  const user = accounts.length === 1 ? [`  User ${accounts[0]}`] : [];
  const header = accounts.length === 1 ? [] : [`# Log in as your own account (${accounts.join(", ")}): ssh <account>@${hostname}`];
  // Host keys stay checked: every server behind the tunnel presents the same shared host key.
  if (!shortLivedCertificates) return [...header, `Host ${hostname}`, "  ProxyCommand cloudflared access ssh --hostname %h", ...user].join("\n");
  return [
    ...header,
    `Match host ${hostname} exec "cloudflared access ssh-gen --hostname %h"`,
    "  ProxyCommand cloudflared access ssh --hostname %h",
    "  IdentityFile ~/.cloudflared/%h-cf_key",
    "  CertificateFile ~/.cloudflared/%h-cf_key-cert.pub",
    ...user,
  ].join("\n");
}

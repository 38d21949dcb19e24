import { z } from "zod";
import { validateIngress } from "../../cloudflare/ingress";
import { ConfigError } from "../errors";

const cloudflareId = (what: string) => z.string().regex(/^[0-9a-f]{32}$/, `must be a Cloudflare ${what} id (32 hex characters)`);

const ingressRule = z.strictObject({
  hostname: z.string().optional(),
  path: z.string().optional(),
  service: z.string().min(1),
});

export const cloudflareTunnelSchema = z.strictObject({
  enabled: z.boolean().default(true),
  accountId: cloudflareId("account"),
  zoneId: cloudflareId("zone"),
  zoneName: z.string().regex(/^(?!-)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, "must be a DNS zone such as example.com"),
  /** `remote`: Cloudflare holds the ingress (config_src cloudflare); `local`: you run cloudflared with a rendered config.yml. */
  mode: z.enum(["remote", "local"]).default("remote"),
  /** Default (seed 000): the SSH hostname → ssh://localhost:22, then http_status:404. */
  ingress: z.array(ingressRule).min(1),
  access: z
    .strictObject({
      emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must be an email address")).default([]),
      emailDomains: z.array(z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, "must be a domain such as example.com")).default([]),
      /** Cloudflare Access group ids. */
      groups: z.array(z.string().min(1)).default([]),
      requireMfa: z.boolean().default(true),
      sessionDuration: z.string().regex(/^\d+(m|h)$/, 'must be a duration such as "30m" or "8h"').default("8h"),
    })
    .prefault({}),
});

export type CloudflareTunnelConfig = z.output<typeof cloudflareTunnelSchema>;

export function crossCheckCloudflareTunnel(file: string, tunnel: CloudflareTunnelConfig | undefined, webOn: boolean): ConfigError[] {
  if (!tunnel || !tunnel.enabled) return [];
  const errors = validateIngress(tunnel.ingress, tunnel.zoneName).map(
    (problem) =>
      new ConfigError(file, `cloudflareTunnel.ingress[${problem.index}]${problem.field ? `.${problem.field}` : ""}`, problem.message, "PA-CONFIG-TUNNEL"),
  );
  const { access } = tunnel;
  if (access.emails.length + access.emailDomains.length + access.groups.length === 0) {
    errors.push(new ConfigError(file, "cloudflareTunnel.access", "must allow at least one email, email domain or group (Cloudflare Access is always in front of the tunnel)", "PA-CONFIG-TUNNEL"));
  }
  if (tunnel.mode === "remote" && !webOn) {
    errors.push(new ConfigError(file, "cloudflareTunnel.mode", '"remote" runs cloudflared on the app servers and needs webTier', "PA-CONFIG-TUNNEL"));
  }
  return errors;
}

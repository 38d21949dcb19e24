import { z } from "zod";
import { validateIngress } from "../../../modules/cloudflare-tunnel/ingress/ingress";
import { OriginRequest, remoteModeUnsupported, validateOriginRequest } from "../../../modules/cloudflare-tunnel/ingress/origin-request";
import { ConfigError } from "../errors";

const cloudflareId = (what: string) => z.string().regex(/^[0-9a-f]{32}$/, `must be a Cloudflare ${what} id (32 hex characters)`);
const linuxUser = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name");

/**
 * cloudflared's originRequest settings stay as written (camelCase, Go durations); the ingress
 * validator checks them with cloudflared's rules, so the schema only says "an object".
 */
const originRequest = z.record(z.string(), z.unknown());

const ingressRule = z.strictObject({
  hostname: z.string().optional(),
  path: z.string().optional(),
  service: z.string().min(1),
  originRequest: originRequest.optional(),
});

/**
 * Identity providers whose `amr` claim Cloudflare Access copies into its token: only these can
 * satisfy an `auth_method: mfa` requirement. The one-time PIN, GitHub, Google and the other social
 * logins never send it.
 * https://developers.cloudflare.com/cloudflare-one/access-controls/policies/mfa-requirements/
 */
export const MFA_REPORTING_PROVIDERS = ["okta", "azureAD", "oidc", "saml"] as const;
export const IDENTITY_PROVIDER_TYPES = [
  "onetimepin", "azureAD", "saml", "centrify", "facebook", "github", "google-apps", "google", "linkedin", "oidc", "okta", "onelogin", "pingone", "yandex",
] as const;

const identityProvider = z.strictObject({
  /** The provider's id in Cloudflare Zero Trust (Settings → Authentication); it is configured there, with its secrets. */
  id: z.string().regex(/^[0-9a-f-]{36}$/, "must be a Cloudflare identity provider id (a UUID)"),
  type: z.enum(IDENTITY_PROVIDER_TYPES),
});

const ssh = z.strictObject({
  /**
   * How engineers' SSH credentials reach sshd. `short-lived-certificates` (default): Cloudflare
   * Access signs a certificate per login and sshd trusts the application's CA, so nobody holds a
   * static key. `public-keys`: the keys listed here are installed at every boot.
   */
  method: z.enum(["short-lived-certificates", "public-keys"]).default("short-lived-certificates"),
  /** The Unix user engineers log in as (created at boot when missing; no sudo unless you choose ec2-user). */
  unixUser: linuxUser.default("engineer"),
  /**
   * Certificate principals (email prefixes: Access sets alice for alice@partner.example) allowed to
   * log in as unixUser. Default: the prefixes of access.emails; with none, every engineer Access
   * lets through this application may.
   */
  principals: z.array(z.string().regex(/^[A-Za-z0-9._+-]{1,64}$/, "must be an email prefix (the part before @)")).default([]),
  /** With method public-keys: one OpenSSH public key per engineer. */
  publicKeys: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, "must name the engineer (letters, digits, . _ @ -)"),
        key: z.string().regex(/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com|ssh-rsa) [A-Za-z0-9+/=]+( [^\n]*)?$/, "must be one OpenSSH public key line (ssh-ed25519 AAAA... comment)"),
      }),
    )
    .default([]),
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
  /** cloudflared's originRequest settings for every rule (a rule's own settings win). */
  originRequest: originRequest.optional(),
  /** The cloudflared package version installed from Cloudflare's signed repository (pinned; change it to upgrade). */
  cloudflaredVersion: z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,3}$/, 'must be a cloudflared release such as "2025.8.1"').default("2025.8.1"),
  /** Bump to rewrite the token parameter (it is write-only: Terraform cannot see when it differs). */
  tokenVersion: z.number().int().min(1).default(1),
  ssh: ssh.prefault({}),
  access: z
    .strictObject({
      emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must be an email address")).default([]),
      emailDomains: z.array(z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, "must be a domain such as example.com")).default([]),
      /** Cloudflare Access group ids. */
      groups: z.array(z.string().min(1)).default([]),
      /** The identity providers engineers may sign in with (by id); with MFA required, each must report MFA. */
      identityProviders: z.array(identityProvider).default([]),
      requireMfa: z.boolean().default(true),
      sessionDuration: z.string().regex(/^\d+(m|h)$/, 'must be a duration such as "30m" or "8h"').default("8h"),
    })
    .prefault({}),
});

export type CloudflareTunnelConfig = z.output<typeof cloudflareTunnelSchema>;

/** The principals sshd accepts for the engineers' Unix user: configured, or the prefixes of the listed emails. */
export function sshPrincipals(tunnel: CloudflareTunnelConfig): string[] {
  if (tunnel.ssh.principals.length > 0) return tunnel.ssh.principals;
  return tunnel.access.emails.map((email) => email.split("@")[0]).filter((p, i, all) => all.indexOf(p) === i);
}

export function crossCheckCloudflareTunnel(file: string, tunnel: CloudflareTunnelConfig | undefined, webOn: boolean, natGateways: string): ConfigError[] {
  if (!tunnel || !tunnel.enabled) return [];
  const at = (field: string, problem: string) => errors.push(new ConfigError(file, `cloudflareTunnel.${field}`, problem, "PA-CONFIG-TUNNEL"));
  const errors: ConfigError[] = [];
  const global = tunnel.originRequest as OriginRequest | undefined;
  for (const problem of validateIngress(tunnel.ingress as never, tunnel.zoneName, global)) {
    at(`ingress[${problem.index}]${problem.field ? `.${problem.field}` : ""}`, problem.message);
  }
  if (global) for (const problem of validateOriginRequest(global, "global")) at(`originRequest${problem.field ? `.${problem.field}` : ""}`, problem.message);
  if (tunnel.mode === "remote") {
    // The provider's remote configuration cannot carry these (cloudflared reads them only from config.yml).
    const check = (settings: OriginRequest | undefined, where: string) => {
      for (const name of settings ? remoteModeUnsupported(settings) : []) at(`${where}.${name}`, `(project rule) cannot be set in remote mode: the Cloudflare provider's tunnel configuration has no such setting; use mode: local`);
    };
    check(global, "originRequest");
    tunnel.ingress.forEach((rule, index) => check(rule.originRequest as OriginRequest | undefined, `ingress[${index}].originRequest`));
  }
  const { access } = tunnel;
  if (access.emails.length + access.emailDomains.length + access.groups.length === 0) {
    at("access", "must allow at least one email, email domain or group (Cloudflare Access is always in front of the tunnel)");
  }
  if (access.requireMfa) {
    const providers = access.identityProviders;
    if (providers.length === 0) {
      at("access.requireMfa", `needs access.identityProviders: MFA is only seen when the identity provider sends an amr claim (${MFA_REPORTING_PROVIDERS.join(", ")} do; the one-time PIN never does), and with none listed engineers may sign in with the one-time PIN and be refused`);
    }
    providers.forEach((provider, index) => {
      if (!(MFA_REPORTING_PROVIDERS as readonly string[]).includes(provider.type)) {
        at(`access.identityProviders[${index}].type`, `"${provider.type}" never reports MFA (no amr claim), so with access.requireMfa everyone signing in with it is refused; use ${MFA_REPORTING_PROVIDERS.join(", ")}, or set requireMfa: false`);
      }
    });
  }
  if (tunnel.mode === "remote" && !webOn) at("mode", '"remote" runs cloudflared on the app servers and needs webTier');
  if (tunnel.mode === "remote" && natGateways === "none") {
    at("mode", '"remote" runs cloudflared on the app servers, which need a route to the internet (Cloudflare\'s edge on TCP/UDP 7844 and TCP 443); network.natGateways is "none"');
  }
  const ssh = tunnel.ssh;
  if (ssh.method === "public-keys" && ssh.publicKeys.length === 0) at("ssh.publicKeys", "must list at least one engineer's key with ssh.method: public-keys");
  if (ssh.method === "short-lived-certificates" && ssh.publicKeys.length > 0) at("ssh.publicKeys", "is only used with ssh.method: public-keys (short-lived certificates need no static key)");
  if (ssh.unixUser === "root") at("ssh.unixUser", "must not be root: sshd refuses root logins here; use a named user (ec2-user has sudo)");
  return errors;
}

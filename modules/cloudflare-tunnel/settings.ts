import { z } from "zod";
import { isPublicEmailDomain } from "../common/facts/public-email-domains";
import { loginUser } from "../common/settings/fields";
import { isReservedLinuxUser } from "../common/facts/reserved-linux-users";
import { hostnameAscii, isCatchAll, validateIngress } from "./ingress/ingress";
import { OriginRequest, remoteModeUnsupported, validateOriginRequest } from "./ingress/origin-request";

const cloudflareId = (what: string) => z.string().regex(/^[0-9a-f]{32}$/, `must be a Cloudflare ${what} id (32 hex characters)`);

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

const unixAccount = (what: string) =>
  loginUser(`${what} must be a named, unprivileged account`)
    .refine((user) => !isReservedLinuxUser(user), { message: "is an account of the image or the system (root, ec2-user, ssm-user, nobody …): customer engineers get accounts of their own, without sudo" })
    .meta({ type: "Linux user, not a system account" });

const sshPerson = z.strictObject({
  email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must be an email address").meta({ description: "the person as Cloudflare Access knows them" }),
  unixUser: unixAccount("unixUser").optional().meta({ default: "the email's local part, as a Linux user name (`alice.smith` → `alice-smith`)", description: "their own account on the servers (created at boot, no sudo)" }),
});

const ssh = z.strictObject({
  /**
   * How engineers' SSH credentials reach sshd. `short-lived-certificates` (default): Cloudflare
   * Access signs a certificate per login and sshd trusts the application's CA, so nobody holds a
   * static key. `public-keys`: the keys listed here are installed at every boot.
   */
  method: z.enum(["short-lived-certificates", "public-keys"]).default("short-lived-certificates").meta({
    description: "how engineers' credentials reach sshd: Access signs a certificate per login and sshd trusts the application's CA for the listed accounts only, or the listed keys are installed at every boot",
  }),
  /** With certificates: each person's own account (Access puts the email's local part in the certificate; it maps to this account only). */
  people: z.array(sshPerson).optional().meta({
    type: "list of `{email, unixUser?}`",
    default: "one per address in `access.emails`",
    description: "with short-lived certificates: each person and their own account; a certificate logs in only as the account its principal (the email's local part) maps to, so every session names a person",
  }),
  /** With certificates: one account for everyone else Access admits (by domain or group). Off unless named. */
  sharedUser: unixAccount("sharedUser").optional().meta({
    default: "none",
    description: "with short-lived certificates: one shared account for everyone Access admits by `emailDomains` or `groups` (every certificate the CA signed logs in as it; sshd logs each certificate's key id). Off unless you name one",
  }),
  /** With public-keys: the account engineers log in as. */
  unixUser: unixAccount("unixUser").default("engineer").meta({ description: "with `public-keys`: the account the listed keys log in as (created at boot, no sudo)" }),
  /** With method public-keys: one OpenSSH public key per engineer. */
  publicKeys: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, "must name the engineer (letters, digits, . _ @ -)"),
        key: z.string().regex(/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com|ssh-rsa) [A-Za-z0-9+/=]+( [^\n]*)?$/, "must be one OpenSSH public key line (ssh-ed25519 AAAA... comment)"),
      }),
    )
    .default([])
    .meta({ type: "list of `{name, key}`", description: "with `public-keys`: one OpenSSH public key per engineer" }),
});

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 (64 lowercase hex characters)");

const cloudflared = z
  .strictObject({
    version: z
      .string()
      .regex(/^(latest|\d{4}\.\d{1,2}\.\d{1,3})$/, 'must be "latest" or a cloudflared release such as "2025.8.1"')
      .default("latest")
      .meta({ type: '`latest` or a release, e.g. `"2025.8.1"`', description: "`latest`: the current release from Cloudflare's signed repository (signature checked by dnf; the installed version is logged). A release: its RPM asset, checked against `sha256` before install (Cloudflare's repository keeps only the newest release, so a pinned version cannot come from it)" }),
    sha256: z
      .strictObject({ arm64: sha256, x86_64: sha256 })
      .optional()
      .meta({ type: "`{arm64, x86_64}`", default: "none", description: "with a pinned `version`: the sha256 of `cloudflared-linux-aarch64.rpm` and `cloudflared-linux-x86_64.rpm` from that release's notes" }),
  })
  .superRefine((install, ctx) => {
    if (install.version !== "latest" && !install.sha256) ctx.addIssue({ code: "custom", path: ["sha256"], message: `is needed with version "${install.version}": a release asset is installed only when its sha256 matches (copy both from the release notes)` });
    if (install.version === "latest" && install.sha256) ctx.addIssue({ code: "custom", path: ["sha256"], message: 'is only used with a pinned version: "latest" comes from the signed repository' });
  });

export const cloudflareTunnelSettings = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: "build the tunnel" }),
    accountId: cloudflareId("account").meta({ type: "32 hex characters", description: "Cloudflare account id (no lookups)" }),
    zoneId: cloudflareId("zone").meta({ type: "32 hex characters", description: "Cloudflare zone id of `zoneName`" }),
    zoneName: z.string().regex(/^(?!-)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, "must be a DNS zone such as example.com").meta({ type: "DNS zone", description: "every ingress hostname must be inside it" }),
    mode: z.enum(["remote", "local"]).default("remote").meta({
      description:
        "`remote`: Cloudflare holds the ingress and the app servers run cloudflared with the token from SSM; `local`: you run cloudflared yourself with the rendered `config.yml` (the tunnel secret then comes from the sensitive variable `TF_VAR_tunnel_secret`)",
    }),
    ingress: z.array(ingressRule).min(1).meta({
      type: "list of `{hostname?, path?, service, originRequest?}`",
      description: "checked as cloudflared checks it (see below); the usual: `ssh.<zone>` → `ssh://localhost:22`, then `http_status:404`",
    }),
    originRequest: originRequest.optional().meta({
      type: "cloudflared settings",
      default: "none",
      description:
        "cloudflared's `originRequest` for every rule (`connectTimeout: 30s`, `noTLSVerify`, `httpHostHeader`, `access: {required, teamName, audTag}` ...), as cloudflared spells them; durations are Go durations; remote mode refuses the settings the provider cannot carry (`bastionMode`, `proxyAddress`, `proxyPort`, `ipRules`, `access.environment`)",
    }),
    cloudflared: cloudflared.prefault({}).meta({ description: "how the app servers get cloudflared" }),
    tokenVersion: z.number().int().min(1).default(1).meta({ type: "integer ≥ 1", description: "bump to rewrite the tunnel token parameter (it is write-only, so Terraform cannot see when it differs)" }),
    ssh: ssh.prefault({}),
    access: z
      .strictObject({
        emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must be an email address")).default([]).meta({ type: "list", description: "people Cloudflare Access lets through (at least one of emails, emailDomains, groups)" }),
        emailDomains: z
          .array(
            z
              .string()
              .regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, "must be a domain such as example.com")
              .refine((domain) => !isPublicEmailDomain(domain), { message: "is a public webmail domain: anyone can sign up for an address there, so Access would admit anyone; list the engineers' emails instead" }),
          )
          .default([])
          .meta({ type: "list of domains", description: "email domains Access lets through (never a public webmail domain such as gmail.com)" }),
        groups: z.array(z.string().min(1)).default([]).meta({ type: "list", description: "Cloudflare Access group ids" }),
        identityProviders: z.array(identityProvider).default([]).meta({
          type: "list of `{type, id}`",
          default: "`[]` (every provider of the account)",
          description: "the identity providers engineers may sign in with, by their id in Cloudflare Zero Trust (configured there, with their secrets); one provider means straight to it",
        }),
        requireMfa: z.boolean().default(true).meta({
          description: "require MFA; needs identity providers that report it (`okta`, `azureAD`, `oidc`, `saml`: they send the `amr` claim). The one-time PIN and the social logins never do, so they are refused with it",
        }),
        sessionDuration: z.string().regex(/^\d+(m|h)$/, 'must be a duration such as "30m" or "8h"').default("8h").meta({ type: "duration", description: "Access session length" }),
      })
      .prefault({}),
  })
  .superRefine((tunnel, ctx) => {
    const at = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const global = tunnel.originRequest as OriginRequest | undefined;
    for (const problem of validateIngress(tunnel.ingress as never, tunnel.zoneName, global)) {
      at(["ingress", problem.index, ...(problem.field ? problem.field.split(".") : [])], problem.message);
    }
    if (global) for (const problem of validateOriginRequest(global, "global")) at(["originRequest", ...(problem.field ? problem.field.split(".") : [])], problem.message);
    if (tunnel.mode === "remote") {
      // The provider's remote configuration cannot carry these (cloudflared reads them only from config.yml).
      const check = (settings: OriginRequest | undefined, where: PropertyKey[]) => {
        for (const name of settings ? remoteModeUnsupported(settings) : []) {
          at([...where, ...name.split(".")], "(project rule) cannot be set in remote mode: the Cloudflare provider's tunnel configuration has no such setting; use mode: local");
        }
      };
      check(global, ["originRequest"]);
      tunnel.ingress.forEach((rule, index) => check(rule.originRequest as OriginRequest | undefined, ["ingress", index, "originRequest"]));
    }
    const seen = new Map<string, number>();
    tunnel.ingress.forEach((rule, index) => {
      if (!rule.hostname || isCatchAll(rule as never)) return;
      const key = hostnameKey(rule.hostname);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else if (tunnel.ingress[first].hostname !== rule.hostname) {
        at(["ingress", index, "hostname"], `"${rule.hostname}" and ingress[${first}].hostname "${tunnel.ingress[first].hostname}" name one DNS record and Access application in Terraform (${key}); rename one`);
      }
    });
    const { access } = tunnel;
    if (access.emails.length + access.emailDomains.length + access.groups.length === 0) {
      at(["access"], "must allow at least one email, email domain or group (Cloudflare Access is always in front of the tunnel)");
    }
    if (access.requireMfa) {
      const providers = access.identityProviders;
      if (providers.length === 0) {
        at(["access", "requireMfa"], `needs access.identityProviders: MFA is only seen when the identity provider sends an amr claim (${MFA_REPORTING_PROVIDERS.join(", ")} do; the one-time PIN never does), and with none listed engineers may sign in with the one-time PIN and be refused`);
      }
      providers.forEach((provider, index) => {
        if (!(MFA_REPORTING_PROVIDERS as readonly string[]).includes(provider.type)) {
          at(["access", "identityProviders", index, "type"], `"${provider.type}" never reports MFA (no amr claim), so with access.requireMfa everyone signing in with it is refused; use ${MFA_REPORTING_PROVIDERS.join(", ")}, or set requireMfa: false`);
        }
      });
    }
    const { ssh } = tunnel;
    if (ssh.method === "public-keys" && ssh.publicKeys.length === 0) at(["ssh", "publicKeys"], "must list at least one engineer's key with ssh.method: public-keys");
    if (ssh.method === "short-lived-certificates") {
      if (ssh.publicKeys.length > 0) at(["ssh", "publicKeys"], "is only used with ssh.method: public-keys (short-lived certificates need no static key)");
      const people = sshPeople(tunnel as CloudflareTunnelSettings);
      const explicit = ssh.people !== undefined;
      const where = (index: number, field: string): PropertyKey[] => (explicit ? ["ssh", "people", index, field] : ["access", "emails", index]);
      const byUser = new Map<string, number>();
      const byPrincipal = new Map<string, number>();
      people.forEach((person, index) => {
        if (!explicit && !/^[a-z_][a-z0-9_-]{0,31}$/.test(person.unixUser)) at(where(index, "unixUser"), `gives no usable account name ("${person.unixUser}"): list the person in ssh.people with a unixUser`);
        else if (!explicit && isReservedLinuxUser(person.unixUser)) at(where(index, "unixUser"), `would log in as the system account "${person.unixUser}": list the person in ssh.people with a unixUser of their own`);
        const sameUser = byUser.get(person.unixUser);
        if (sameUser !== undefined) at(where(index, "unixUser"), `"${person.unixUser}" is already ${people[sameUser].email}'s account: each person gets their own (set unixUser)`);
        else byUser.set(person.unixUser, index);
        const samePrincipal = byPrincipal.get(person.principal);
        if (samePrincipal !== undefined) at(where(index, "email"), `has the same local part "${person.principal}" as ${people[samePrincipal].email}: Access puts only the local part in the certificate, so sshd could not tell them apart`);
        else byPrincipal.set(person.principal, index);
        if (ssh.sharedUser === person.unixUser) at(["ssh", "sharedUser"], `"${ssh.sharedUser}" is also ${person.email}'s own account`);
        if (explicit && !admitted(tunnel.access, person.email)) at(["ssh", "people", index, "email"], `${person.email} is not admitted by access.emails, access.emailDomains or access.groups, so Access never gives them a certificate`);
      });
      if (people.length === 0 && !ssh.sharedUser) {
        if (access.emailDomains.length > 0 || access.groups.length > 0) at(["ssh", "sharedUser"], "is needed: access.emailDomains or access.groups admit people who have no account of their own (or list them in ssh.people)");
        else at(["ssh"], "gives nobody an account: list people in access.emails or ssh.people (each gets their own), or name ssh.sharedUser for everyone Access admits");
      }
    }
  })
  .meta({ title: "`cloudflareTunnel` (Cloudflare Tunnel for customer engineers)", description: "Optional; on in the example. Adds the stack `<env>-cloudflare`." });

export type CloudflareTunnelSettings = z.output<typeof cloudflareTunnelSettings>;
export type CloudflareTunnelSettingsInput = z.input<typeof cloudflareTunnelSettings>;

/**
 * The part of a hostname's Terraform address its DNS record and Access application carry. DNS and
 * Access take the punycode form; two hostnames with one key would be one resource, so the schema
 * refuses them.
 */
export function hostnameKey(hostname: string): string {
  const dnsName = hostname.startsWith("*") ? hostname : (hostnameAscii(hostname) ?? hostname);
  return dnsName.replace(/\*/g, "wildcard").replace(/\./g, "-");
}

/** The account an email's local part becomes: lowercase, other characters as dashes (`Alice.Smith` → `alice-smith`). */
export function accountFromEmail(email: string): string {
  return email.split("@")[0].toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 32);
}

/** Each person and their own account: `ssh.people`, or one per address in `access.emails`. */
export function sshPeople(tunnel: CloudflareTunnelSettings): { email: string; unixUser: string; principal: string }[] {
  const listed = tunnel.ssh.people ?? tunnel.access.emails.map((email) => ({ email, unixUser: undefined }));
  // Access sets the certificate's principal to the email's local part, as written.
  // https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/use-cases/ssh/ssh-infrastructure-access/
  return listed.map((person) => ({ email: person.email, unixUser: person.unixUser ?? accountFromEmail(person.email), principal: person.email.split("@")[0] }));
}

function admitted(access: CloudflareTunnelSettings["access"], email: string): boolean {
  const domain = email.split("@")[1]?.toLowerCase();
  return access.groups.length > 0 || access.emails.some((e) => e.toLowerCase() === email.toLowerCase()) || access.emailDomains.includes(domain);
}

/** The accounts engineers log in as: each person's own and the shared one (certificates), or the keys' account. */
export function sshAccounts(tunnel: CloudflareTunnelSettings): string[] {
  if (tunnel.ssh.method === "public-keys") return [tunnel.ssh.unixUser];
  return [...sshPeople(tunnel).map((p) => p.unixUser), ...(tunnel.ssh.sharedUser ? [tunnel.ssh.sharedUser] : [])];
}

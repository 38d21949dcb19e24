import { Construct } from "constructs";
import { Fn, Lazy, TerraformOutput, TerraformResource, TerraformVariable } from "cdktf";
import { DataCloudflareZeroTrustTunnelCloudflaredToken } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-tunnel-cloudflared-token";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { ZeroTrustAccessApplication } from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import { ZeroTrustAccessPolicy } from "@cdktf/provider-cloudflare/lib/zero-trust-access-policy";
import { ZeroTrustAccessShortLivedCertificate } from "@cdktf/provider-cloudflare/lib/zero-trust-access-short-lived-certificate";
import { ZeroTrustTunnelCloudflared } from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared";
import { ZeroTrustTunnelCloudflaredConfigA } from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared-config";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { CustomerKey } from "../common/kms-key";
import { IngressRule, hostnameAscii, isCatchAll, renderConfigYaml } from "./ingress/ingress";
import { SettingsError, parseSettings } from "../common/settings/parse";
import { CloudflareTunnelSettingsInput, cloudflareTunnelSettings, hostnameKey, sshPeople } from "./settings";
import { OriginRequest, originRequestToTerraform } from "./ingress/origin-request";

export interface CloudflareTunnelProps {
  /** Names the tunnel and prefixes the Access names. */
  readonly name: string;
  /** The `cloudflareTunnel` settings; validated here (ingress with cloudflared's own rules) with the environment file's schema. */
  readonly settings: CloudflareTunnelSettingsInput;
  /** Where the token goes (remote mode): an SSM SecureString in the environment's AWS account. */
  readonly tokenParameter?: { readonly name: string; readonly region: string; readonly accountId: string; readonly keyAlias: string; readonly version?: number };
  /**
   * Short-lived SSH certificates for the SSH applications: Access signs one per login, and the
   * applications' CA public keys go to this SSM parameter, which the servers' sshd trusts. With no
   * token parameter (local mode: nothing on AWS reads SSM) they go to the Terraform output
   * `ssh_ca_public_keys` instead, for whoever runs cloudflared to give to sshd.
   * @default none (engineers bring keys the servers already trust)
   */
  readonly sshCaParameter?: { readonly name: string };
}

/**
 * Seed 000's customer access: a Cloudflare Tunnel whose ingress maps hostnames to local services
 * (ssh://localhost:22 ...), proxied CNAMEs to the tunnel, and Cloudflare Access (with MFA when asked)
 * in front of every hostname. The instance dials out; nothing listens on the internet.
 */
export class CloudflareTunnel extends Construct {
  readonly tunnel: ZeroTrustTunnelCloudflared;
  readonly hostnames: string[];

  /** The tunnel's id. */
  get tunnelId(): string {
    return this.tunnel.id;
  }

  constructor(scope: Construct, id: string, props: CloudflareTunnelProps) {
    super(scope, id);
    const settings = parseSettings(cloudflareTunnelSettings, props.settings);
    const { mode, access } = settings;
    const ingress = settings.ingress as IngressRule[];
    const originRequest = settings.originRequest as OriginRequest | undefined;
    if (mode === "remote" && !props.tokenParameter) throw new SettingsError(["mode"], '"remote" needs a token parameter in the AWS account (the wiring gives none)');

    let tunnelSecret: string | undefined;
    if (mode === "local") {
      // A locally managed tunnel needs a secret; it comes in as a sensitive variable, never a literal.
      const variable = new TerraformVariable(this, "tunnel_secret", {
        type: "string",
        sensitive: true,
        description: "Base64 of at least 32 random bytes (openssl rand -base64 32); set TF_VAR_tunnel_secret",
      });
      variable.overrideLogicalId("tunnel_secret"); // a name people can type: TF_VAR_tunnel_secret
      tunnelSecret = variable.stringValue;
    }
    this.tunnel = new ZeroTrustTunnelCloudflared(this, "tunnel", {
      accountId: settings.accountId,
      name: props.name,
      configSrc: mode === "remote" ? "cloudflare" : "local",
      tunnelSecret,
    });
    if (mode === "remote") {
      new ZeroTrustTunnelCloudflaredConfigA(this, "config", {
        accountId: settings.accountId,
        tunnelId: this.tunnel.id,
        config: {
          ingress: ingress.map((rule) => ({
            hostname: rule.hostname || undefined,
            path: rule.path || undefined,
            service: rule.service,
            originRequest: rule.originRequest ? (providerStruct(originRequestToTerraform(rule.originRequest)) as never) : undefined,
          })),
          originRequest: originRequest ? (providerStruct(originRequestToTerraform(originRequest)) as never) : undefined,
        },
      });
    } else {
      const configYml = new TerraformOutput(this, "cloudflared_config_yml", {
        value: renderConfigYaml(this.tunnel.id, ingress, originRequest),
        description: "config.yml for a locally managed cloudflared",
      });
      configYml.overrideLogicalId("cloudflared_config_yml"); // terraform output -raw cloudflared_config_yml
    }

    this.hostnames = ingress.filter((rule) => !isCatchAll(rule) && rule.hostname).map((rule) => rule.hostname!).filter((h, i, all) => all.indexOf(h) === i);
    const policy = new ZeroTrustAccessPolicy(this, "access-policy", {
      accountId: settings.accountId,
      name: `${props.name} operators`,
      decision: "allow",
      include: [
        ...access.emails.map((email) => ({ email: { email } })),
        ...access.emailDomains.map((domain) => ({ emailDomain: { domain } })),
        ...access.groups.map((group) => ({ group: { id: group } })),
      ],
      require: access.requireMfa ? [{ authMethod: { authMethod: "mfa" } }] : undefined,
      sessionDuration: access.sessionDuration,
    });
    const caPublicKeys: string[] = [];
    const idps = access.identityProviders.map((provider) => provider.id);
    for (const hostname of this.hostnames) {
      // DNS and Access take the punycode form (cloudflared matches both forms itself).
      const dnsName = hostname.startsWith("*") ? hostname : (hostnameAscii(hostname) ?? hostname);
      const key = hostnameKey(hostname);
      new DnsRecord(this, `dns-${key}`, {
        zoneId: settings.zoneId,
        name: dnsName,
        type: "CNAME",
        content: `${this.tunnel.id}.cfargotunnel.com`,
        proxied: true,
        ttl: 1,
        comment: `Cloudflare Tunnel ${props.name}`,
      });
      const ssh = ingress.some((rule) => rule.hostname === hostname && rule.service.startsWith("ssh://"));
      const application = new ZeroTrustAccessApplication(this, `access-${key}`, {
        accountId: settings.accountId,
        name: `${props.name} ${hostname}`,
        type: ssh ? "ssh" : "self_hosted",
        destinations: [{ type: "public", uri: dnsName }],
        sessionDuration: access.sessionDuration,
        policies: [{ id: policy.id, precedence: 1 }],
        appLauncherVisible: false,
        allowedIdps: idps.length > 0 ? idps : undefined,
        autoRedirectToIdentity: idps.length === 1 ? true : undefined,
      });
      if (ssh && props.sshCaParameter) {
        // One CA per application; sshd trusts every line of the file it is written to.
        const certificate = new ZeroTrustAccessShortLivedCertificate(this, `ssh-ca-${key}`, { accountId: settings.accountId, appId: application.id });
        caPublicKeys.push(certificate.publicKey);
      }
    }
    if (props.sshCaParameter && caPublicKeys.length > 0 && props.tokenParameter) {
      new SsmParameter(this, "ssh-ca-parameter", {
        name: props.sshCaParameter.name,
        description: "Cloudflare Access SSH CA public key(s): the app servers' sshd trusts certificates they signed",
        type: "String",
        value: Fn.join("\n", caPublicKeys),
        tier: "Standard",
      });
    }
    if (caPublicKeys.length > 0 && !props.tokenParameter) {
      // Local mode: you run cloudflared and sshd on your own host, so the CA reaches it through you.
      // TrustedUserCAKeys outside a Match block trusts the CA for every account (root included, with
      // the default PermitRootLogin prohibit-password); inside `Match User` only for that account.
      // A certificate's principal is the email's local part; sshd accepts only the login name unless
      // an AuthorizedPrincipalsFile lists others (auth2-pubkey.c).
      const people = sshPeople(settings);
      const accounts = people.map((p) => `${p.unixUser} (principal ${p.principal})`);
      const caKeys = new TerraformOutput(this, "ssh_ca_public_keys", {
        value: Fn.join("\n", caPublicKeys),
        description:
          `Cloudflare Access SSH CA public key(s), one per line. On the host running cloudflared, write them to a file (terraform output -raw ssh_ca_public_keys > /etc/ssh/cloudflare-access-ca.pub) ` +
          `and name it with TrustedUserCAKeys only inside a "Match User" block for the engineers' own accounts${accounts.length > 0 ? ` (${accounts.join(", ")})` : ""} ` +
          `(outside Match it trusts the CA for every account, root included), each with an AuthorizedPrincipalsFile holding that person's email prefix; set PermitRootLogin no; then reload sshd`,
      });
      caKeys.overrideLogicalId("ssh_ca_public_keys"); // terraform output -raw ssh_ca_public_keys
    }

    if (props.tokenParameter) {
      const param = props.tokenParameter;
      const token = new DataCloudflareZeroTrustTunnelCloudflaredToken(this, "token", { accountId: settings.accountId, tunnelId: this.tunnel.id });
      const key = new CustomerKey(this, "token-key", {
        region: param.region,
        accountId: param.accountId,
        alias: param.keyAlias,
        description: "Encrypts the Cloudflare Tunnel token parameter",
      });
      // Write-only (Terraform >= 1.11): the token goes to SSM but never into this stack's state as the
      // parameter's value. (The token data source itself is still kept in state: keep it encrypted.)
      // Terraform cannot see a write-only value change, so a new tunnel (new id, new token) would
      // leave the old token in SSM: the parameter is replaced, and so rewritten, whenever the tunnel's
      // id changes (replace_triggered_by, Terraform >= 1.2). `tokenVersion` stays the manual bump.
      // Only a change of the id, not an in-place rename, replaces it: the token stays the same then.
      new SsmParameter(this, "token-parameter", {
        name: param.name,
        description: "Cloudflare Tunnel token, read by the app servers' cloudflared service at start",
        type: "SecureString",
        keyId: key.arn,
        valueWo: token.token,
        valueWoVersion: param.version ?? 1,
        tier: "Standard",
        lifecycle: { replaceTriggeredBy: [tunnelIdAddress(this.tunnel)] },
      });
    }
  }
}

/**
 * `<type>.<name>.id` as replace_triggered_by needs it: a bare reference. cdktf 0.21 writes a resource
 * given there as "${type.name}", which Terraform refuses ("Invalid character"; terraform-cdk issues
 * 3196 and 3532). Lazy, so a logical id overridden later is the one written.
 */
function tunnelIdAddress(resource: TerraformResource): string {
  return Lazy.stringValue({ produce: () => `${resource.terraformResourceType}.${resource.friendlyUniqueId}.id` });
}

/** The provider's Terraform names (connect_timeout) as the generated classes' property names (connectTimeout). */
function providerStruct(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(providerStruct);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), providerStruct(v)]));
}

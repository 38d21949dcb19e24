import { hostnameAscii } from "../../../modules/cloudflare-tunnel/ingress/ingress";
import type { ProofContext } from "../context";
import { keyPolicy } from "../instances";
import { internetRoute, securityGroupsAllow } from "../network";
import { Hop, PathProof, hop, path, unproven } from "../proof";
import type { ResourceRef } from "../stack-model";
import { endpointOf } from "./admin-access";

/**
 * What cloudflared needs to connect: out to Cloudflare's edge on TCP and UDP 7844 (QUIC, falling
 * back to HTTP/2) and TCP 443 for its API.
 * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/deploy-tunnels/tunnel-with-firewall/
 */
export const CLOUDFLARED_EGRESS = [
  { protocol: "tcp", port: 7844 },
  { protocol: "udp", port: 7844 },
  { protocol: "tcp", port: 443 },
] as const;

/** Seed 000: customer engineers → Cloudflare Access → tunnel → cloudflared on the app servers → sshd. */
export async function cloudflarePaths(ctx: ProofContext): Promise<PathProof[]> {
  const tunnel = ctx.env.cloudflareTunnel;
  if (!tunnel?.enabled) return [];
  const cf = ctx.cloudflare;
  if (!cf) return [path("tunnel", "customer engineers → Cloudflare → tunnel", [hop("the Cloudflare stack is synthesized", false, `no ${ctx.env.name}-cloudflare stack in the output`)])];
  const proofs: PathProof[] = [];
  const app = ctx.appServers;
  const { aws } = ctx;

  // 1. The tunnel connects: cloudflared on the app servers dials out.
  const connect: Hop[] = [];
  if (tunnel.mode === "local") {
    connect.push(unproven("cloudflared runs and connects", "local mode: you run cloudflared yourself with the rendered config.yml; its host must reach Cloudflare on TCP/UDP 7844 and TCP 443"));
  } else if (!app) {
    connect.push(hop("cloudflared runs on the app servers", false, "no app servers"));
  } else {
    const script = app.userData ?? "";
    connect.push(hop("the app servers install and run cloudflared", /cloudflared/.test(script) && /tunnel run/.test(script), /tunnel run/.test(script) ? "boot script installs cloudflared and runs `cloudflared tunnel run` as a service" : "nothing in the boot script runs cloudflared"));
    for (const { protocol, port } of CLOUDFLARED_EGRESS) {
      const check = securityGroupsAllow(aws, endpointOf(app), { label: "Cloudflare's edge", groups: [], cidrs: ["0.0.0.0/0"] }, protocol, port);
      connect.push(hop(`app servers → Cloudflare on ${protocol.toUpperCase()} ${port}`, check.ok, check.detail));
    }
    for (const subnet of app.subnets) {
      const route = internetRoute(aws, subnet, app.publicIp);
      connect.push(hop(`${subnet.config.tags?.Name ?? subnet.address} has a route to the internet`, route.ok, route.detail));
    }
    connect.push(...(await tokenHops(ctx)));
  }
  proofs.push(path("tunnel-connects", "app servers → Cloudflare edge (cloudflared connects)", connect));

  // 2. Customer engineers reach sshd through Access.
  const sshRules = tunnel.ingress.filter((rule) => rule.hostname && /^ssh:\/\//.test(rule.service));
  for (const rule of sshRules) {
    const hops: Hop[] = [];
    if (!rule.hostname) continue;
    const dnsName = rule.hostname.startsWith("*") ? rule.hostname : (hostnameAscii(rule.hostname) ?? rule.hostname);
    const record = cf.all("cloudflare_dns_record").find((r) => r.config.name === dnsName && r.config.proxied === true && /cfargotunnel\.com$/.test(cf.resolve(r.config.content)));
    hops.push(hop(`${rule.hostname} is a proxied CNAME to the tunnel`, Boolean(record), record ? `${rule.hostname} → ${record.config.content}` : `no proxied CNAME ${rule.hostname} → <tunnel>.cfargotunnel.com`));
    const application = cf.all("cloudflare_zero_trust_access_application").find((a) => ((a.config.destinations ?? []) as any[]).some((d) => d.uri === dnsName) || a.config.domain === dnsName);
    const policyRefs = ((application?.config.policies ?? []) as any[]).map((p) => cf.referenced(p.id)).filter((p) => p !== undefined);
    const includes = policyRefs.flatMap((p) => (p!.config.include ?? []) as any[]);
    hops.push(hop(`Cloudflare Access guards ${rule.hostname}`, Boolean(application) && includes.length > 0, application ? `Access application "${application.config.name}" (${application.config.type}), ${includes.length} include rule(s)` : "no Access application for the hostname: anyone on the internet reaches sshd"));
    const config = cf.all("cloudflare_zero_trust_tunnel_cloudflared_config")[0];
    const routed = tunnel.mode === "local" || ((config?.config.config?.ingress ?? []) as any[]).some((r) => r.hostname === rule.hostname && r.service === rule.service);
    hops.push(hop(`the tunnel sends ${rule.hostname} to ${rule.service}`, routed, routed ? `ingress ${rule.hostname} → ${rule.service}` : "the tunnel configuration has no such rule"));
    hops.push(mfaHop(ctx, policyRefs.map((p) => p!.config), application?.config));
    if (app && tunnel.mode === "remote") hops.push(...(await credentialHops(ctx, application)));
    proofs.push(path(`tunnel-ssh:${rule.hostname}`, `customer engineers → Access → ${rule.hostname} → ${rule.service}`, hops));
  }
  return proofs;
}

/** The app servers read the token: ssm:GetParameter, then kms:Decrypt through SSM with the parameter's encryption context. */
async function tokenHops(ctx: ProofContext): Promise<Hop[]> {
  const cf = ctx.cloudflare!;
  const app = ctx.appServers!;
  const parameter = cf.all("aws_ssm_parameter").find((p) => p.config.type === "SecureString");
  if (!parameter) return [hop("the tunnel token is handed to AWS", false, "the Cloudflare stack writes no SSM parameter")];
  const name = String(parameter.config.name);
  const script = app.userData ?? "";
  const hops: Hop[] = [hop("the app servers read the parameter the Cloudflare stack writes", script.includes(`--name ${name}`), `parameter ${name}`)];
  const arn = `arn:${ctx.aws.partition}:ssm:${ctx.region}:${ctx.account}:parameter${name}`;
  const principal = ctx.roleArn(app);
  const policies = ctx.rolePolicies(app);
  hops.push(await ctx.iamHop("app servers may ssm:GetParameter the token", { principal, action: "ssm:GetParameter", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: policies }));
  const key = cf.referenced(parameter.config.key_id);
  if (!key) return [...hops, hop("the token is encrypted with a key of the Cloudflare stack", false, "the parameter names no key of that stack")];
  const alias = cf.all("aws_kms_alias").find((a) => cf.pointsAt(a.config.target_key_id, key));
  // kms:Decrypt through SSM, as the GetParameter call makes it: the encryption context names the parameter.
  const decrypt = (parameterArn: string) => ({
    principal,
    action: "kms:Decrypt",
    resource: cf.attribute(key.address, "arn"),
    resourceAccount: ctx.account,
    context: {
      "kms:ViaService": `ssm.${ctx.region}.amazonaws.com`,
      "kms:EncryptionContext:PARAMETER_ARN": parameterArn,
      "kms:ResourceAliases": alias ? [String(alias.config.name)] : [],
    },
    identityPolicies: policies,
    resourcePolicy: keyPolicy(cf, key),
  });
  hops.push(await ctx.iamHop("app servers may decrypt it through SSM (kms:Decrypt with the parameter's encryption context)", decrypt(arn)));
  // The grant is pinned to this parameter: the same key used for another parameter is refused.
  hops.push(await ctx.iamHop("but not for another parameter encrypted with the same key", decrypt(`${arn}-other`), "Denied"));
  return hops;
}

/** `auth_method: mfa` is satisfied only when the identity provider reports MFA (an amr claim). */
function mfaHop(ctx: ProofContext, policies: Record<string, any>[], application: Record<string, any> | undefined): Hop {
  const requiresMfa = policies.some((p) => ((p.require ?? []) as any[]).some((r) => r.auth_method?.auth_method === "mfa"));
  if (!requiresMfa) return hop("engineers can satisfy the policy's authentication requirement", true, "no MFA requirement in the Access policy");
  const allowed = (application?.allowed_idps ?? []) as string[];
  const declared = ctx.env.cloudflareTunnel!.access.identityProviders;
  if (allowed.length === 0) return hop("engineers can satisfy the MFA requirement", false, "the policy requires MFA but the application allows every identity provider of the account, the one-time PIN included, which never reports MFA: those engineers are refused");
  const reporting = ["okta", "azureAD", "oidc", "saml"];
  const weak = allowed.filter((id) => !reporting.includes(declared.find((d) => d.id === id)?.type ?? ""));
  return weak.length === 0
    ? hop("engineers can satisfy the MFA requirement", true, `sign-in only through ${allowed.map((id) => declared.find((d) => d.id === id)!.type).join(", ")}, which report MFA (amr claim)`)
    : hop("engineers can satisfy the MFA requirement", false, `identity provider(s) ${weak.join(", ")} never report MFA: engineers signing in with them are refused`);
}

/** sshd accepts the engineer: the Access application's CA reaches sshd (short-lived certificates), or their keys are installed. */
async function credentialHops(ctx: ProofContext, application: ResourceRef | undefined): Promise<Hop[]> {
  const cf = ctx.cloudflare!;
  const app = ctx.appServers!;
  const script = app.userData ?? "";
  const name = "sshd accepts the engineer's credentials";
  if (/authorized_keys/.test(script) && !/TrustedUserCAKeys/.test(script)) {
    const user = /install -D -o (\S+) /.exec(script)?.[1];
    return [hop(name, Boolean(user), user ? `the boot script installs the listed public keys for ${user} at every boot` : "keys are written but for no user")];
  }
  if (!/TrustedUserCAKeys/.test(script)) {
    return [hop(name, false, "nothing provisions SSH credentials (no trusted CA, no authorized_keys): Access lets engineers through to an sshd that refuses them, and keys added by hand vanish when the group replaces an instance")];
  }
  const hops: Hop[] = [];
  const certificate = cf.all("cloudflare_zero_trust_access_short_lived_certificate").find((c) => application && cf.pointsAt(c.config.app_id, application));
  hops.push(hop("Access signs short-lived certificates for the application", Boolean(certificate), certificate ? "cloudflare_zero_trust_access_short_lived_certificate for the SSH application" : "no short-lived certificate CA for this application: engineers get no certificate sshd trusts"));
  const caParameter = cf.all("aws_ssm_parameter").find((p) => certificate && String(p.config.value ?? "").includes(`${certificate.address}.public_key`));
  const read = caParameter && script.includes(`--name ${caParameter.config.name} `);
  hops.push(hop("the CA public key reaches sshd (SSM parameter read at every boot)", Boolean(read), caParameter ? `parameter ${caParameter.config.name}${read ? ", read by the boot script into TrustedUserCAKeys" : ", but the boot script reads another"}` : "the Cloudflare stack writes the CA nowhere the servers read"));
  if (caParameter) {
    const arn = `arn:${ctx.aws.partition}:ssm:${ctx.region}:${ctx.account}:parameter${caParameter.config.name}`;
    hops.push(await ctx.iamHop("app servers may read the CA parameter", { principal: ctx.roleArn(app), action: "ssm:GetParameter", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: ctx.rolePolicies(app) }));
  }
  const user = /Match User (\S+)/.exec(script)?.[1];
  hops.push(hop("certificates map to a named Unix user", Boolean(user) && script.includes(`useradd --create-home --shell /bin/bash ${user}`), user ? `Match User ${user} (created at boot)` : "no Match User block"));
  return hops;
}

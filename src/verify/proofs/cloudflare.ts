import { hostnameAscii } from "../../../modules/cloudflare-tunnel/ingress/ingress";
import { ssmParameterArn } from "../../../modules/common/arn";
import type { ProofContext } from "../context";
import { keyPolicy } from "../instances";
import { internetRoute, networkAllows } from "../network";
import { Hop, PathProof, hop, path, unproven } from "../proof";
import type { ResourceRef } from "../stack-model";
import { endpointOf } from "./admin-access";
import type { InstanceKind } from "../instances";
import type { IamRequest } from "../iam";
import { bootFactsOf, bootMatchesHop, opaqueParts, partsWith } from "../boot-facts";
import { sshAccounts, sshPeople } from "../../../modules/cloudflare-tunnel/settings";
import { isReservedLinuxUser } from "../../../modules/common/facts/reserved-linux-users";

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

/** Cloudflare Tunnel: customer engineers → Cloudflare Access → tunnel → cloudflared on the app servers → sshd. */
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
    connect.push(...cloudflaredHops(app));
    for (const { protocol, port } of CLOUDFLARED_EGRESS) {
      const check = networkAllows(aws, endpointOf(app), { label: "Cloudflare's edge", groups: [], cidrs: ["0.0.0.0/0"] }, protocol, port);
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
    hops.push(accessDecisionHop(tunnel.access, policyRefs.map((p) => p!.config)));
    const config = cf.all("cloudflare_zero_trust_tunnel_cloudflared_config")[0];
    const routed = tunnel.mode === "local" || ((config?.config.config?.ingress ?? []) as any[]).some((r) => r.hostname === rule.hostname && r.service === rule.service);
    hops.push(hop(`the tunnel sends ${rule.hostname} to ${rule.service}`, routed, routed ? `ingress ${rule.hostname} → ${rule.service}` : "the tunnel configuration has no such rule"));
    hops.push(mfaHop(ctx, policyRefs.map((p) => p!.config), application?.config));
    if (app && tunnel.mode === "remote") hops.push(...(await credentialHops(ctx, application)));
    proofs.push(path(`tunnel-ssh:${rule.hostname}`, `customer engineers → Access → ${rule.hostname} → ${rule.service}`, hops));
  }
  return proofs;
}

/**
 * Requests the app servers make of the tunnel's KMS key (the key of the Cloudflare stack's
 * SecureString) through SSM, for one parameter (its encryption context), as the SSM call makes them.
 */
function tunnelKeyRequests(ctx: ProofContext, app: InstanceKind): ((action: string, parameterArn: string) => IamRequest) | undefined {
  const cf = ctx.cloudflare;
  const parameter = cf?.all("aws_ssm_parameter").find((p) => p.config.type === "SecureString");
  const key = parameter ? cf!.referenced(parameter.config.key_id) : undefined;
  if (!cf || !key) return undefined;
  const alias = cf.all("aws_kms_alias").find((a) => cf.pointsAt(a.config.target_key_id, key));
  return (action, parameterArn) => ({
    principal: ctx.roleArn(app),
    action,
    resource: cf.attribute(key.address, "arn"),
    resourceAccount: ctx.account,
    context: { "kms:ViaService": `ssm.${ctx.region}.amazonaws.com`, "kms:EncryptionContext:PARAMETER_ARN": parameterArn, "kms:ResourceAliases": alias ? [String(alias.config.name)] : [] },
    identityPolicies: ctx.rolePolicies(app),
    resourcePolicy: keyPolicy(cf, key),
  });
}

/** The app servers read the token: ssm:GetParameter, then kms:Decrypt through SSM with the parameter's encryption context. */
async function tokenHops(ctx: ProofContext): Promise<Hop[]> {
  const cf = ctx.cloudflare!;
  const app = ctx.appServers!;
  const parameter = cf.all("aws_ssm_parameter").find((p) => p.config.type === "SecureString");
  if (!parameter) return [hop("the tunnel token is handed to AWS", false, "the Cloudflare stack writes no SSM parameter")];
  const name = String(parameter.config.name);
  const reads = partsWith(bootFactsOf(app), "readsParameters").filter(({ value }) => value.includes(name));
  const hops: Hop[] = [hop("the app servers read the parameter the Cloudflare stack writes", reads.length > 0, reads.length > 0 ? `parameter ${name}, read by boot part ${reads.map((r) => r.part.name).join(", ")}` : `no boot part reads ${name}`)];
  const arn = ssmParameterArn(ctx.region, ctx.account, name);
  const principal = ctx.roleArn(app);
  const policies = ctx.rolePolicies(app);
  hops.push(await ctx.iamHop("app servers may ssm:GetParameter the token", { principal, action: "ssm:GetParameter", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: policies }));
  const tunnelKey = tunnelKeyRequests(ctx, app);
  if (!tunnelKey) return [...hops, hop("the token is encrypted with a key of the Cloudflare stack", false, "the parameter names no key of that stack")];
  // kms:Decrypt through SSM, as the GetParameter call makes it: the encryption context names the parameter.
  const decrypt = (parameterArn: string) => tunnelKey("kms:Decrypt", parameterArn);
  hops.push(await ctx.iamHop("app servers may decrypt it through SSM (kms:Decrypt with the parameter's encryption context)", decrypt(arn)));
  // The grant is pinned to this parameter: the same key used for another parameter is refused.
  hops.push(await ctx.iamHop("but not for another parameter encrypted with the same key", decrypt(`${arn}-other`), "Denied"));
  return hops;
}

/**
 * Whom the Access policies let in, evaluated against the people the settings declare: each
 * include rule must be one of the listed emails, email domains or groups, with the decision
 * "allow"; `everyone`, IP ranges, service tokens or any other rule let in people nobody listed.
 * https://developers.cloudflare.com/cloudflare-one/access-controls/policies/
 */
function accessDecisionHop(access: NonNullable<ProofContext["env"]["cloudflareTunnel"]>["access"], policies: Record<string, any>[]): Hop {
  const name = "Access admits only the people the settings list";
  const strays: string[] = [];
  for (const policy of policies) {
    if (policy.decision !== "allow") strays.push(`decision ${policy.decision}`);
    for (const include of (policy.include ?? []) as Record<string, any>[]) {
      const [kind, value] = Object.entries(include)[0] ?? ["(empty)", {}];
      const ok =
        (kind === "email" && access.emails.includes(value?.email)) ||
        (kind === "email_domain" && access.emailDomains.includes(value?.domain)) ||
        (kind === "group" && access.groups.includes(value?.id));
      if (!ok) strays.push(`${kind}${value && typeof value === "object" && Object.keys(value).length ? ` ${JSON.stringify(value)}` : ""}`);
    }
  }
  return hop(name, strays.length === 0 && policies.length > 0, strays.length === 0 ? `include rules: ${[...access.emails, ...access.emailDomains.map((d) => `@${d}`), ...access.groups.map((g) => `group ${g}`)].join(", ")}` : `the policy also lets in ${strays.join(", ")}, which the settings do not list`);
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

/** cloudflared is installed from a verified source (or found on the image) and runs as a service: from the boot facts. */
function cloudflaredHops(app: InstanceKind): Hop[] {
  const facts = bootFactsOf(app);
  const hops: Hop[] = [bootMatchesHop(app, facts)];
  const runs = partsWith(facts, "runs").filter(({ value }) => value.some((r) => /^cloudflared\b.*\btunnel run\b/.test(r.command)));
  if (runs.length === 0) {
    const opaque = opaqueParts(facts);
    hops.push(opaque.length > 0 ? unproven("the app servers run cloudflared", `no part of the project's runs it; your own boot script (${opaque.map((p) => p.name).join(", ")}) might, which the verifier cannot tell`) : hop("the app servers run cloudflared", false, "no boot part runs `cloudflared tunnel run`"));
    return hops;
  }
  const { part } = runs[0];
  const pkg = part.packages.find((p) => p.name === "cloudflared");
  // Every package source a boot part can name is checked (signature, sha256, or the image's own copy).
  hops.push(hop("cloudflared is installed from a verified source", pkg !== undefined, pkg ? `${pkg.from}: ${pkg.verification}${pkg.version ? ` (release ${pkg.version})` : ""}; a copy already on the image is used as is` : `boot part ${part.name} installs no cloudflared package`));
  hops.push(hop("cloudflared runs as a service", part.units.some((u) => u.enabled && runs[0].value.some((r) => r.unit === u.name)), `boot part ${part.name}: ${runs[0].value.map((r) => `${r.unit} runs ${r.command}`).join("; ")}`));
  return hops;
}

/** Every replica presents one host key, so engineers keep host checking on: it lives in SSM, created once, never replaced by a server. */
async function hostKeyHops(ctx: ProofContext, app: InstanceKind): Promise<Hop[]> {
  const shared = partsWith(bootFactsOf(app), "sharedHostKey")[0];
  const name = "every server behind the tunnel presents the same host key";
  if (!shared) return [hop(name, false, "no boot part shares a host key: each replica (and each instance refresh) shows engineers a different one, which OpenSSH refuses")];
  const arn = ssmParameterArn(ctx.region, ctx.account, shared.value.parameter);
  const put = (overwrite: string) => ({ principal: ctx.roleArn(app), action: "ssm:PutParameter", resource: arn, resourceAccount: ctx.account, context: { "ssm:Overwrite": overwrite }, identityPolicies: ctx.rolePolicies(app) });
  const hops: Hop[] = [];
  // The key is encrypted with the tunnel's KMS key (aws/ssm would let every principal of the account decrypt it).
  const kms = tunnelKeyRequests(ctx, app);
  if (kms) {
    hops.push(await ctx.iamHop("app servers may encrypt the shared host key with the tunnel's key (through SSM)", kms("kms:Encrypt", arn)));
    hops.push(await ctx.iamHop("and decrypt it", kms("kms:Decrypt", arn)));
  } else {
    hops.push(hop("the shared host key is encrypted with a key of the Cloudflare stack", false, "the Cloudflare stack has no encrypted parameter whose key the servers could use"));
  }
  return [
    hop(name, true, `boot part ${shared.part.name}: one key in SSM ${shared.value.parameter} (never in Terraform), created by the first server`),
    ...hops,
    await ctx.iamHop("app servers may read the shared host key", { principal: ctx.roleArn(app), action: "ssm:GetParameter", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: ctx.rolePolicies(app) }),
    await ctx.iamHop("a server may store the first host key", put("false")),
    await ctx.iamHop("but never replace it (ssm:Overwrite)", put("true"), "Denied"),
  ];
}

/** sshd accepts the engineer: the Access application's CA reaches sshd for their own account (short-lived certificates), or their keys are installed. */
async function credentialHops(ctx: ProofContext, application: ResourceRef | undefined): Promise<Hop[]> {
  const cf = ctx.cloudflare!;
  const app = ctx.appServers!;
  const name = "sshd accepts the engineer's credentials";
  const facts = bootFactsOf(app);
  const ssh = partsWith(facts, "ssh");
  if (ssh.length === 0) {
    if (!facts.matches) return [bootMatchesHop(app, facts)];
    return [hop(name, false, "no boot part sets up sshd for the engineers (no trusted CA, no listed keys): Access lets engineers through to an sshd that refuses them")];
  }
  const { part, value: sshFacts } = ssh[0];
  const hops: Hop[] = [];
  hops.push(hop("root cannot log in over SSH", sshFacts.rootLogin === false, `boot part ${part.name} sets PermitRootLogin no`));
  hops.push(...(await hostKeyHops(ctx, app)));
  const keyLogins = sshFacts.logins.filter((l) => l.credential === "public-key");
  if (keyLogins.length > 0) {
    for (const login of keyLogins) hops.push(hop(`the listed keys log in as ${login.user}`, part.users.includes(login.user), `${login.credential === "public-key" ? login.keys.join(", ") : ""} → ${login.user} (${part.users.includes(login.user) ? "created at boot" : "never created"})`));
    return hops;
  }
  const certificate = cf.all("cloudflare_zero_trust_access_short_lived_certificate").find((c) => application && cf.pointsAt(c.config.app_id, application));
  hops.push(hop("Access signs short-lived certificates for the application", Boolean(certificate), certificate ? "cloudflare_zero_trust_access_short_lived_certificate for the SSH application" : "no short-lived certificate CA for this application: engineers get no certificate sshd trusts"));
  const caParameter = cf.all("aws_ssm_parameter").find((p) => certificate && String(p.config.value ?? "").includes(`${certificate.address}.public_key`));
  const certificateLogins = sshFacts.logins.filter((l): l is Extract<typeof l, { credential: "certificate" }> => l.credential === "certificate");
  const read = caParameter !== undefined && certificateLogins.every((l) => l.caParameter === caParameter.config.name);
  hops.push(hop("the CA public key reaches sshd (SSM parameter, fetched at boot and every 5 minutes)", read, caParameter ? `parameter ${caParameter.config.name}${read ? `, trusted by sshd for ${certificateLogins.map((l) => l.user).join(", ")}` : ", but sshd trusts another"}` : "the Cloudflare stack writes the CA nowhere the servers read"));
  if (caParameter) {
    const arn = ssmParameterArn(ctx.region, ctx.account, String(caParameter.config.name));
    hops.push(await ctx.iamHop("app servers may read the CA parameter", { principal: ctx.roleArn(app), action: "ssm:GetParameter", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: ctx.rolePolicies(app) }));
  }
  // The CA's scope: only the accounts the settings name, never a system account.
  const tunnel = ctx.env.cloudflareTunnel!;
  const declared = new Set(sshAccounts(tunnel));
  const stray = certificateLogins.filter((l) => !declared.has(l.user) || isReservedLinuxUser(l.user));
  hops.push(hop("the CA is trusted only for the engineers' own accounts (never root or ec2-user)", stray.length === 0 && certificateLogins.length > 0, stray.length === 0 ? `TrustedUserCAKeys inside Match User ${certificateLogins.map((l) => l.user).join(",")} only` : `sshd trusts the CA for ${stray.map((l) => l.user).join(", ")}, which the settings do not name`));
  for (const person of sshPeople(tunnel)) {
    const login = certificateLogins.find((l) => l.user === person.unixUser);
    const own = login !== undefined && Array.isArray(login.principals) && login.principals.length === 1 && login.principals[0] === person.principal && part.users.includes(person.unixUser);
    hops.push(hop(`${person.email} logs in as their own account ${person.unixUser}`, own, login ? `certificate principal ${Array.isArray(login.principals) ? login.principals.join(",") : "any"} → ${login.user}${part.users.includes(login.user) ? " (created at boot)" : " (never created)"}` : `no certificate login for ${person.unixUser}`));
  }
  const shared = certificateLogins.filter((l) => l.principals === "any");
  for (const login of shared) {
    hops.push(hop(`people admitted by domain or group share ${login.user}`, tunnel.ssh.sharedUser === login.user, tunnel.ssh.sharedUser === login.user ? `ssh.sharedUser ${login.user}: every certificate the CA signed; the key id in sshd's log names the person` : `${login.user} admits every certificate, but the settings name no shared account`));
  }
  return hops;
}

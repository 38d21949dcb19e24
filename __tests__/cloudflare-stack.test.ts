import { Testing } from "cdktf";
import { ZeroTrustTunnelCloudflared } from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared";
import { renderPartScript } from "../modules/common/boot/render-user-data";
import { bootManifestOf, bootPartsOf } from "./helpers/boot";
import { tunnelTokenParameterName } from "../modules/cloudflare-tunnel/token-parameter";
import type { EnvironmentConfig } from "../src/config/load";
import { CloudflareEnvironmentStack } from "../src/stacks/cloudflare-stack";
import { errorFor, exampleWith } from "./helpers/environment";
import { resourcesOf, synthAws } from "./helpers/synth";

function synthCloudflare(env: EnvironmentConfig) {
  const stack = new CloudflareEnvironmentStack(Testing.app(), env, { offline: false, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "." });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

describe("the <env>-cloudflare stack (seed 000)", () => {
  const { json, tf } = synthCloudflare(exampleWith());

  it("creates a remotely managed tunnel with no secret in the configuration", () => {
    expect(json).toHaveResourceWithProperties(ZeroTrustTunnelCloudflared, { name: "private-access-example", config_src: "cloudflare", account_id: "0123456789abcdef0123456789abcdef" });
    const [tunnel] = Object.values(resourcesOf(tf, "cloudflare_zero_trust_tunnel_cloudflared")) as any[];
    expect(tunnel.tunnel_secret).toBeUndefined();
    expect(tf.provider.cloudflare).toEqual([{}]);
  });

  it("configures the ingress in order: SSH hostname to localhost:22, then the 404 catch-all", () => {
    const [config] = Object.values(resourcesOf(tf, "cloudflare_zero_trust_tunnel_cloudflared_config")) as any[];
    expect(config.config.ingress).toEqual([{ hostname: "ssh.example.com", service: "ssh://localhost:22" }, { service: "http_status:404" }]);
    expect(config.tunnel_id).toMatch(/^\$\{cloudflare_zero_trust_tunnel_cloudflared\.tunnel_\w+\.id\}$/);
  });

  it("points a proxied CNAME at the tunnel for each hostname", () => {
    const records = Object.values(resourcesOf(tf, "cloudflare_dns_record")) as any[];
    expect(records).toEqual([
      expect.objectContaining({ name: "ssh.example.com", type: "CNAME", proxied: true, zone_id: "fedcba9876543210fedcba9876543210", content: expect.stringMatching(/^\$\{cloudflare_zero_trust_tunnel_cloudflared\.tunnel_\w+\.id\}\.cfargotunnel\.com$/) }),
    ]);
  });

  it("puts Cloudflare Access with MFA in front of every hostname", () => {
    const [policy] = Object.values(resourcesOf(tf, "cloudflare_zero_trust_access_policy")) as any[];
    expect(policy).toMatchObject({ decision: "allow", include: [{ email: { email: "alice@partner.example" } }, { email: { email: "bob@partner.example" } }], require: [{ auth_method: { auth_method: "mfa" } }], session_duration: "8h" });
    const apps = Object.values(resourcesOf(tf, "cloudflare_zero_trust_access_application")) as any[];
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ type: "ssh", destinations: [{ type: "public", uri: "ssh.example.com" }] });
    expect(apps[0].policies[0].id).toContain("cloudflare_zero_trust_access_policy.");
    // Only the listed provider (one that reports MFA), and straight to it.
    expect(apps[0]).toMatchObject({ allowed_idps: ["00000000-0000-4000-8000-000000000000"], auto_redirect_to_identity: true });
  });

  it("has Access sign a short-lived SSH certificate per login and publishes the CA's public key where the servers read it", () => {
    const [certificate] = Object.values(resourcesOf(tf, "cloudflare_zero_trust_access_short_lived_certificate")) as any[];
    expect(certificate.app_id).toMatch(/^\$\{cloudflare_zero_trust_access_application\.tunnel_access-ssh-example-com_\w+\.id\}$/);
    const ca = (Object.values(resourcesOf(tf, "aws_ssm_parameter")) as any[]).find((p) => p.type === "String");
    expect(ca).toMatchObject({ name: "/private-access/example/cloudflared/ssh-ca-public-key" });
    expect(ca.value).toMatch(/cloudflare_zero_trust_access_short_lived_certificate\.tunnel_ssh-ca-ssh-example-com_\w+\.public_key/);
  });

  it("hands the token to AWS as a KMS-encrypted SecureString under the known name, write-only (never the parameter's value in state)", () => {
    const parameter = (Object.values(resourcesOf(tf, "aws_ssm_parameter")) as any[]).find((p) => p.type === "SecureString");
    expect(parameter).toMatchObject({ name: "/private-access/example/cloudflared/token", value_wo_version: 1 });
    expect(parameter.key_id).toContain("aws_kms_key.");
    expect(parameter.value).toBeUndefined();
    expect(parameter.value_wo).toMatch(/^\$\{data\.cloudflare_zero_trust_tunnel_cloudflared_token\.\w+\.token\}$/);
  });

  it("replaces (so rewrites) the token parameter when the tunnel's id changes: a new tunnel's token never waits for a tokenVersion bump", () => {
    const [name, parameter] = (Object.entries(resourcesOf(tf, "aws_ssm_parameter")) as [string, any][]).find(([, p]) => p.type === "SecureString")!;
    expect(name).toContain("token-parameter");
    const [tunnelName] = Object.keys(resourcesOf(tf, "cloudflare_zero_trust_tunnel_cloudflared"));
    // A bare reference: Terraform refuses "${...}" in replace_triggered_by (cdktf writes that for a resource given there).
    expect(parameter.lifecycle).toEqual({ replace_triggered_by: [`cloudflare_zero_trust_tunnel_cloudflared.${tunnelName}.id`] });
    expect(parameter.value_wo_version).toBe(1);
    const bumped = synthCloudflare(exampleWith((d) => (d.cloudflareTunnel.tokenVersion = 3))).tf;
    expect((Object.values(resourcesOf(bumped, "aws_ssm_parameter")) as any[]).find((p) => p.type === "SecureString").value_wo_version).toBe(3);
  });

  it("declares Terraform >= 1.11, which write-only arguments (value_wo) need", () => {
    expect(json).toContain('"value_wo"');
    expect(tf.terraform.required_version).toBe(">= 1.11");
  });

  it("keeps the SSH CA in SSM for the servers and outputs no copy of it in remote mode", () => {
    expect(tf.output.ssh_ca_public_keys).toBeUndefined();
  });

  it("outputs the ~/.ssh/config snippet cloudflared prints for short-lived certificates", () => {
    expect(tf.output.ssh_config_snippet.value).toBe(
      '# Log in as your own account (alice, bob): ssh <account>@ssh.example.com\nMatch host ssh.example.com exec "cloudflared access ssh-gen --hostname %h"\n  ProxyCommand cloudflared access ssh --hostname %h\n  IdentityFile ~/.cloudflared/%h-cf_key\n  CertificateFile ~/.cloudflared/%h-cf_key-cert.pub',
    );
  });

  it("with public keys instead, creates no CA and the snippet is a plain Host block", () => {
    const keys = synthCloudflare(exampleWith((d) => (d.cloudflareTunnel.ssh = { method: "public-keys", unixUser: "engineer", publicKeys: [{ name: "alice", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY alice@laptop" }] }))).tf;
    expect(resourcesOf(keys, "cloudflare_zero_trust_access_short_lived_certificate")).toEqual({});
    expect(keys.output.ssh_config_snippet.value).toBe("Host ssh.example.com\n  ProxyCommand cloudflared access ssh --hostname %h\n  User engineer");
  });

  it("gives DNS and Access the punycode form of a non-ASCII hostname (cloudflared converts it the same way)", () => {
    const idn = synthCloudflare(exampleWith((d) => (d.cloudflareTunnel.ingress[0].hostname = "테스트.example.com"))).tf;
    const [record] = Object.values(resourcesOf(idn, "cloudflare_dns_record")) as any[];
    expect(record.name).toBe("xn--9t4b11yi5a.example.com");
    const [app] = Object.values(resourcesOf(idn, "cloudflare_zero_trust_access_application")) as any[];
    expect(app.destinations).toEqual([{ type: "public", uri: "xn--9t4b11yi5a.example.com" }]);
  });

  it("passes originRequest settings to the provider in its own names, durations in seconds", () => {
    const withSettings = synthCloudflare(
      exampleWith((d) => {
        d.cloudflareTunnel.originRequest = { connectTimeout: "1m30s", noHappyEyeballs: true };
        d.cloudflareTunnel.ingress[0].originRequest = { tcpKeepAlive: "45s" };
      }),
    ).tf;
    const [config] = Object.values(resourcesOf(withSettings, "cloudflare_zero_trust_tunnel_cloudflared_config")) as any[];
    expect(config.config.origin_request).toEqual({ connect_timeout: 90, no_happy_eyeballs: true });
    expect(config.config.ingress[0].origin_request).toEqual({ tcp_keep_alive: 45 });
  });

  it("in local mode takes the tunnel secret from a sensitive variable and renders config.yml", () => {
    const local = synthCloudflare(exampleWith((d) => (d.cloudflareTunnel.mode = "local"))).tf;
    const [tunnel] = Object.values(resourcesOf(local, "cloudflare_zero_trust_tunnel_cloudflared")) as any[];
    expect(tunnel).toMatchObject({ config_src: "local", tunnel_secret: "${var.tunnel_secret}" });
    expect(local.variable.tunnel_secret.sensitive).toBe(true);
    expect(resourcesOf(local, "aws_ssm_parameter")).toEqual({});
    expect(Object.values(local.output).some((o: any) => String(o.value).includes("credentials-file: /etc/cloudflared/"))).toBe(true);
  });

  it("in local mode outputs the SSH CA public key(s) for the sshd next to your cloudflared (nothing on AWS reads SSM)", () => {
    const local = synthCloudflare(
      exampleWith((d) => {
        d.cloudflareTunnel.mode = "local";
        d.cloudflareTunnel.access.emails = ["alice@partner.example"];
      }),
    ).tf;
    const [certificate] = Object.keys(resourcesOf(local, "cloudflare_zero_trust_access_short_lived_certificate"));
    expect(local.output.ssh_ca_public_keys.value).toBe(`\${join("\\n", [cloudflare_zero_trust_access_short_lived_certificate.${certificate}.public_key])}`);
    expect(local.output.ssh_ca_public_keys.sensitive).toBeUndefined();
    const description: string = local.output.ssh_ca_public_keys.description;
    expect(description).toContain("TrustedUserCAKeys");
    expect(description).toContain('"Match User" block for the engineers\' own accounts (alice (principal alice))');
    expect(description).toContain("host running cloudflared");
    expect(description).toContain("AuthorizedPrincipalsFile");
    expect(description).toContain("PermitRootLogin no");
    // No token, so no write-only argument and no version requirement on its account.
    expect(local.terraform.required_version).toBeUndefined();
  });

  it("in local mode with public keys there is no CA and no CA output", () => {
    const local = synthCloudflare(
      exampleWith((d) => {
        d.cloudflareTunnel.mode = "local";
        d.cloudflareTunnel.ssh = { method: "public-keys", unixUser: "engineer", publicKeys: [{ name: "alice", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY alice@laptop" }] };
      }),
    ).tf;
    expect(local.output.ssh_ca_public_keys).toBeUndefined();
  });
});

describe("the AWS side reads what the Cloudflare side writes", () => {
  const env = exampleWith();
  const name = tunnelTokenParameterName("private-access", "example");
  const synthesized = synthAws(env);
  const aws = synthesized.tf;

  it("uses the same parameter name in the app servers' user data and IAM policy", () => {
    const cloudflare = synthCloudflare(env).tf;
    const parameter = (Object.values(resourcesOf(cloudflare, "aws_ssm_parameter")) as any[]).find((p) => p.type === "SecureString");
    expect(parameter.name).toBe(name);
    const cloudflared = bootManifestOf(synthesized).parts.find((p) => p.name === "cloudflared")!;
    expect(cloudflared.facts.readsParameters).toEqual([name]);
    const runner = bootPartsOf(synthesized).find((p) => p.name === "cloudflared")!.files!.find((f) => f.path.endsWith("cloudflared-run"))!;
    expect(runner.content).toContain(`--name ${name} --with-decryption`);
    const granted = Object.entries(aws.data!.aws_iam_policy_document).find(([n]) => n.includes("app-servers_instance-role_granted"))![1] as any;
    const arn = `arn:aws:ssm:ap-northeast-2:123456789012:parameter${name}`;
    expect(granted.statement.find((s: any) => s.sid === "ReadTunnelToken")).toEqual({ sid: "ReadTunnelToken", effect: "Allow", actions: ["ssm:GetParameter"], resources: [arn] });
    expect(granted.statement.find((s: any) => s.sid === "DecryptTunnelTokenThroughSsm").condition).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["ssm.ap-northeast-2.amazonaws.com"] },
      { test: "StringEquals", variable: "kms:EncryptionContext:PARAMETER_ARN", values: [arn] },
      { test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: ["alias/private-access-example-cloudflared-token"] },
    ]);
    const [alias] = Object.values(resourcesOf(cloudflare, "aws_kms_alias")) as any[];
    expect(alias.name).toBe("alias/private-access-example-cloudflared-token");
  });

  it("installs cloudflared from Cloudflare's signed repository with its current key (not the retired one), unprivileged, token fetched at start", () => {
    const part = bootPartsOf(synthesized).find((p) => p.name === "cloudflared")!;
    const source = part.packages![0].source;
    expect(source.kind).toBe("repository");
    if (source.kind !== "repository") throw new Error("unreachable");
    expect(source.repoFile.content).toContain("baseurl=https://pkg.cloudflare.com/cloudflared/rpm");
    expect(source.repoFile.content).toContain("gpgcheck=1");
    expect(source.repoFile.content).toContain("gpgkey=https://pkg.cloudflare.com/cloudflare-main.gpg");
    // The repository keeps only the newest release: no version is asked of it.
    expect(renderPartScript(part)).toContain("retry dnf install -y cloudflared\n");
    expect(renderPartScript(part)).not.toMatch(/cloudflared-\d{4}\./);
    expect(part.units![0].content).toContain("DynamicUser=yes");
    expect(part.files![0].content).toContain('TUNNEL_TOKEN="$(aws ssm get-parameter');
    const worldIngress = (Object.values(resourcesOf(aws, "aws_vpc_security_group_ingress_rule")) as any[]).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(worldIngress).toEqual([]);
  });

  it("a pinned release comes from its release asset, checked against the recorded sha256 before install", () => {
    const sha256 = { arm64: "a".repeat(64), x86_64: "b".repeat(64) };
    const pinnedStack = synthAws(exampleWith((d) => (d.cloudflareTunnel.cloudflared = { version: "2025.8.1", sha256 })));
    const part = bootPartsOf(pinnedStack).find((p) => p.name === "cloudflared")!;
    const script = renderPartScript(part);
    expect(script).toContain("aarch64) url=https://github.com/cloudflare/cloudflared/releases/download/2025.8.1/cloudflared-linux-aarch64.rpm; sha256=" + "a".repeat(64));
    expect(script).toContain("x86_64) url=https://github.com/cloudflare/cloudflared/releases/download/2025.8.1/cloudflared-linux-x86_64.rpm; sha256=" + "b".repeat(64));
    expect(script.indexOf("sha256sum --check --strict")).toBeLessThan(script.indexOf("dnf install -y /var/lib/private-access/downloads/"));
    expect(bootManifestOf(pinnedStack).parts.find((p) => p.name === "cloudflared")!.packages[0]).toMatchObject({ source: "release-asset", version: "2025.8.1" });
  });

  it("lets the app servers reach Cloudflare's edge: TCP and UDP 7844 (HTTP/2 and QUIC) and TCP 443", () => {
    const egress = (Object.entries(resourcesOf(aws, "aws_vpc_security_group_egress_rule")) as [string, any][])
      .filter(([n]) => n.startsWith("web-tier_app-sg_"))
      .map(([, r]) => r)
      .filter((r) => r.cidr_ipv4 === "0.0.0.0/0")
      .map((r) => `${r.ip_protocol} ${r.from_port}`)
      .sort();
    expect(egress).toEqual(["tcp 443", "tcp 7844", "udp 7844"]);
  });

  it("gives each listed person their own account, trusting the Access CA only for those accounts, with root login off", () => {
    const part = bootPartsOf(synthesized).find((p) => p.name === "ssh-access")!;
    expect(part.users).toEqual([
      { name: "alice", comment: "alice@partner.example (Cloudflare Access)" },
      { name: "bob", comment: "bob@partner.example (Cloudflare Access)" },
    ]);
    const dropIn = part.files!.find((f) => f.path === "/etc/ssh/sshd_config.d/40-private-access.conf")!.content;
    // TrustedUserCAKeys only inside the Match block: outside it sshd would trust the CA for every account.
    const [global, ...blocks] = dropIn.split(/^Match /m);
    expect(global).toContain("PermitRootLogin no");
    expect(global).not.toContain("TrustedUserCAKeys");
    expect(blocks[0]).toMatch(/^User alice,bob\n/);
    expect(blocks[0]).toContain("TrustedUserCAKeys /etc/ssh/private-access/cloudflare-access-ca.pub");
    expect(blocks[0]).toContain("AuthorizedPrincipalsFile /etc/ssh/private-access/principals/%u");
    expect(blocks.at(-1)).toBe("all\n");
    expect(part.files!.filter((f) => f.path.includes("/principals/")).map((f) => [f.path, f.content])).toEqual([
      ["/etc/ssh/private-access/principals/alice", "alice\n"],
      ["/etc/ssh/private-access/principals/bob", "bob\n"],
    ]);
    const fetch = part.files!.find((f) => f.path.endsWith("fetch-access-ca"))!.content;
    expect(fetch).toContain("--name /private-access/example/cloudflared/ssh-ca-public-key ");
    // The CA fetch never holds up sshd (which EIC and the bastion use too).
    expect(part.units!.map((u) => u.content).join("\n")).not.toMatch(/Before=sshd/);
    const granted = Object.entries(aws.data!.aws_iam_policy_document).find(([n]) => n.includes("app-servers_instance-role_granted"))![1] as any;
    expect(granted.statement.find((s: any) => s.sid === "ReadAccessSshCa").resources).toEqual(["arn:aws:ssm:ap-northeast-2:123456789012:parameter/private-access/example/cloudflared/ssh-ca-public-key"]);
  });

  it("a whole domain shares one account only when the environment file names it", () => {
    const shared = synthAws(exampleWith((d) => {
      d.cloudflareTunnel.access = { ...d.cloudflareTunnel.access, emails: [], emailDomains: ["partner.example"] };
      d.cloudflareTunnel.ssh.sharedUser = "partner";
    }));
    const facts = bootManifestOf(shared).parts.find((p) => p.name === "ssh-access")!.facts.ssh!;
    expect(facts.logins).toEqual([{ user: "partner", credential: "certificate", caParameter: "/private-access/example/cloudflared/ssh-ca-public-key", principals: "any" }]);
  });

  it("the servers may create the shared host key in SSM but never overwrite it", () => {
    const granted = Object.entries(aws.data!.aws_iam_policy_document).find(([n]) => n.includes("app-servers_instance-role_granted"))![1] as any;
    expect(granted.statement.find((s: any) => s.sid === "CreateSharedHostKeyOnce")).toEqual({
      sid: "CreateSharedHostKeyOnce",
      effect: "Allow",
      actions: ["ssm:PutParameter"],
      resources: ["arn:aws:ssm:ap-northeast-2:123456789012:parameter/private-access/example/ssh/shared-host-key", "arn:aws:ssm:ap-northeast-2:123456789012:parameter/private-access/example/ssh/shared-host-key.pub"],
      condition: [{ test: "StringEquals", variable: "ssm:Overwrite", values: ["false"] }],
    });
    // The key is made on the servers: nothing of it is in the synthesized JSON.
    expect(JSON.stringify(aws)).not.toMatch(/PRIVATE KEY/);
  });
});

describe("tunnel bad input gets one line naming the field", () => {
  const F = "environments/example.yaml";
  it.each<[string, (d: any) => void, string]>([
    ["a catch-all that is not last", (d) => d.cloudflareTunnel.ingress.unshift({ service: "http_status:404" }), `${F}: cloudflareTunnel.ingress[0].hostname rule 1 of 3 matches every request (hostname "", no path): cloudflared allows that only for the last rule`],
    ["no catch-all", (d) => d.cloudflareTunnel.ingress.pop(), `${F}: cloudflareTunnel.ingress[0].hostname the last rule has hostname "ssh.example.com": cloudflared needs the last rule to match everything`],
    ["a hostname outside the zone", (d) => (d.cloudflareTunnel.ingress[0].hostname = "ssh.other.org"), `${F}: cloudflareTunnel.ingress[0].hostname (project rule) hostname "ssh.other.org" is not in the zone example.com`],
    ["a hostname with a port", (d) => (d.cloudflareTunnel.ingress[0].hostname = "ssh.example.com:22"), `${F}: cloudflareTunnel.ingress[0].hostname hostname "ssh.example.com:22" carries a port (":22"): cloudflared refuses hostnames with a port`],
    ["a service with a path (even a trailing slash)", (d) => (d.cloudflareTunnel.ingress[0].service = "ssh://localhost:22/"), `${F}: cloudflareTunnel.ingress[0].service service "ssh://localhost:22/" has a path ("/"): cloudflared refuses`],
    ["a status code out of range", (d) => (d.cloudflareTunnel.ingress[1].service = "http_status:42"), `${F}: cloudflareTunnel.ingress[1].service service "http_status:42" has status 42: cloudflared accepts status codes from 100 to 999`],
    ["Access allowing nobody", (d) => (d.cloudflareTunnel.access.emails = []), `${F}: cloudflareTunnel.access must allow at least one email, email domain or group`],
    ["a malformed account id", (d) => (d.cloudflareTunnel.accountId = "acme"), `${F}: cloudflareTunnel.accountId "acme" must be a Cloudflare account id (32 hex characters)`],
    ["remote mode without app servers", (d) => delete d.webTier, `${F}: cloudflareTunnel.mode "remote" runs cloudflared on the app servers and needs webTier`],
    ["a tunnel with no route to the internet", (d) => (d.network.natGateways = "none"), `${F}: cloudflareTunnel.mode "remote" runs cloudflared on the app servers, which need a route to the internet`],
    ["MFA with no identity provider named", (d) => (d.cloudflareTunnel.access.identityProviders = []), `${F}: cloudflareTunnel.access.requireMfa needs access.identityProviders: MFA is only seen when the identity provider sends an amr claim`],
    ["MFA through the one-time PIN", (d) => (d.cloudflareTunnel.access.identityProviders = [{ type: "onetimepin", id: "00000000-0000-4000-8000-000000000001" }]), `${F}: cloudflareTunnel.access.identityProviders[0].type "onetimepin" never reports MFA (no amr claim)`],
    ["an identity provider id that is not one", (d) => (d.cloudflareTunnel.access.identityProviders = [{ type: "okta", id: "okta" }]), `${F}: cloudflareTunnel.access.identityProviders[0].id "okta" must be a Cloudflare identity provider id`],
    ["public keys without a key", (d) => (d.cloudflareTunnel.ssh = { method: "public-keys" }), `${F}: cloudflareTunnel.ssh.publicKeys must list at least one engineer's key`],
    ["a public key that is not one", (d) => (d.cloudflareTunnel.ssh = { method: "public-keys", publicKeys: [{ name: "alice", key: "hunter2" }] }), `${F}: cloudflareTunnel.ssh.publicKeys[0].key "hunter2" must be one OpenSSH public key line`],
    ["root as the engineers' user", (d) => (d.cloudflareTunnel.ssh = { method: "public-keys", unixUser: "root", publicKeys: [] }), `${F}: cloudflareTunnel.ssh.unixUser "root" must not be root`],
    ["a person mapped to ec2-user (sudo)", (d) => (d.cloudflareTunnel.ssh.people = [{ email: "alice@partner.example", unixUser: "ec2-user" }]), `${F}: cloudflareTunnel.ssh.people[0].unixUser "ec2-user" is an account of the image or the system`],
    ["a mailbox named after a system account", (d) => (d.cloudflareTunnel.access.emails = ["ec2-user@partner.example"]), `${F}: cloudflareTunnel.access.emails[0] would log in as the system account "ec2-user"`],
    ["two people with one local part", (d) => (d.cloudflareTunnel.access.emails = ["alice@partner.example", "alice@other.example"]), `${F}: cloudflareTunnel.access.emails[1] has the same local part "alice" as alice@partner.example`],
    ["two people on one account", (d) => (d.cloudflareTunnel.ssh.people = [{ email: "alice@partner.example" }, { email: "bob@partner.example", unixUser: "alice" }]), `${F}: cloudflareTunnel.ssh.people[1].unixUser "alice" is already alice@partner.example's account`],
    ["a person Access never admits", (d) => (d.cloudflareTunnel.ssh.people = [{ email: "carol@elsewhere.example" }]), `${F}: cloudflareTunnel.ssh.people[0].email carol@elsewhere.example is not admitted by access.emails`],
    ["a domain with no account for its people", (d) => (d.cloudflareTunnel.access = { ...d.cloudflareTunnel.access, emails: [], emailDomains: ["partner.example"] }), `${F}: cloudflareTunnel.ssh.sharedUser is needed: access.emailDomains or access.groups admit people who have no account of their own`],
    ["a shared account that is root", (d) => (d.cloudflareTunnel.ssh.sharedUser = "root"), `${F}: cloudflareTunnel.ssh.sharedUser "root" must not be root`],
    ["a pinned cloudflared without its sha256", (d) => (d.cloudflareTunnel.cloudflared = { version: "2025.8.1" }), `${F}: cloudflareTunnel.cloudflared.sha256 is needed with version "2025.8.1"`],
    ["a cloudflared version that is not one", (d) => (d.cloudflareTunnel.cloudflared = { version: "newest" }), `${F}: cloudflareTunnel.cloudflared.version "newest" must be "latest" or a cloudflared release such as "2025.8.1"`],
    ["a sha256 that is not one", (d) => (d.cloudflareTunnel.cloudflared = { version: "2025.8.1", sha256: { arm64: "abc", x86_64: "b".repeat(64) } }), `${F}: cloudflareTunnel.cloudflared.sha256.arm64 "abc" must be a sha256`],
    ["a duration cloudflared cannot read", (d) => (d.cloudflareTunnel.originRequest = { connectTimeout: 30 }), `${F}: cloudflareTunnel.originRequest.connectTimeout`],
    ["a setting the provider cannot carry in remote mode", (d) => (d.cloudflareTunnel.ingress[0].originRequest = { bastionMode: true }), `${F}: cloudflareTunnel.ingress[0].originRequest.bastionMode (project rule) cannot be set in remote mode`],
  ])("%s", (_what, edit, expected) => {
    expect(errorFor(edit).split("\n")).toContainEqual(expect.stringContaining(expected));
  });
});

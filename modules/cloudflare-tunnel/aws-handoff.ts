import { partitionOf } from "../common/arn";
import type { PolicyGrantee, UserDataSink } from "../common/contracts";
import type { ManagedSecurityGroup } from "../network/security-group";
import { tunnelTokenParameterArn } from "./token-parameter";

/** How engineers' SSH credentials reach sshd on the servers. */
export type SshCredentials =
  | {
      readonly method: "short-lived-certificates";
      /** The Unix user engineers log in as. */
      readonly unixUser: string;
      /** Certificate principals (email prefixes) allowed as that user; empty: any certificate the application's CA signed. */
      readonly principals: readonly string[];
      /** The SSM parameter the Cloudflare stack writes the Access application's CA public key to. */
      readonly caParameterName: string;
    }
  | { readonly method: "public-keys"; readonly unixUser: string; readonly publicKeys: readonly { readonly name: string; readonly key: string }[] };

export interface TunnelHandoffProps {
  readonly region: string;
  readonly accountId: string;
  readonly parameterName: string;
  /** Alias (without `alias/`) of the key the parameter is encrypted with. */
  readonly keyAlias: string;
  readonly servers: UserDataSink & PolicyGrantee & { readonly securityGroup: ManagedSecurityGroup };
  /** The cloudflared release to install from Cloudflare's signed repository. */
  readonly cloudflaredVersion: string;
  readonly ssh: SshCredentials;
}

/**
 * The AWS side of the tunnel: the app servers install cloudflared from Cloudflare's signed package
 * repository at a pinned version and run it unprivileged; its token is read from the SSM parameter
 * at every start (never written to disk or user data). The servers may reach Cloudflare's edge
 * (TCP and UDP 7844, TCP 443) and read that one parameter. sshd is set up for the engineers:
 * trusting the Access application's short-lived certificate CA, or their listed public keys.
 * No inbound port is opened.
 */
export function handTunnelToServers(props: TunnelHandoffProps): void {
  const { region, accountId, parameterName, keyAlias, servers } = props;
  if (!/^\d{4}\.\d{1,2}\.\d{1,3}$/.test(props.cloudflaredVersion)) throw new Error(`cloudflaredVersion must be a release such as 2025.8.1, got "${props.cloudflaredVersion}"`);
  if (props.ssh.unixUser === "root") throw new Error("ssh.unixUser must not be root");

  // cloudflared dials out: QUIC on UDP 7844, HTTP/2 on TCP 7844 as fallback, and HTTPS for its API.
  // https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/deploy-tunnels/tunnel-with-firewall/
  servers.securityGroup.allowToCidr("0.0.0.0/0", 7844, "cloudflared to Cloudflare's edge (HTTP/2)");
  servers.securityGroup.allowToCidr("0.0.0.0/0", 7844, "cloudflared to Cloudflare's edge (QUIC)", "udp");
  servers.securityGroup.allowToCidr("0.0.0.0/0", 443, "cloudflared API calls and package downloads");

  const parameterArn = tunnelTokenParameterArn(region, accountId, parameterName);
  servers.grant({ sid: "ReadTunnelToken", actions: ["ssm:GetParameter"], resources: [parameterArn] });
  servers.grant({
    sid: "DecryptTunnelTokenThroughSsm",
    actions: ["kms:Decrypt"],
    resources: [`arn:${partitionOf(region)}:kms:${region}:${accountId}:key/*`],
    condition: [
      { test: "StringEquals", variable: "kms:ViaService", values: [`ssm.${region}.amazonaws.com`] },
      { test: "StringEquals", variable: "kms:EncryptionContext:PARAMETER_ARN", values: [parameterArn] },
      // The key ARN lives in the other stack; its alias pins the key without a cross-stack reference.
      { test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [`alias/${keyAlias}`] },
    ],
  });
  servers.addUserDataPart("cloudflared", cloudflaredScript(region, parameterName, props.cloudflaredVersion));

  if (props.ssh.method === "short-lived-certificates") {
    const caArn = tunnelTokenParameterArn(region, accountId, props.ssh.caParameterName);
    servers.grant({ sid: "ReadAccessSshCa", actions: ["ssm:GetParameter"], resources: [caArn] });
    servers.addUserDataPart("ssh-access-ca", shortLivedCertificateScript(region, props.ssh.caParameterName, props.ssh.unixUser, props.ssh.principals));
  } else {
    servers.addUserDataPart("ssh-engineer-keys", publicKeysScript(props.ssh.unixUser, props.ssh.publicKeys));
  }
}

/** Cloudflare's RPM repository: packages signed with its key, checked by dnf (gpgcheck). https://pkg.cloudflare.com/ */
export const CLOUDFLARED_REPO = `[cloudflared-stable]
name=cloudflared-stable
baseurl=https://pkg.cloudflare.com/cloudflared/rpm
enabled=1
type=rpm
gpgcheck=1
repo_gpgcheck=0
gpgkey=https://pkg.cloudflare.com/cloudflare-ascii-pubkey.gpg`;

export function cloudflaredScript(region: string, parameterName: string, version: string): string {
  return `
cat > /etc/yum.repos.d/cloudflared.repo <<'REPO'
${CLOUDFLARED_REPO}
REPO
retry dnf install -y "cloudflared-${version}"
cat > /etc/systemd/system/cloudflared.service <<'UNIT'
[Unit]
Description=Cloudflare Tunnel (token read from SSM at start)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/bin/bash -c 'TUNNEL_TOKEN="$(aws ssm get-parameter --region ${region} --name ${parameterName} --with-decryption --query Parameter.Value --output text)" exec /usr/bin/cloudflared --no-autoupdate tunnel run'
Restart=on-failure
RestartSec=10s
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now cloudflared`;
}

function ensureUser(user: string): string {
  return `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${user}`;
}

/**
 * sshd trusts the Access application's CA (read from SSM at every boot, retried until the Cloudflare
 * stack has written it); certificates whose principal is listed may log in as the engineers' user.
 * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/use-cases/ssh/ssh-infrastructure-access/
 */
export function shortLivedCertificateScript(region: string, caParameterName: string, user: string, principals: readonly string[]): string {
  const principalsConfig = principals.length > 0
    ? `  AuthorizedPrincipalsFile /etc/ssh/cloudflare-access-principals`
    : // Every certificate this application's CA signed: Access already decided who may get one.
      `  AuthorizedPrincipalsCommand /bin/bash -c "echo '%t %k' | ssh-keygen -L -f - | grep -A1 Principals"\n  AuthorizedPrincipalsCommandUser nobody`;
  return `
${ensureUser(user)}
${principals.length > 0 ? `printf '%s\\n' ${principals.map((p) => `'${p}'`).join(" ")} > /etc/ssh/cloudflare-access-principals\nchmod 0644 /etc/ssh/cloudflare-access-principals` : ""}
cat > /etc/ssh/sshd_config.d/60-cloudflare-access.conf <<'SSHD'
PubkeyAuthentication yes
TrustedUserCAKeys /etc/ssh/cloudflare-access-ca.pub
Match User ${user}
${principalsConfig}
SSHD
cat > /etc/systemd/system/cloudflare-access-ca.service <<'UNIT'
[Unit]
Description=Fetch the Cloudflare Access SSH CA public key from SSM (sshd trusts it)
After=network-online.target
Wants=network-online.target
Before=sshd.service

[Service]
Type=oneshot
ExecStart=/bin/bash -c 'aws ssm get-parameter --region ${region} --name ${caParameterName} --query Parameter.Value --output text > /etc/ssh/cloudflare-access-ca.pub.new && mv /etc/ssh/cloudflare-access-ca.pub.new /etc/ssh/cloudflare-access-ca.pub'
Restart=on-failure
RestartSec=30s

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now cloudflare-access-ca || true
systemctl reload sshd`;
}

/** The listed keys, written for the engineers' user at every boot (so they survive instance replacement and edits by hand do not linger). */
export function publicKeysScript(user: string, keys: readonly { readonly name: string; readonly key: string }[]): string {
  const lines = keys.map((k) => `${k.key.split(" ").slice(0, 2).join(" ")} ${k.name}`);
  return `
${ensureUser(user)}
install -d -m 0755 /etc/private-access
cat > /etc/private-access/${user}.authorized_keys <<'KEYS'
${lines.join("\n")}
KEYS
cat > /etc/systemd/system/engineer-keys.service <<'UNIT'
[Unit]
Description=Install the engineers' SSH keys for ${user}
Before=sshd.service

[Service]
Type=oneshot
ExecStart=/usr/bin/install -D -o ${user} -g ${user} -m 0600 /etc/private-access/${user}.authorized_keys /home/${user}/.ssh/authorized_keys

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now engineer-keys`;
}

import { partitionOf } from "../common/arn";
import type { PolicyGrantee, UserDataSink } from "../common/contracts";
import { tunnelTokenParameterArn } from "./token-parameter";

export interface TunnelHandoffProps {
  readonly region: string;
  readonly accountId: string;
  readonly parameterName: string;
  /** Alias (without `alias/`) of the key the parameter is encrypted with. */
  readonly keyAlias: string;
  readonly servers: UserDataSink & PolicyGrantee;
}

/**
 * The AWS side of the tunnel: the app servers install cloudflared and run it as a service whose
 * token is read from the SSM parameter at every start (never written to disk or user data), and
 * their role may read and decrypt that one parameter only. No inbound port is opened.
 */
export function handTunnelToServers(props: TunnelHandoffProps): void {
  const { region, accountId, parameterName, keyAlias, servers } = props;
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
  servers.addUserDataPart("cloudflared", cloudflaredScript(region, parameterName));
}

export function cloudflaredScript(region: string, parameterName: string): string {
  return `
arch=$(uname -m)   # aarch64 on Graviton, x86_64 otherwise: cloudflared publishes both
dnf install -y "https://github.com/cloudflare/cloudflared/releases/latest/download/cloudflared-linux-$arch.rpm"
cat > /etc/systemd/system/cloudflared.service <<'UNIT'
[Unit]
Description=Cloudflare Tunnel (token read from SSM at start)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/bin/bash -c 'TUNNEL_TOKEN="$(aws ssm get-parameter --region ${region} --name ${parameterName} --with-decryption --query Parameter.Value --output text)" exec /usr/bin/cloudflared --no-autoupdate tunnel run'
Restart=on-failure
RestartSec=10s
DynamicUser=no
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now cloudflared`;
}

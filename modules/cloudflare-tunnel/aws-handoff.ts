import { partitionOf, ssmParameterArn } from "../common/arn";
import type { BootPartSink, PolicyGrantee } from "../common/contracts";
import { CloudflaredInstall, cloudflaredPart } from "./boot/cloudflared-part";
import { sharedHostKeyPart } from "./boot/host-key-part";
import { SshPerson, certificateLoginPart, publicKeyLoginPart } from "./boot/ssh-access-part";
import type { ManagedSecurityGroup } from "../network/security-group";

/** How engineers' SSH credentials reach sshd on the servers. */
export type SshCredentials =
  | {
      readonly method: "short-lived-certificates";
      /** Each person's certificate logs in as their own account. */
      readonly people: readonly SshPerson[];
      /** One account for everyone else Access admits (by domain or group); none unless the environment file names it. */
      readonly sharedUser?: string;
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
  readonly servers: BootPartSink & PolicyGrantee & { readonly securityGroup: ManagedSecurityGroup };
  /** The current release from Cloudflare's signed repository, or a pinned release asset with its sha256. */
  readonly cloudflared: CloudflaredInstall;
  readonly ssh: SshCredentials;
  /** SSM parameters of the host key every replica shares (created by the first server). */
  readonly hostKeyParameters: { readonly secret: string; readonly public: string };
}

/**
 * The AWS side of the tunnel: the app servers install cloudflared (Cloudflare's signed repository,
 * or a pinned release checked by sha256) and run it unprivileged; its token is read from the SSM parameter
 * at every start (never written to disk or user data). The servers may reach Cloudflare's edge
 * (TCP and UDP 7844, TCP 443) and read that one parameter. sshd is set up for the engineers:
 * trusting the Access application's short-lived certificate CA for the listed accounts only, or
 * their listed public keys, with one host key shared by every replica. Each part of the boot runs
 * on its own: a failed cloudflared install never stops the SSH set-up. No inbound port is opened.
 */
export function handTunnelToServers(props: TunnelHandoffProps): void {
  const { region, accountId, parameterName, keyAlias, servers } = props;
  if (props.ssh.method === "public-keys" && props.ssh.unixUser === "root") throw new Error("ssh.unixUser must not be root");

  // cloudflared dials out: QUIC on UDP 7844, HTTP/2 on TCP 7844 as fallback, and HTTPS for its API.
  // https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/deploy-tunnels/tunnel-with-firewall/
  servers.securityGroup.allowToCidr("0.0.0.0/0", 7844, "cloudflared to Cloudflare's edge (HTTP/2)");
  servers.securityGroup.allowToCidr("0.0.0.0/0", 7844, "cloudflared to Cloudflare's edge (QUIC)", "udp");
  servers.securityGroup.allowToCidr("0.0.0.0/0", 443, "cloudflared API calls and package downloads");

  const parameterArn = ssmParameterArn(region, accountId, parameterName);
  servers.grant({ sid: "ReadTunnelToken", actions: ["ssm:GetParameter"], resources: [parameterArn] });
  /** KMS through SSM, with the tunnel's key, for one parameter only (its encryption context). */
  const tunnelKeyThroughSsm = (sid: string, actions: string[], parameter: string) =>
    servers.grant({
      sid,
      actions,
      resources: [`arn:${partitionOf(region)}:kms:${region}:${accountId}:key/*`],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`ssm.${region}.amazonaws.com`] },
        { test: "StringEquals", variable: "kms:EncryptionContext:PARAMETER_ARN", values: [parameter] },
        // The key ARN lives in the other stack; its alias pins the key without a cross-stack reference.
        { test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [`alias/${keyAlias}`] },
      ],
    });
  tunnelKeyThroughSsm("DecryptTunnelTokenThroughSsm", ["kms:Decrypt"], parameterArn);
  servers.addBootPart(cloudflaredPart({ region, tokenParameter: parameterName, install: props.cloudflared }));

  const hostKey = props.hostKeyParameters;
  const hostKeyArns = [hostKey.secret, hostKey.public].map((name) => ssmParameterArn(region, accountId, name));
  servers.grant({ sid: "ReadSharedHostKey", actions: ["ssm:GetParameter"], resources: [hostKeyArns[0]] });
  // Create only: a server may store the first key, never replace one (ssm:Overwrite is false only with --no-overwrite).
  servers.grant({
    sid: "CreateSharedHostKeyOnce",
    actions: ["ssm:PutParameter"],
    resources: hostKeyArns,
    condition: [{ test: "StringEquals", variable: "ssm:Overwrite", values: ["false"] }],
  });
  // Encrypted with the tunnel's key, through SSM, for this parameter only: other principals of the
  // account, who may read every parameter through AmazonSSMManagedInstanceCore, cannot decrypt it.
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html
  tunnelKeyThroughSsm("EncryptDecryptSharedHostKeyThroughSsm", ["kms:Encrypt", "kms:Decrypt"], hostKeyArns[0]);
  servers.addBootPart(sharedHostKeyPart({ region, parameter: hostKey.secret, publicParameter: hostKey.public, keyAlias }));

  if (props.ssh.method === "short-lived-certificates") {
    const caArn = ssmParameterArn(region, accountId, props.ssh.caParameterName);
    servers.grant({ sid: "ReadAccessSshCa", actions: ["ssm:GetParameter"], resources: [caArn] });
    servers.addBootPart(certificateLoginPart({ region, caParameter: props.ssh.caParameterName, people: props.ssh.people, sharedUser: props.ssh.sharedUser }));
  } else {
    servers.addBootPart(publicKeyLoginPart({ unixUser: props.ssh.unixUser, keys: props.ssh.publicKeys }));
  }
}

import { handTunnelToServers } from "../../../modules/cloudflare-tunnel/aws-handoff";
import { accessSshCaParameterName, sharedHostKeyParameterNames, tunnelTokenKeyAlias, tunnelTokenParameterName } from "../../../modules/cloudflare-tunnel/token-parameter";
import { sshPeople } from "../../../modules/cloudflare-tunnel/settings";
import type { AwsEnvironmentStack } from "../aws-stack";
import type { WebTierFeature } from "./web-tier";

/** The AWS half of the Cloudflare Tunnel: cloudflared on the app servers, reading the token the Cloudflare stack stores. */
export function addCloudflareHandoff(stack: AwsEnvironmentStack, web: WebTierFeature | undefined): boolean {
  const tunnel = stack.env.cloudflareTunnel;
  if (!tunnel?.enabled || tunnel.mode !== "remote" || !web) return false;
  handTunnelToServers({
    region: stack.env.aws.region,
    accountId: stack.env.aws.accountId,
    parameterName: tunnelTokenParameterName(stack.env.project, stack.env.name),
    keyAlias: tunnelTokenKeyAlias(stack.env.project, stack.env.name),
    servers: web.webTier.appServers,
    cloudflared: tunnel.cloudflared.sha256 ? { version: tunnel.cloudflared.version, sha256: tunnel.cloudflared.sha256 } : { version: "latest" },
    hostKeyParameters: sharedHostKeyParameterNames(stack.env.project, stack.env.name),
    ssh:
      tunnel.ssh.method === "short-lived-certificates"
        ? { method: "short-lived-certificates", people: sshPeople(tunnel), sharedUser: tunnel.ssh.sharedUser, caParameterName: accessSshCaParameterName(stack.env.project, stack.env.name) }
        : { method: "public-keys", unixUser: tunnel.ssh.unixUser, publicKeys: tunnel.ssh.publicKeys },
  });
  return true;
}

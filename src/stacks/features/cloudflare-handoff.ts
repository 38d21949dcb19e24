import { handTunnelToServers } from "../../../modules/cloudflare-tunnel/aws-handoff";
import { accessSshCaParameterName, tunnelTokenKeyAlias, tunnelTokenParameterName } from "../../../modules/cloudflare-tunnel/token-parameter";
import { sshPrincipals } from "../../../modules/cloudflare-tunnel/settings";
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
    cloudflaredVersion: tunnel.cloudflaredVersion,
    ssh:
      tunnel.ssh.method === "short-lived-certificates"
        ? { method: "short-lived-certificates", unixUser: tunnel.ssh.unixUser, principals: sshPrincipals(tunnel), caParameterName: accessSshCaParameterName(stack.env.project, stack.env.name) }
        : { method: "public-keys", unixUser: tunnel.ssh.unixUser, publicKeys: tunnel.ssh.publicKeys },
  });
  return true;
}

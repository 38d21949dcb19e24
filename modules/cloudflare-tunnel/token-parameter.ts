import { partitionOf } from "../common/arn";

/** The SSM parameter the Cloudflare stack writes the tunnel token to and the app servers read at boot. */
export function tunnelTokenParameterName(project: string, environment: string): string {
  return `/${project}/${environment}/cloudflared/token`;
}

export function tunnelTokenParameterArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:ssm:${region}:${accountId}:parameter${name}`;
}

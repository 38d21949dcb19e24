import { z } from "zod";
import { loginUser } from "../common/settings/fields";

/** AWS: an EC2 Instance Connect Endpoint tunnels only to these ports. */
export const EIC_TUNNEL_PORTS = [22, 3389] as const;

/** The `access.instanceConnect` section. */
export const instanceConnectSettings = z.strictObject({
  enabled: z.boolean().default(true).meta({ description: "EC2 Instance Connect Endpoint in the first app subnet (needs `webTier`)" }),
  preserveClientIp: z.boolean().default(false).meta({ description: "targets see the operator's address (same-VPC targets and newer instance families only)" }),
  maxTunnelDurationSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600, "must be at most 3600 (the endpoint closes connections after one hour)")
    .default(3600)
    .meta({ type: "1-3600", description: "the policy's `maxTunnelDuration` ceiling (the endpoint ends connections after an hour anyway)" }),
  osUsers: z
    .array(loginUser("a key pushed for root is a root shell with no audit of who used it; log in as a named user and use sudo"))
    .min(1)
    .default(["ec2-user"])
    .meta({ type: "list of Linux users, not root", description: "users `SendSSHPublicKey` may push keys for (`ec2:osuser`)" }),
  databaseTunnel: z.boolean().default(false).meta({ description: "let operators tunnel to RDS; needs `dataTier.database.port` 22 or 3389, the only ports the endpoint reaches" }),
});

export type InstanceConnectSettings = z.output<typeof instanceConnectSettings>;
export type InstanceConnectSettingsInput = z.input<typeof instanceConnectSettings>;

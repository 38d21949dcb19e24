import { z } from "zod";
import { acmCertificateArn, logRetentionDays } from "../common/settings/fields";
import { taggedUnion } from "../common/settings/parse";

/** AWS: a Client VPN session lasts one of these many hours (CreateClientVpnEndpoint SessionTimeoutHours). */
export const VPN_SESSION_HOURS = [8, 10, 12, 24] as const;

const certificates = taggedUnion("source", [
  z.strictObject({
    source: z.literal("acm"),
    serverCertificateArn: acmCertificateArn(),
    /** @default the server certificate's ARN (valid when both certificates come from one CA) */
    clientRootCertificateArn: acmCertificateArn().optional(),
  }),
  z.strictObject({
    source: z.literal("files"),
    /** Folder written by `npm run pki` (ca.crt, server.crt, server.key), relative to the project. */
    directory: z.string().min(1),
  }),
]);

/** The `access.clientVpn` section. */
export const clientVpnSettings = z.strictObject({
  enabled: z.boolean().default(true).meta({ description: "Client VPN to the data subnets" }),
  clientCidr: z.string().meta({
    type: "IPv4 CIDR /12-/22",
    description: "client addresses: private, outside the VPC and every configured network; cannot be changed later (size it at twice the expected connections)",
  }),
  certificates: certificates.meta({
    type: "object",
    description:
      "`{source: acm, serverCertificateArn, clientRootCertificateArn?}` (ACM certificates in `aws.region` and `aws.accountId`; the root defaults to the server certificate when one CA issued both) or `{source: files, directory: pki/<env>}` after `npm run pki`",
  }),
  transport: z.enum(["udp", "tcp"]).default("udp").meta({ description: "the tunnel's transport (TCP where UDP is blocked)" }),
  port: z.union([z.literal(443), z.literal(1194)]).default(443).meta({ type: "443 or 1194", description: "the port clients connect to" }),
  sessionTimeoutHours: z
    .number()
    .int()
    .refine((h) => (VPN_SESSION_HOURS as readonly number[]).includes(h), { message: "must be 8, 10, 12 or 24" })
    .default(24)
    .meta({ type: "8, 10, 12, 24", description: "a connection is ended after this long (clients reconnect)" }),
  authorizeAppSubnets: z.boolean().default(false).meta({ description: "also authorize the app subnets (by default VPN clients reach only the data subnets)" }),
  dnsServers: z
    .array(z.string())
    .min(1)
    .max(2, "must list at most two servers (AWS Client VPN's limit)")
    .optional()
    .meta({
      type: "one or two IPv4 addresses in the VPC",
      default: "the VPC resolver (base + 2)",
      description: "DNS servers pushed to clients; each gets its own /32 authorization rule (authorization is deny-by-default, DNS included)",
    }),
  logRetentionInDays: logRetentionDays(365).meta({ description: "connection logs" }),
});

export type ClientVpnSettings = z.output<typeof clientVpnSettings>;
export type ClientVpnSettingsInput = z.input<typeof clientVpnSettings>;

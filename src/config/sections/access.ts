import { z } from "zod";
import { isPrivateRange, mustParse, overlaps, parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";
import type { CidrPlan } from "../../../modules/network/cidr/plan";
import { ConfigError } from "../errors";
import type { DataTierConfig } from "./data-tier";
import { databasePort } from "./data-tier";

/** AWS: an EC2 Instance Connect Endpoint tunnels only to these ports. */
export const EIC_TUNNEL_PORTS = [22, 3389] as const;
/** AWS: a Client VPN session lasts one of these many hours. */
export const VPN_SESSION_HOURS = [8, 10, 12, 24] as const;

const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

const instanceConnect = z.strictObject({
  enabled: z.boolean().default(true),
  preserveClientIp: z.boolean().default(false),
  maxTunnelDurationSeconds: z.number().int().min(1).max(3600, "must be at most 3600 (the endpoint closes connections after one hour)").default(3600),
  osUsers: z.array(z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name")).min(1).default(["ec2-user"]),
  /** Let operators tunnel to the database through the endpoint (its port must be 22 or 3389). */
  databaseTunnel: z.boolean().default(false),
});

const sessionManager = z.strictObject({
  enabled: z.boolean().default(true),
  idleTimeoutMinutes: z.number().int().min(1).max(60).default(20),
  maxSessionDurationMinutes: z.number().int().min(1).max(1440).default(60),
  runAsUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name").optional(),
  logRetentionInDays: z.number().int().default(365),
  /** Interface endpoints for ssm, ssmmessages, ec2messages, logs and kms (needed with natGateways: none). */
  interfaceEndpoints: z.boolean().optional(),
  /**
   * SSM-SessionManagerRunShell is one per account and region: `managed` creates it, `adopt` imports
   * an existing one (console-saved preferences), `unmanaged` leaves it to another environment.
   */
  preferences: z.enum(["managed", "adopt", "unmanaged"]).default("managed"),
});

const certificates = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("acm"),
    serverCertificateArn: z.string().regex(ACM_ARN, "must be an ACM certificate ARN"),
    /** @default the server certificate's ARN (valid when both certificates come from one CA) */
    clientRootCertificateArn: z.string().regex(ACM_ARN, "must be an ACM certificate ARN").optional(),
  }),
  z.strictObject({
    source: z.literal("files"),
    /** Folder written by `npm run pki` (ca.crt, server.crt, server.key), relative to the project. */
    directory: z.string().min(1),
  }),
]);

const clientVpn = z.strictObject({
  enabled: z.boolean().default(true),
  clientCidr: z.string(),
  certificates,
  transport: z.enum(["udp", "tcp"]).default("udp"),
  port: z.union([z.literal(443), z.literal(1194)]).default(443),
  sessionTimeoutHours: z.number().int().refine((h) => (VPN_SESSION_HOURS as readonly number[]).includes(h), { message: "must be 8, 10, 12 or 24" }).default(24),
  /** Also authorize the app subnets (seed 002 authorizes only the data subnets). */
  authorizeAppSubnets: z.boolean().default(false),
  /** DNS servers pushed to clients (one or two, inside the VPC); default the VPC resolver (VPC base + 2). */
  dnsServers: z.array(z.string()).min(1).max(2, "must list at most two servers (AWS Client VPN's limit)").optional(),
  logRetentionInDays: z.number().int().default(365),
});

const bastion = z.strictObject({
  enabled: z.boolean().default(false),
  allowedCidrs: z.array(z.string()).default([]),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type").default("t4g.micro"),
  keyPairName: z.string().min(1).optional(),
});

export const accessSchema = z.strictObject({
  instanceConnect: instanceConnect.optional(),
  sessionManager: sessionManager.optional(),
  clientVpn: clientVpn.optional(),
  bastion: bastion.optional(),
});

export type AccessConfig = z.output<typeof accessSchema>;

export function crossCheckAccess(
  file: string,
  access: AccessConfig | undefined,
  plan: CidrPlan,
  data: DataTierConfig | undefined,
  webOn: boolean,
  otherCidrs: string[],
): ConfigError[] {
  if (!access) return [];
  const errors: ConfigError[] = [];
  const at = (field: string, problem: string) => errors.push(new ConfigError(file, `access.${field}`, problem, "PA-CONFIG-ACCESS"));
  const eic = access.instanceConnect;
  if (eic?.enabled) {
    if (!webOn) at("instanceConnect.enabled", "needs the web tier's app servers to connect to (webTier)");
    if (!plan.subnets.some((s) => s.tier === "app")) at("instanceConnect.enabled", "needs an app subnet for the endpoint");
    if (eic.databaseTunnel) {
      if (!data?.database?.enabled) at("instanceConnect.databaseTunnel", "needs dataTier.database");
      else {
        const port = databasePort(data.database);
        if (!(EIC_TUNNEL_PORTS as readonly number[]).includes(port)) {
          at("instanceConnect.databaseTunnel", `needs dataTier.database.port 22 or 3389: the EC2 Instance Connect Endpoint tunnels only to those ports (it is ${port}; seed 003 uses 3389)`);
        }
      }
    }
  }
  if (access.sessionManager?.enabled && !webOn) at("sessionManager.enabled", "needs the web tier's app servers (webTier)");
  const vpn = access.clientVpn;
  if (vpn?.enabled) {
    const parsed = parseIpv4Cidr(vpn.clientCidr);
    if (!parsed.ok) at("clientVpn.clientCidr", `${vpn.clientCidr} ${parsed.problem}`);
    else {
      const prefix = parsed.block.prefixLength;
      if (prefix < 12 || prefix > 22) at("clientVpn.clientCidr", `${vpn.clientCidr} must be between /12 and /22 (AWS Client VPN limits; it cannot be changed later, so size it at twice the expected connections)`);
      else if (!isPrivateRange(parsed.block)) at("clientVpn.clientCidr", `${vpn.clientCidr} is not a private range`);
      else if (overlaps(parsed.block, mustParse(plan.vpcCidr))) at("clientVpn.clientCidr", `${vpn.clientCidr} overlaps the VPC ${plan.vpcCidr}`);
      else {
        const clash = otherCidrs.find((cidr) => { const other = parseIpv4Cidr(cidr); return other.ok && overlaps(other.block, parsed.block); });
        if (clash) at("clientVpn.clientCidr", `${vpn.clientCidr} overlaps the configured network ${clash}`);
      }
    }
    (vpn.dnsServers ?? []).forEach((server, index) => {
      const parsed = parseIpv4Cidr(`${server}/32`);
      if (!parsed.ok) at(`clientVpn.dnsServers[${index}]`, `${server} is not an IPv4 address`);
      else if (!overlaps(parsed.block, mustParse(plan.vpcCidr))) {
        at(`clientVpn.dnsServers[${index}]`, `${server} is outside the VPC ${plan.vpcCidr}: the tunnel is split, so only VPC addresses are reachable through it`);
      }
    });
    const dataSubnets = plan.subnets.filter((s) => s.tier === "data");
    if (dataSubnets.length === 0) at("clientVpn.enabled", "needs data subnets to associate with");
    const tooSmall = dataSubnets.find((s) => s.prefixLength > 27);
    if (tooSmall) at("clientVpn.enabled", `data subnet ${tooSmall.cidr} is smaller than /27, which Client VPN target networks need`);
  }
  const b = access.bastion;
  if (b?.enabled) {
    if (b.allowedCidrs.length === 0) at("bastion.allowedCidrs", "must list the networks allowed to SSH to the bastion (never the whole internet)");
    b.allowedCidrs.forEach((cidr, index) => {
      const parsed = parseIpv4Cidr(cidr);
      if (!parsed.ok) at(`bastion.allowedCidrs[${index}]`, `${cidr} ${parsed.problem}`);
      else if (parsed.block.prefixLength === 0) at(`bastion.allowedCidrs[${index}]`, `${cidr} opens SSH to the whole internet`);
    });
    if (!plan.subnets.some((s) => s.tier === "public")) at("bastion.enabled", "needs a public subnet");
    if (!webOn) at("bastion.enabled", "needs the web tier's app servers to reach (webTier)");
  }
  return errors;
}

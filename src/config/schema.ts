import { z } from "zod";
import { TIERS } from "../../modules/network/cidr/plan";
import { accessSchema } from "./sections/access";
import { cloudflareTunnelSchema } from "./sections/cloudflare-tunnel";
import { dataTierSchema } from "./sections/data-tier";
import { webTierSchema } from "./sections/web-tier";

/**
 * The environment file's schema. Objects are strict: a misspelt key is an error, not a silently
 * ignored setting. Defaults are the secure choice and are filled in here, once.
 */

/** Retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const name = (what: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, `must be a ${what} of 2-32 lowercase letters, digits and dashes`);

const tier = z.enum(TIERS);

const explicitSubnet = z.strictObject({
  tier,
  az: z.string(),
  cidr: z.string(),
});

const tierRequest = z.strictObject({
  tier,
  prefixLength: z.number().int().optional(),
  hosts: z.number().int().optional(),
  availabilityZones: z.array(z.string()).optional(),
});

const flowLogs = z.strictObject({
  retentionInDays: z
    .number()
    .int()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of the CloudWatch Logs retention values (${LOG_RETENTION_DAYS.join(", ")})`,
    })
    .default(365),
  trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
});

const network = z.strictObject({
  cidr: z.string(),
  availabilityZones: z.array(z.string()).min(1),
  subnets: z.array(explicitSubnet).optional(),
  tiers: z.array(tierRequest).optional(),
  azSlots: z.number().int().default(4),
  allowNonPrivateCidr: z.boolean().default(false),
  natGateways: z.enum(["none", "single", "per-az"]).default("single"),
  s3GatewayEndpoint: z.boolean().default(true),
  flowLogs: flowLogs.prefault({}),
});

const localBackend = z.strictObject({ type: z.literal("local") });

const s3Backend = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as ap-northeast-2"),
  /** State key is `<keyPrefix>/<environment>/<stack>.tfstate`. */
  keyPrefix: z.string().regex(/^[A-Za-z0-9._/-]+$/, "may hold letters, digits, . _ / and - only").optional(),
  locking: z.enum(["lockfile", "dynamodb"]).default("lockfile"),
  dynamodbTable: z.string().optional(),
  /**
   * ARN of the KMS key state is encrypted with (the state-backend stack's `kms_key_arn` output).
   * Required: Terraform's S3 backend sends SSE-S3 without it and sends an alias as the alias string,
   * and the state bucket refuses uploads whose key header is not this key's ARN (state and lock file).
   */
  kmsKeyId: z
    .string({ error: (issue) => (issue.input === undefined ? "is required: the ARN of the state key (npm run backend-snippet prints it); without it Terraform uploads state with SSE-S3, which the state bucket refuses" : "must be a string") })
    .regex(
      /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/,
      "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias or a key id: Terraform sends the value as given, and the state bucket accepts only uploads naming its key's ARN",
    ),
});

const cloudBackend = z.strictObject({
  type: z.literal("terraform-cloud"),
  organization: z.string().min(1),
  hostname: z.string().default("app.terraform.io"),
  /** Workspace of a stack is `<workspacePrefix><stack>`. */
  workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]*$/, "may hold letters, digits, _ and - only").default(""),
  project: z.string().optional(),
});

const suppression = z.strictObject({
  rule: z.string().regex(/^PA-[A-Z0-9-]+$/, "must be a guardrail rule id such as PA-NET-001"),
  /** A construct path, or a prefix of one ending in `/*`. */
  path: z.string().min(1),
  reason: z.string().trim().min(15, "must explain why, in at least 15 characters"),
});

export const environmentSchema = z.strictObject({
  project: name("project name").default("private-access"),
  aws: z.strictObject({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as ap-northeast-2"),
    accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit AWS account id (quote it in YAML)"),
  }),
  tags: z.record(z.string(), z.string()).default({}),
  network,
  webTier: webTierSchema.optional(),
  dataTier: dataTierSchema.optional(),
  access: accessSchema.optional(),
  cloudflareTunnel: cloudflareTunnelSchema.optional(),
  backend: z.discriminatedUnion("type", [localBackend, s3Backend, cloudBackend]).default({ type: "local" }),
  guardrails: z
    .strictObject({
      suppressions: z.array(suppression).default([]),
    })
    .prefault({}),
});

export type EnvironmentFile = z.output<typeof environmentSchema>;
export type BackendConfig = EnvironmentFile["backend"];
export type NetworkConfig = EnvironmentFile["network"];
export type Suppression = EnvironmentFile["guardrails"]["suppressions"][number];

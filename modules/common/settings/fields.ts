import { z } from "zod";
import { isKnownRegion } from "../facts/regions";
import { isPrivateRange, parseIpv4Cidr } from "../../network/cidr/ipv4";
import { LOG_RETENTION_DAYS } from "../facts/log-retention";
import { instanceFamilyOf } from "../facts/instance-architectures";
import { EC2_INSTANCE_TYPES, EC2_INSTANCE_TYPES_SOURCE } from "../facts/ec2-instance-types";
import { RDS_INSTANCE_CLASSES } from "../facts/rds-instance-classes";
import { CACHE_NODE_TYPES } from "../facts/cache-node-types";
import { didYouMean } from "./did-you-mean";

/**
 * Field types several capabilities share, each with its limits stated once. `meta.type` is how the
 * README's reference shows the type when the schema alone would say too little.
 */

/** A CloudWatch Logs retention: PutRetentionPolicy accepts only these values. */
export const logRetentionDays = (defaultDays = 365) =>
  z
    .number()
    .int()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of the CloudWatch Logs retention values (${LOG_RETENTION_DAYS.join(", ")})`,
    })
    .default(defaultDays)
    .meta({ type: "CloudWatch retention (days)" });

const LINUX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** A Linux user people log in as: never root (each caller says why). */
export const loginUser = (whyNotRoot: string) =>
  z
    .string()
    .regex(LINUX_USER, "must be a Linux user name")
    .refine((user) => user !== "root", { message: `must not be root: ${whyNotRoot}` })
    .meta({ type: "Linux user, not root" });

interface ListedNames {
  readonly pattern: RegExp;
  readonly malformed: string;
  readonly names: readonly string[];
  readonly unknown: string;
  readonly listedIn: string;
}

/**
 * A name AWS defines, checked against a list of facts: a malformed value gets `malformed`; a well-formed
 * one that is not listed gets "<unknown>: did you mean …?" (the nearest names by edit distance), or
 * "<unknown> (<listedIn>)" when none is near. One issue at most; `also` runs only on a listed name.
 */
function listedName(rule: ListedNames, type: string, also?: (text: string, ctx: z.core.$RefinementCtx<string>) => void) {
  const known = new Set(rule.names);
  return z
    .string()
    .superRefine((text, ctx) => {
      if (!rule.pattern.test(text)) {
        ctx.addIssue({ code: "custom", input: text, message: rule.malformed });
        return;
      }
      if (!known.has(text)) {
        const suggestion = didYouMean(text, rule.names);
        ctx.addIssue({ code: "custom", input: text, message: suggestion ? `${rule.unknown}: did you mean ${suggestion}?` : `${rule.unknown} (${rule.listedIn})` });
        return;
      }
      also?.(text, ctx);
    })
    .meta({ type });
}

/** An EC2 instance type the EC2 API knows (modules/common/facts/ec2-instance-types.ts), not a Mac. */
export const instanceType = (example: string) =>
  listedName(
    {
      pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
      malformed: `must be an EC2 instance type such as ${example}`,
      names: EC2_INSTANCE_TYPES,
      unknown: "is not an EC2 instance type",
      listedIn: `not among the ${EC2_INSTANCE_TYPES.length} types of ${EC2_INSTANCE_TYPES_SOURCE.package} ${EC2_INSTANCE_TYPES_SOURCE.version} in modules/common/facts/ec2-instance-types.ts`,
    },
    "EC2 instance type",
    (type, ctx) => {
      if (instanceFamilyOf(type).startsWith("mac")) {
        ctx.addIssue({ code: "custom", input: type, message: "is an EC2 Mac instance (macOS on a Dedicated Host), which the project does not support" });
      }
    },
  );

/** An RDS DB instance class PostgreSQL or MySQL runs on (modules/common/facts/rds-instance-classes.ts). */
export const rdsInstanceClass = (example: string) =>
  listedName(
    {
      pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
      malformed: `must be an RDS instance class such as ${example}`,
      names: RDS_INSTANCE_CLASSES,
      unknown: "is not an RDS DB instance class for PostgreSQL or MySQL",
      listedIn: "not in the RDS User Guide's list in modules/common/facts/rds-instance-classes.ts",
    },
    "RDS class",
  );

/** An ElastiCache node type Valkey or Redis OSS runs on (modules/common/facts/cache-node-types.ts). */
export const cacheNodeType = (example: string) =>
  listedName(
    {
      pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
      malformed: `must be an ElastiCache node type such as ${example}`,
      names: CACHE_NODE_TYPES,
      unknown: "is not an ElastiCache node type for Valkey or Redis OSS",
      listedIn: "not in the ElastiCache User Guide's list in modules/common/facts/cache-node-types.ts",
    },
    "node type",
  );

export const ACM_CERTIFICATE_ARN = /^arn:(aws[a-z-]*):acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;

export const acmCertificateArn = () => z.string().regex(ACM_CERTIFICATE_ARN, "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)").meta({ type: "ACM certificate ARN" });

/** The region and account of an ACM certificate ARN (the schema has checked its form). */
export function certificateLocation(arn: string): { region: string; accountId: string } | undefined {
  const match = ACM_CERTIFICATE_ARN.exec(arn);
  return match ? { region: match[2], accountId: match[3] } : undefined;
}

/** The widest source range the project admits in an allow list (a /16: 65,536 addresses). */
export const WIDEST_SOURCE_PREFIX = 16;

/**
 * A source range people are let in from (office, bastion clients). Wide blocks are refused: a
 * `128.0.0.0/1` admits half the internet as surely as `0.0.0.0/0` admits all of it.
 * `publicOnly`: where the checker sees public source addresses only (CloudFront, the WAF), a
 * private range can never match and is a mistake.
 */
export const sourceCidr = (what: string, options: { publicOnly: boolean }) =>
  z.string().superRefine((text, ctx) => {
    const parsed = parseIpv4Cidr(text);
    if (!parsed.ok) return void ctx.addIssue({ code: "custom", message: parsed.problem, input: text });
    const { prefixLength } = parsed.block;
    if (prefixLength === 0) {
      ctx.addIssue({ code: "custom", input: text, message: `is the whole internet: ${what} lists the networks you own` });
    } else if (options.publicOnly && isPrivateRange(parsed.block)) {
      ctx.addIssue({ code: "custom", input: text, message: `is a private range: ${what} is matched against public source addresses only, so it would never match` });
    } else if (prefixLength < WIDEST_SOURCE_PREFIX) {
      ctx.addIssue({
        code: "custom",
        input: text,
        message: `is /${prefixLength}, wider than /${WIDEST_SOURCE_PREFIX}: (project rule) ${what} lists the networks you own, and a block this wide admits ones you do not`,
      });
    }
  });

/** An AWS region the project knows (every file that names one checks it the same way). */
export const awsRegion = () =>
  z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "must be an AWS region such as ap-northeast-2")
    .refine(isKnownRegion, { message: "is not an AWS region (the project's region table lists every region AWS has opened; update modules/common/facts/regions.ts if AWS opened it since)" });

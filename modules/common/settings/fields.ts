import { z } from "zod";
import { isPrivateRange, parseIpv4Cidr } from "../../network/cidr/ipv4";
import { LOG_RETENTION_DAYS } from "../facts/log-retention";
import { instanceFamilyOf } from "../facts/instance-architectures";

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

export const instanceType = (example: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, `must be an EC2 instance type such as ${example}`)
    .refine((type) => !instanceFamilyOf(type).startsWith("mac"), { message: "is an EC2 Mac instance (macOS on a Dedicated Host), which the project does not support" })
    .meta({ type: "EC2 instance type" });

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

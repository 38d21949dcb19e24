import { z } from "zod";
import { parseIpv4Cidr } from "../../../modules/network/cidr/ipv4";
import type { CidrPlan } from "../../../modules/network/cidr/plan";
import { ConfigError } from "../errors";

/** TLS policies of the ALB's HTTPS listener: TLS 1.3 policies only (all also allow TLS 1.2 clients). */
export const ALB_TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;

const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
const domain = z.string().regex(DOMAIN, "must be a lowercase DNS name such as app.example.com");

const healthCheck = z.strictObject({
  path: z.string().regex(/^\/[^\s]*$/, 'must start with "/" and hold no spaces').default("/api/health"),
  matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'must be HTTP codes such as "200" or "200-299"').default("200"),
  intervalSeconds: z.number().int().min(5).max(300).default(15),
  timeoutSeconds: z.number().int().min(2).max(120).default(5),
  healthyThreshold: z.number().int().min(2).max(10).default(3),
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
});

const servers = z.strictObject({
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as c6g.xlarge").default("c6g.xlarge"),
  /** An explicit AMI id; default is AL2023 for the instance type's architecture through SSM. */
  imageId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0").optional(),
  /** Architecture of `imageId`; required with it so a mismatch with the instance type is caught. */
  imageArchitecture: z.enum(["arm64", "x86_64"]).optional(),
  minSize: z.number().int().min(0).default(2),
  maxSize: z.number().int().min(1).default(4),
  desiredCapacity: z.number().int().min(0).default(2),
  rootVolumeGiB: z.number().int().min(8).max(16384).default(30),
  keyPairName: z.string().min(1).optional(),
  /** Install the default app (health path, /api/* JSON, an index page) at boot; turn off when your image or boot script serves the health path. */
  defaultApp: z.boolean().default(true),
  /** A bash file (relative to the project) appended to the boot script: install and start your own app here. */
  bootScriptFile: z.string().min(1).optional(),
});

const deploy = z.strictObject({
  /** Who may assume the deploy role (CI's role ARN ...); default: principals of the account whose own policy allows it. */
  trustedPrincipalArns: z.array(z.string().regex(/^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/[\w+=,.@\/-]+|user\/[\w+=,.@\/-]+)|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/, "must be an IAM role, user or account root ARN")).default([]),
});

const edge = z.strictObject({
  enabled: z.boolean().default(false),
  /** Office addresses the WAF lets in; everything else gets the block response. */
  officeCidrs: z.array(z.string()).default([]),
  /** Id of `com.amazonaws.global.cloudfront.origin-facing` in aws.region (differs per region; no lookup at plan time). */
  cloudFrontPrefixListId: z.string().regex(/^pl-[0-9a-f]{8,17}$/, "must be a prefix list id such as pl-22a6434b").optional(),
  /** ARN of a certificate in us-east-1; default: one is issued and DNS-validated there. */
  certificateArn: z.string().optional(),
  blockResponseBody: z.string().min(1).max(4096).default("Access denied."),
  priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_200"),
  wafLogRetentionInDays: z.number().int().default(365),
  /**
   * How CloudFront reaches the ALB: `vpc-origin` (default; the ALB is internal, with no public
   * address or DNS name) or `prefix-list` (an internet-facing ALB admitting CloudFront's prefix
   * list and demanding a secret header only this distribution sends).
   */
  originAccess: z.enum(["vpc-origin", "prefix-list"]).default("vpc-origin"),
  /** Upload a placeholder index.html so the edge serves a page right after apply (your upload replaces it). */
  placeholderIndex: z.boolean().default(true),
});

export const webTierSchema = z.strictObject({
  enabled: z.boolean().default(true),
  domain,
  subjectAlternativeNames: z.array(domain).default([]),
  /** Name of the Route53 hosted zone that holds `domain` and the SANs. */
  hostedZoneName: domain,
  /** Id of that zone (no zone lookup at plan time). */
  hostedZoneId: z.string().regex(/^Z[0-9A-Z]{4,32}$/, "must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ"),
  /** Bring your own regional certificate instead of issuing one. */
  certificateArn: z.string().optional(),
  appPort: z.number().int().min(1).max(65535).default(8080),
  tlsPolicy: z.enum(ALB_TLS_POLICIES).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
  deletionProtection: z.boolean().default(true),
  accessLogRetentionInDays: z.number().int().min(1).default(90),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(30),
  healthCheck: healthCheck.prefault({}),
  servers: servers.prefault({}),
  /** Attach AWS's AmazonS3ReadOnlyAccess (seed 001) instead of read access to the app bucket only. */
  useS3ReadOnlyManagedPolicy: z.boolean().default(false),
  /** Deny object reads and writes on the app bucket that do not come through the VPC's S3 endpoint. */
  appBucketRequiresVpcEndpoint: z.boolean().default(true),
  edge: edge.prefault({}),
  deploy: deploy.prefault({}),
});

export type WebTierConfig = z.output<typeof webTierSchema>;

const CERT_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/** Graviton families carry a `g` after the generation digit (c6g, m7gd, t4g, r8g ...). */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  const family = instanceType.split(".")[0];
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

export function crossCheckWebTier(file: string, web: WebTierConfig | undefined, region: string, plan: CidrPlan, s3Endpoint: boolean): ConfigError[] {
  if (!web || !web.enabled) return [];
  const errors: ConfigError[] = [];
  const at = (field: string, problem: string) => errors.push(new ConfigError(file, `webTier.${field}`, problem, "PA-CONFIG-WEB"));
  for (const tier of ["public", "app"] as const) {
    const azs = new Set(plan.subnets.filter((s) => s.tier === tier).map((s) => s.az));
    if (azs.size < 2) at("enabled", `needs ${tier} subnets in at least two AZs (the ALB and the Auto Scaling group span AZs); network has ${azs.size}`);
  }
  const inZone = (name: string) => name === web.hostedZoneName || name.endsWith(`.${web.hostedZoneName}`);
  if (!inZone(web.domain)) at("domain", `"${web.domain}" is not in webTier.hostedZoneName ${web.hostedZoneName}`);
  for (const [index, san] of web.subjectAlternativeNames.entries()) {
    if (!inZone(san)) at(`subjectAlternativeNames[${index}]`, `"${san}" is not in webTier.hostedZoneName ${web.hostedZoneName}`);
  }
  if (web.certificateArn) {
    const match = CERT_ARN.exec(web.certificateArn);
    if (!match) at("certificateArn", `"${web.certificateArn}" is not an ACM certificate ARN`);
    else if (match[1] !== region) at("certificateArn", `"${web.certificateArn}" is in ${match[1]}; the ALB needs a certificate in aws.region ${region}`);
  }
  const { servers } = web;
  if (servers.imageId && !servers.imageArchitecture) at("servers.imageArchitecture", "is required with servers.imageId (arm64 or x86_64), so a mismatch with the instance type is caught");
  const actual = architectureOf(servers.instanceType);
  if (servers.imageArchitecture && servers.imageArchitecture !== actual) {
    at("servers.instanceType", `"${servers.instanceType}" is ${actual} but servers.imageArchitecture is ${servers.imageArchitecture}`);
  }
  if (servers.minSize > servers.maxSize) at("servers.minSize", `${servers.minSize} is larger than servers.maxSize ${servers.maxSize}`);
  if (servers.desiredCapacity < servers.minSize || servers.desiredCapacity > servers.maxSize) {
    at("servers.desiredCapacity", `${servers.desiredCapacity} must be between servers.minSize ${servers.minSize} and servers.maxSize ${servers.maxSize}`);
  }
  if (!servers.defaultApp && !servers.bootScriptFile && !servers.imageId) {
    at("servers.defaultApp", `is false, but nothing else serves ${web.healthCheck.path} on ${web.appPort} (no servers.bootScriptFile, no servers.imageId): the Auto Scaling group would replace every instance forever`);
  }
  if (web.appBucketRequiresVpcEndpoint && !s3Endpoint) at("appBucketRequiresVpcEndpoint", "needs network.s3GatewayEndpoint: true");
  if ([22, 3389].includes(web.appPort)) at("appPort", `${web.appPort} is an admin port; serve the app on another port`);
  const { edge } = web;
  if (edge.enabled) {
    if (edge.officeCidrs.length === 0) at("edge.officeCidrs", "must list at least one office CIDR when the edge is on (the WAF blocks everyone else)");
    edge.officeCidrs.forEach((cidr, index) => {
      const parsed = parseIpv4Cidr(cidr);
      if (!parsed.ok) at(`edge.officeCidrs[${index}]`, `${cidr} ${parsed.problem}`);
      else if (parsed.block.prefixLength === 0) at(`edge.officeCidrs[${index}]`, `${cidr} would let the whole internet past the WAF`);
    });
    if (!edge.cloudFrontPrefixListId) {
      at("edge.cloudFrontPrefixListId", `is required when the edge is on: the id of com.amazonaws.global.cloudfront.origin-facing in ${region} (aws ec2 describe-managed-prefix-lists)`);
    }
    if (edge.certificateArn) {
      const match = CERT_ARN.exec(edge.certificateArn);
      if (!match) at("edge.certificateArn", `"${edge.certificateArn}" is not an ACM certificate ARN`);
      else if (match[1] !== "us-east-1") at("edge.certificateArn", `"${edge.certificateArn}" is in ${match[1]}; CloudFront only uses certificates in us-east-1`);
    }
  }
  return errors;
}

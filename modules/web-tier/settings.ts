import { z } from "zod";
import { edgeSettings } from "../edge/settings";
import { architectureOf, instanceFamilyOf } from "../common/facts/instance-architectures";
import { acmCertificateArn, instanceType } from "../common/settings/fields";
import type { PlacementProblem } from "../common/settings/parse";

/** TLS policies of the ALB's HTTPS listener: TLS 1.3 policies only (all also allow TLS 1.2 clients). */
export const ALB_TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;

const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
export const domainName = () => z.string().regex(DOMAIN, "must be a lowercase DNS name such as app.example.com").meta({ type: "DNS name" });

/**
 * ALB target-group matcher: codes or ranges from 200 to 499 (ELB API, Matcher.HttpCode:
 * "values from 200 to 499"). https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
 */
const matcher = z
  .string()
  .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'must be HTTP codes such as "200" or "200-299"')
  .refine(
    (text) =>
      text.split(",").every((part) => {
        const [low, high = low] = part.split("-").map(Number);
        return low >= 200 && high <= 499 && low <= high;
      }),
    { message: "must hold codes from 200 to 499 (the ALB accepts no others), each range low-high" },
  );

const healthCheck = z
  .strictObject({
    path: z.string().regex(/^\/[^\s]*$/, 'must start with "/" and hold no spaces').default("/api/health").meta({ type: "path starting with `/`", description: "target group health check" }),
    matcher: matcher.default("200").meta({ type: "HTTP codes, 200-499", description: 'e.g. `"200-299"`' }),
    intervalSeconds: z.number().int().min(5).max(300).default(15).meta({ description: "seconds between checks" }),
    timeoutSeconds: z.number().int().min(2).max(120).default(5).meta({ description: "seconds without an answer that fail a check; shorter than the interval" }),
    healthyThreshold: z.number().int().min(2).max(10).default(3).meta({ description: "consecutive passes that mark an instance healthy" }),
    unhealthyThreshold: z.number().int().min(2).max(10).default(3).meta({ description: "consecutive failures that mark it unhealthy (the Auto Scaling group then replaces it)" }),
  })
  .superRefine((hc, ctx) => {
    // ELB: "the timeout must be smaller than the interval" (CreateTargetGroup HealthCheckTimeoutSeconds).
    if (hc.timeoutSeconds >= hc.intervalSeconds) {
      ctx.addIssue({ code: "custom", path: ["timeoutSeconds"], input: hc.timeoutSeconds, message: `must be shorter than healthCheck.intervalSeconds (${hc.intervalSeconds})` });
    }
  });

const servers = z
  .strictObject({
    instanceType: instanceType("c6g.xlarge").default("c6g.xlarge").meta({ description: "Graviton by default; the image follows the type's architecture (from the project's table of arm64 families)" }),
    imageId: z
      .string()
      .regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0")
      .optional()
      .meta({ type: "AMI id", default: "AL2023 via SSM", description: "default `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>` (no AMI lookup at plan time)" }),
    imageArchitecture: z.enum(["arm64", "x86_64"]).optional().meta({ description: "required with `imageId`; must match the instance type" }),
    minSize: z.number().int().min(0).default(2).meta({ description: "Auto Scaling group minimum (min ≤ desired ≤ max)" }),
    maxSize: z.number().int().min(1).default(4).meta({ description: "Auto Scaling group maximum" }),
    desiredCapacity: z.number().int().min(0).default(2).meta({ description: "Auto Scaling group desired size" }),
    rootVolumeGiB: z.number().int().min(8).max(16384).default(30).meta({ description: "encrypted gp3 root volume" }),
    keyPairName: z.string().min(1).optional().meta({ default: "none", description: "an EC2 key pair; none by default (use Session Manager)" }),
    defaultApp: z.boolean().default(true).meta({
      description: "install the default app at boot (answers the health path with 200, `/api/*` with JSON, `/` with a page), so the ELB health checks pass after apply; turn off when your image or boot script serves the health path",
    }),
    bootScriptFile: z.string().min(1).optional().meta({ type: "path (from the project folder)", default: "none", description: "a bash file appended to the boot script (run as root, after the default app if any): install and start your own app here" }),
  })
  .superRefine((s, ctx) => {
    if (s.minSize > s.maxSize) ctx.addIssue({ code: "custom", path: ["minSize"], message: `${s.minSize} is larger than servers.maxSize ${s.maxSize}` });
    else if (s.desiredCapacity < s.minSize || s.desiredCapacity > s.maxSize) {
      ctx.addIssue({ code: "custom", path: ["desiredCapacity"], message: `${s.desiredCapacity} must be between servers.minSize ${s.minSize} and servers.maxSize ${s.maxSize}` });
    }
    // A Mac type is refused by the field itself; zod still runs this refinement.
    const actual = instanceFamilyOf(s.instanceType).startsWith("mac") ? undefined : architectureOf(s.instanceType);
    if (actual && s.imageArchitecture && s.imageArchitecture !== actual) {
      ctx.addIssue({ code: "custom", path: ["instanceType"], message: `"${s.instanceType}" is ${actual} but servers.imageArchitecture is ${s.imageArchitecture}` });
    }
    if (s.imageId && !s.imageArchitecture) ctx.addIssue({ code: "custom", path: ["imageArchitecture"], message: "is required with servers.imageId (arm64 or x86_64), so a mismatch with the instance type is caught" });
  });

const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/[\w+=,.@\/-]+|user\/[\w+=,.@\/-]+)|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;

/** GitHub names: owner 1-39 letters, digits and hyphens; repository letters, digits, `.`, `_`, `-`. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/**
 * Who may assume the deploy role. No default trust: a GitHub Actions workflow of one repository
 * (through GitHub's OIDC provider), named IAM principals, or both; with neither, the file is refused.
 * The subject claim is `repo:<owner>/<repo>:ref:refs/heads/<branch>`, or
 * `repo:<owner>/<repo>:environment:<name>` for a job that names an environment (then the branch is
 * not in the claim): https://docs.github.com/en/actions/reference/security/oidc and
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
 */
const deploySettings = z
  .strictObject({
    githubRepository: z
      .string()
      .regex(GITHUB_REPOSITORY, 'must be a GitHub repository as "owner/repo"')
      .optional()
      .meta({ type: "`owner/repo`", default: "none", description: "the repository whose GitHub Actions workflows may assume the deploy role (OIDC: audience `sts.amazonaws.com`, subject of `githubBranch` or `githubEnvironment`); this or `trustedPrincipalArns` is required" }),
    githubBranch: z
      .string()
      .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[A-Za-z0-9._\/-]{1,255}(?<![\/.])$/, "must be a branch name such as main or release/1.x")
      .optional()
      .meta({ type: "branch name", default: "`main`", description: "only workflow runs on this branch (subject `repo:<owner>/<repo>:ref:refs/heads/<branch>`); not with `githubEnvironment`" }),
    githubEnvironment: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,255}$/, "must be a GitHub environment name (letters, digits, `.`, `_`, `-`)")
      .optional()
      .meta({ type: "environment name", default: "none", description: "only jobs that run in this GitHub environment (subject `repo:<owner>/<repo>:environment:<name>`; GitHub then leaves the branch out of the claim)" }),
    githubOidcProvider: z
      .enum(["reference", "create"])
      .default("reference")
      .meta({
        description:
          "`reference`: the account already has the IAM OIDC provider for `token.actions.githubusercontent.com` (one per account; its ARN is built from `aws.accountId`, no lookup); `create`: this stack creates it (only if the account has none)",
      }),
    trustedPrincipalArns: z
      .array(z.string().regex(IAM_PRINCIPAL_ARN, "must be an IAM role, user or account root ARN"))
      .default([])
      .meta({ type: "list of IAM ARNs", default: "none", description: "IAM principals that may assume the deploy role (the only writer of the app and static buckets), e.g. your CI role; this or `githubRepository` is required" }),
  })
  .superRefine((deploy, ctx) => {
    if (!deploy.githubRepository && deploy.trustedPrincipalArns.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["githubRepository"],
        message: 'is required (as "owner/repo") unless webTier.deploy.trustedPrincipalArns names who may assume the deploy role: it trusts nobody by default',
      });
    }
    if (deploy.githubBranch && deploy.githubEnvironment) {
      ctx.addIssue({ code: "custom", path: ["githubBranch"], message: "cannot be combined with webTier.deploy.githubEnvironment: GitHub's subject claim names the environment instead of the branch" });
    }
    if (!deploy.githubRepository && (deploy.githubBranch || deploy.githubEnvironment)) {
      ctx.addIssue({ code: "custom", path: [deploy.githubBranch ? "githubBranch" : "githubEnvironment"], message: "needs webTier.deploy.githubRepository" });
    }
  });

/** The `webTier` section: ALB, app servers, deploy role and the edge. */
export const webTierSettings = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: "build the web tier" }),
    domain: domainName().meta({ description: "the app's address, e.g. `app.example.com`" }),
    subjectAlternativeNames: z.array(domainName()).default([]).meta({ type: "list of DNS names", description: "extra names on the certificate" }),
    hostedZoneName: domainName().meta({ description: "the Route53 zone holding `domain` and the SANs (checked: every name must be inside it)" }),
    hostedZoneId: z.string().regex(/^Z[0-9A-Z]{4,32}$/, "must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ").meta({ type: "zone id", description: "that zone's id (no zone lookup at plan time)" }),
    certificateArn: acmCertificateArn().optional().meta({ type: "ACM ARN in `aws.region`", default: "issued", description: "bring your own certificate instead of issuing and DNS-validating one" }),
    appPort: z.number().int().min(1).max(65535).default(8080).meta({ type: "port", description: "port the app servers listen on (not 22 or 3389)" }),
    tlsPolicy: z.enum(ALB_TLS_POLICIES).default("ELBSecurityPolicy-TLS13-1-2-2021-06").meta({ type: "ALB TLS 1.3 policy", description: "one of the `ELBSecurityPolicy-TLS13-*` policies (all refuse TLS 1.0/1.1)" }),
    deletionProtection: z.boolean().default(true).meta({ description: "ALB deletion protection" }),
    accessLogRetentionInDays: z.number().int().min(1).max(3650).default(90).meta({ type: "days", description: "ALB access logs expire after this" }),
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(30).meta({ description: "target group deregistration delay" }),
    healthCheck: healthCheck.prefault({}),
    servers: servers.prefault({}),
    useS3ReadOnlyManagedPolicy: z.boolean().default(false).meta({ description: "attach the AWS managed `AmazonS3ReadOnlyAccess` (`s3:Get*`, `s3:List*` on every bucket) instead of read access to the app bucket only" }),
    appBucketRequiresVpcEndpoint: z.boolean().default(true).meta({ description: "deny object reads and writes on the app bucket that do not come through the S3 gateway endpoint" }),
    edge: edgeSettings.prefault({}),
    deploy: deploySettings.prefault({}),
  })
  .superRefine((web, ctx) => {
    if ([22, 3389].includes(web.appPort)) ctx.addIssue({ code: "custom", path: ["appPort"], message: `${web.appPort} is an admin port; serve the app on another port` });
    const inZone = (name: string) => name === web.hostedZoneName || name.endsWith(`.${web.hostedZoneName}`);
    if (!inZone(web.domain)) ctx.addIssue({ code: "custom", path: ["domain"], message: `"${web.domain}" is not in webTier.hostedZoneName ${web.hostedZoneName}` });
    web.subjectAlternativeNames.forEach((san, index) => {
      if (!inZone(san)) ctx.addIssue({ code: "custom", path: ["subjectAlternativeNames", index], message: `"${san}" is not in webTier.hostedZoneName ${web.hostedZoneName}` });
    });
    const { servers } = web;
    if (!servers.defaultApp && !servers.bootScriptFile && !servers.imageId) {
      ctx.addIssue({
        code: "custom",
        path: ["servers", "defaultApp"],
        message: `is false, but nothing else serves ${web.healthCheck.path} on ${web.appPort} (no servers.bootScriptFile, no servers.imageId): the Auto Scaling group would replace every instance forever`,
      });
    }
  })
  .meta({ title: "`webTier`: ALB, app servers and the edge", description: "Optional; on in the example. Leave it out (or `enabled: false`) for a network-only environment." });

export type WebTierSettings = z.output<typeof webTierSettings>;

/** The ALB and the Auto Scaling group span AZs; the app bucket's endpoint rule needs the endpoint. */
export function webTierPlacementProblems(web: Pick<WebTierSettings, "appBucketRequiresVpcEndpoint">, network: { publicAzs: number; appAzs: number; s3Endpoint: boolean }): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const [tier, azs] of [["public", network.publicAzs], ["app", network.appAzs]] as const) {
    if (azs < 2) problems.push({ path: ["enabled"], problem: `needs ${tier} subnets in at least two AZs (the ALB and the Auto Scaling group span AZs); network has ${azs}` });
  }
  if (web.appBucketRequiresVpcEndpoint && !network.s3Endpoint) problems.push({ path: ["appBucketRequiresVpcEndpoint"], problem: "needs network.s3GatewayEndpoint: true" });
  return problems;
}
export type WebTierSettingsInput = z.input<typeof webTierSettings>;
export type HealthCheckSettings = WebTierSettings["healthCheck"];

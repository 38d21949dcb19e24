/**
 * Name limits per Terraform resource type and name attribute, for the names our stacks synthesize. A name that is
 * too long or holds a refused character fails only at apply, often after other resources were created.
 * Keys are "<resource type>.<attribute>". `terraformSuffix` is what the AWS provider appends to a *_prefix
 * attribute (a 26-character timestamp-and-counter id), so the prefix may hold maxLength - terraformSuffix.
 */

export interface FactSource {
  readonly title: string;
  readonly url: string;
}

export interface NameLimit {
  /** Longest accepted value, in characters; absent where no source gave one. */
  readonly maxLength?: number;
  readonly minLength?: number;
  /** The whole value must match this. */
  readonly pattern?: RegExp;
  /** Plain-words description of `pattern`, used in the problem text. */
  readonly allowed?: string;
  readonly requiredPrefix?: string;
  /** Values matching one of these are refused, with the reason. */
  readonly forbidden?: readonly { readonly re: RegExp; readonly why: string }[];
  readonly terraformSuffix?: number;
  readonly source: FactSource;
  /** What the source did not confirm, if anything. */
  readonly unconfirmed?: string;
}

// Terraform's id.PrefixedUniqueId: prefix + 26 characters (timestamp 20060102150405 with fraction, and a counter).
// Source: terraform-plugin-sdk helper/id — https://github.com/hashicorp/terraform-plugin-sdk/blob/main/helper/id/id.go
//   (UniqueIDSuffixLength = 26). unconfirmed: from memory of that file, not seen in a search.
const TF_PREFIX_SUFFIX = 26;

const noTrailingOrDoubleHyphen = [
  { re: /-$/, why: "ends with a hyphen" },
  { re: /--/, why: "holds two consecutive hyphens" },
] as const;

const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_ALLOWED = "letters, digits and + = , . @ _ -";
const IAM_SOURCE: FactSource = { title: "IAM and AWS STS quotas (IAM name requirements; IAM object character limits)", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" };

export const NAME_LIMITS = {
  "aws_autoscaling_group.name": {
    maxLength: 255, minLength: 1,
    source: { title: "CreateAutoScalingGroup - Amazon EC2 Auto Scaling (AutoScalingGroupName)", url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html" },
    unconfirmed: "length 1–255 not seen in a searched page",
  },
  "aws_cloudfront_origin_access_control.name": {
    maxLength: 64, minLength: 1,
    source: { title: "CreateOriginAccessControl - Amazon CloudFront (Name: \"You can specify up to 64 characters\")", url: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginAccessControl.html" },
  },
  "aws_cloudfront_vpc_origin.vpc_origin_endpoint_config.name": {
    minLength: 1,
    source: { title: "CreateVpcOrigin - Amazon CloudFront (VpcOriginEndpointConfig.Name)", url: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateVpcOrigin.html" },
    unconfirmed: "the API reference gives no length or character constraint for the name",
  },
  "aws_cloudwatch_log_group.name": {
    maxLength: 512, minLength: 1, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and _ - / . #",
    source: { title: "CreateLogGroup - Amazon CloudWatch Logs (logGroupName: 1–512, [\\.\\-_/#A-Za-z0-9]+)", url: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" },
  },
  // A log group that receives AWS WAF logs directly must be named aws-waf-logs-*.
  "aws_cloudwatch_log_group.name#waf": {
    maxLength: 512, minLength: 1, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and _ - / . #", requiredPrefix: "aws-waf-logs-",
    source: { title: "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group (AWS WAF Developer Guide)", url: "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html" },
    unconfirmed: "the aws-waf-logs- prefix was confirmed from a Classmethod article (dev.classmethod.jp, 2024-03-06), not the AWS page itself",
  },
  "aws_db_instance.identifier": {
    maxLength: 63, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, allowed: "letters, digits and hyphens, starting with a letter",
    forbidden: noTrailingOrDoubleHyphen,
    source: { title: "CreateDBInstance - Amazon RDS (DBInstanceIdentifier: 1 to 63 letters, numbers, or hyphens; first a letter; can't end with a hyphen or contain two consecutive hyphens)", url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html" },
  },
  "aws_db_parameter_group.name": {
    maxLength: 255, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, allowed: "letters, digits and hyphens, starting with a letter",
    forbidden: noTrailingOrDoubleHyphen,
    source: { title: "CreateDBParameterGroup - Amazon RDS (DBParameterGroupName: 1 to 255 letters, numbers, or hyphens)", url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html" },
  },
  "aws_db_subnet_group.name": {
    maxLength: 255, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9._ -]*$/, allowed: "letters, digits, periods, underscores, spaces and hyphens, starting with a letter",
    forbidden: [{ re: /^default$/i, why: "is \"default\"" }],
    source: { title: "CreateDBSubnetGroup - Amazon RDS (DBSubnetGroupName: no more than 255 letters, numbers, periods, underscores, spaces, or hyphens; not default; first a letter)", url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html" },
  },
  "aws_ec2_client_vpn_endpoint.description": {
    maxLength: 255,
    source: { title: "CreateClientVpnEndpoint - Amazon EC2 (Description)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateClientVpnEndpoint.html" },
    unconfirmed: "255 is the usual EC2 description limit; not seen in a searched page",
  },
  "aws_elasticache_replication_group.replication_group_id": {
    maxLength: 40, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, allowed: "letters, digits and hyphens, starting with a letter",
    forbidden: noTrailingOrDoubleHyphen,
    source: { title: "CreateReplicationGroup - Amazon ElastiCache (ReplicationGroupId: 1 to 40 alphanumeric characters or hyphens; first a letter; no trailing or double hyphen)", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html" },
  },
  "aws_elasticache_subnet_group.name": {
    maxLength: 255, minLength: 1, pattern: /^[A-Za-z0-9-]+$/, allowed: "letters, digits and hyphens",
    source: { title: "CreateCacheSubnetGroup - Amazon ElastiCache (CacheSubnetGroupName)", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html" },
    unconfirmed: "\"no more than 255 alphanumeric characters or hyphens\" not seen in a searched page",
  },
  "aws_elasticache_user.user_id": {
    maxLength: 40, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, allowed: "letters, digits and hyphens, starting with a letter",
    forbidden: noTrailingOrDoubleHyphen,
    source: { title: "CreateUser - Amazon ElastiCache (UserId: pattern [a-zA-Z][a-zA-Z0-9\\-]*, minimum length 1)", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html" },
    unconfirmed: "maximum length 40 and the hyphen rules: the API reference gives only the pattern and a minimum of 1",
  },
  "aws_elasticache_user.user_name": {
    minLength: 1,
    source: { title: "CreateUser - Amazon ElastiCache (UserName: minimum length 1)", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html" },
    unconfirmed: "no maximum length or character set is documented",
  },
  "aws_elasticache_user_group.user_group_id": {
    maxLength: 40, minLength: 1, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, allowed: "letters, digits and hyphens, starting with a letter",
    forbidden: noTrailingOrDoubleHyphen,
    source: { title: "CreateUserGroup - Amazon ElastiCache (UserGroupId)", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html" },
    unconfirmed: "maximum length 40 and the pattern are assumed to match CreateUser; not seen in a searched page",
  },
  "aws_iam_instance_profile.name": {
    maxLength: 128, minLength: 1, pattern: IAM_NAME, allowed: IAM_ALLOWED, source: IAM_SOURCE,
    unconfirmed: "the character set is confirmed; the 128 limit is from the same page's character limits, not seen in the searched excerpt",
  },
  "aws_iam_policy.name": {
    maxLength: 128, minLength: 1, pattern: IAM_NAME, allowed: IAM_ALLOWED, source: IAM_SOURCE,
    unconfirmed: "the character set is confirmed; the 128 limit is from the same page's character limits, not seen in the searched excerpt",
  },
  "aws_iam_role.name": {
    maxLength: 64, minLength: 1, pattern: IAM_NAME, allowed: IAM_ALLOWED, source: IAM_SOURCE,
    unconfirmed: "the character set is confirmed; the 64 limit is from the same page's character limits, not seen in the searched excerpt",
  },
  "aws_kms_alias.name": {
    maxLength: 256, minLength: 7, pattern: /^alias\/[A-Za-z0-9/_-]+$/, allowed: "\"alias/\" then letters, digits and / _ -", requiredPrefix: "alias/",
    forbidden: [{ re: /^alias\/aws\//i, why: "starts with alias/aws/, which AWS reserves for AWS managed keys" }],
    source: { title: "CreateAlias - AWS Key Management Service (AliasName, 1–256 including \"alias/\")", url: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html" },
    unconfirmed: "length and pattern not seen in a searched page",
  },
  "aws_launch_template.name_prefix": {
    maxLength: 128, minLength: 3, pattern: /^[A-Za-z0-9().\-/_]+$/, allowed: "letters, digits and ( ) . - / _", terraformSuffix: TF_PREFIX_SUFFIX,
    source: { title: "CreateLaunchTemplate - Amazon EC2 (LaunchTemplateName: 3–128, [a-zA-Z0-9\\(\\)\\.\\-/_]+)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html" },
    unconfirmed: "length and pattern not seen in a searched page",
  },
  "aws_lb.name": {
    maxLength: 32, minLength: 1, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and hyphens, not starting or ending with a hyphen",
    forbidden: [{ re: /^internal-/i, why: "starts with \"internal-\"" }],
    source: { title: "CreateLoadBalancer - Elastic Load Balancing v2 (Name: maximum of 32 characters, alphanumeric or hyphens, not begin or end with a hyphen, not begin with \"internal-\")", url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html" },
  },
  "aws_lb_target_group.name": {
    maxLength: 32, minLength: 1, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and hyphens, not starting or ending with a hyphen",
    source: { title: "CreateTargetGroup - Elastic Load Balancing v2 (Name)", url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html" },
    unconfirmed: "32 and the character rule are assumed to match CreateLoadBalancer; not seen in a searched page",
  },
  "aws_s3_bucket.bucket": {
    maxLength: 63, minLength: 3, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, allowed: "lowercase letters, digits, periods and hyphens (see s3-names.ts for every rule)",
    source: { title: "General purpose bucket naming rules (Amazon S3 User Guide)", url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html" },
  },
  "aws_s3_bucket.bucket_prefix": {
    maxLength: 63, minLength: 1, pattern: /^[a-z0-9][a-z0-9.-]*$/, allowed: "lowercase letters, digits, periods and hyphens, starting with a letter or digit", terraformSuffix: TF_PREFIX_SUFFIX,
    source: { title: "General purpose bucket naming rules (Amazon S3 User Guide)", url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html" },
  },
  "aws_security_group.name": {
    maxLength: 255, minLength: 1, pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    forbidden: [{ re: /^sg-/i, why: "starts with \"sg-\"" }],
    source: { title: "CreateSecurityGroup - Amazon EC2 (GroupName: up to 255 characters; a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*; can't start with sg-)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html" },
    unconfirmed: "not seen in a searched page",
  },
  "aws_ssm_document.name": {
    maxLength: 128, minLength: 3, pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits and _ . -",
    forbidden: [{ re: /^(aws|amazon|amzn)/i, why: "starts with aws, amazon or amzn, which AWS reserves" }],
    source: { title: "CreateDocument - AWS Systems Manager (Name: 3–128, ^[a-zA-Z0-9_\\-.]{3,128}$)", url: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html" },
    unconfirmed: "not seen in a searched page",
  },
  // PutParameter: "The reported maximum length of 2048 characters for a parameter name includes 1037 characters that are
  // reserved for internal use by Systems Manager", leaving 1011 for the name we give.
  "aws_ssm_parameter.name": {
    maxLength: 1011, minLength: 1, pattern: /^[A-Za-z0-9_.\-/]+$/, allowed: "letters, digits and _ . - /",
    forbidden: [
      { re: /^\/?(aws|ssm)/i, why: "starts with aws or ssm, which Systems Manager reserves" },
      { re: /^\/?[^/]+(?:\/[^/]+){15,}$/, why: "is deeper than 15 hierarchy levels" },
    ],
    source: { title: "PutParameter - AWS Systems Manager (Name: naming constraints; hierarchy of at most fifteen levels; 2048 including 1037 reserved)", url: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html" },
    unconfirmed: "the 1011 figure: the searched excerpt was cut after \"includes 1037 characte…\"",
  },
  "aws_wafv2_ip_set.name": {
    maxLength: 128, minLength: 1, pattern: /^[\w-]+$/, allowed: "letters, digits, _ and -",
    source: { title: "CreateIPSet - AWS WAFV2 (Name: 1–128, ^[\\w\\-]+$)", url: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateIPSet.html" },
    unconfirmed: "not seen in a searched page",
  },
  "aws_wafv2_web_acl.name": {
    maxLength: 128, minLength: 1, pattern: /^[\w-]+$/, allowed: "letters, digits, _ and -",
    source: { title: "CreateWebACL - AWS WAFV2 (Name: 1–128, ^[\\w\\-]+$)", url: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html" },
    unconfirmed: "not seen in a searched page",
  },
} as const satisfies Readonly<Record<string, NameLimit>>;

export type NameLimitKey = keyof typeof NAME_LIMITS;

/**
 * A short problem with `value` for `key` ("aws_lb.name"), or undefined. For a *_prefix key the length check
 * counts the suffix Terraform appends. An unknown key is itself a problem, so a typo in a caller shows.
 */
export function nameProblem(key: string, value: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(NAME_LIMITS, key)) return `no name limits are recorded for ${key}`;
  const limit: NameLimit = NAME_LIMITS[key as NameLimitKey];
  const suffix = limit.terraformSuffix ?? 0;
  if (limit.minLength !== undefined && value.length < limit.minLength) return `${key} "${value}" is ${value.length} characters; the minimum is ${limit.minLength}`;
  if (limit.maxLength !== undefined && value.length + suffix > limit.maxLength) {
    return suffix > 0
      ? `${key} "${value}" is ${value.length} characters; with the ${suffix} Terraform appends the limit is ${limit.maxLength}, so at most ${limit.maxLength - suffix}`
      : `${key} "${value}" is ${value.length} characters; the limit is ${limit.maxLength}`;
  }
  if (limit.requiredPrefix !== undefined && !value.startsWith(limit.requiredPrefix)) return `${key} "${value}" must start with "${limit.requiredPrefix}"`;
  if (limit.pattern !== undefined && !limit.pattern.test(value)) return `${key} "${value}" may hold only ${limit.allowed ?? `values matching ${limit.pattern}`}`;
  for (const f of limit.forbidden ?? []) {
    if (f.re.test(value)) return `${key} "${value}" ${f.why}`;
  }
  return undefined;
}

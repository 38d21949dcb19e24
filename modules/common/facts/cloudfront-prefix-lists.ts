/**
 * Id of the AWS-managed prefix list com.amazonaws.global.cloudfront.origin-facing per region. The id differs per
 * region, and a security group rule needs the id, so a plan without an AWS lookup needs this table.
 * Only ids seen in public sources are listed; for any other region look it up
 * (`aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`)
 * or use the aws_ec2_managed_prefix_list data source.
 */

// Source (all 17 regions below): a public GitHub Terraform file converted from a "VS Code on EC2" CloudFormation
//   template, locals.mappings.AWSRegions2PrefixListID (search index file id 68944156513; repository name not shown by
//   the index). Background: "Limit access to your origins using the AWS-managed prefix list for Amazon CloudFront"
//   — https://aws.amazon.com/blogs/networking-and-content-delivery/limit-access-to-your-origins-using-the-aws-managed-prefix-list-for-amazon-cloudfront/
// ap-northeast-2 pl-22a6434b is also in several other public repositories (CDK tests and Terraform security groups).
// unconfirmed: every other region (af-south-1, ap-east-1, ap-south-2, ap-southeast-3..7, ca-west-1, eu-central-2,
//   eu-south-1/2, il-central-1, me-central-1, me-south-1, mx-central-1, GovCloud, China): no public source found.
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS = {
  "ap-northeast-1": "pl-58a04531",
  "ap-northeast-2": "pl-22a6434b",
  "ap-northeast-3": "pl-31a14458",
  "ap-south-1": "pl-9aa247f3",
  "ap-southeast-1": "pl-31a34658",
  "ap-southeast-2": "pl-b8a742d1",
  "ca-central-1": "pl-38a64351",
  "eu-central-1": "pl-a3a144ca",
  "eu-north-1": "pl-fab65393",
  "eu-west-1": "pl-4fa04526",
  "eu-west-2": "pl-93a247fa",
  "eu-west-3": "pl-75b1541c",
  "sa-east-1": "pl-5da64334",
  "us-east-1": "pl-3b927c52",
  "us-east-2": "pl-b6a144df",
  "us-west-1": "pl-4ea04527",
  "us-west-2": "pl-82a045eb",
} as const satisfies Readonly<Record<string, string>>;

/** The origin-facing CloudFront prefix list id in `region`, or undefined where no public source gave one. */
export function cloudFrontOriginFacingPrefixList(region: string): string | undefined {
  const table: Readonly<Record<string, string>> = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS;
  return Object.prototype.hasOwnProperty.call(table, region) ? table[region] : undefined;
}

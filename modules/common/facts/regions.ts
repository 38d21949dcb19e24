/**
 * AWS regions and the Availability Zone letters that exist in each.
 *
 * Letters are the union over accounts. In the oldest regions AZ names are mapped per account
 * (us-east-1a in one account need not be us-east-1a in another), and some accounts see fewer
 * letters than exist: in us-west-1 every account sees two of a/b/c; in ap-northeast-1 accounts
 * created after 2012 do not see "b". So "the letter exists" does not mean "this account has it";
 * only `aws ec2 describe-availability-zones` in the account says that. Use AZ IDs (use1-az1) to
 * line zones up across accounts.
 */

export type AwsPartition = "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc";

export interface RegionFacts {
  readonly partition: AwsPartition;
  readonly azLetters: readonly string[];
}

// Source (region list): "AWS Regions" — https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
//   and "Supported AWS Regions" (Automated Security Response on AWS) — https://docs.aws.amazon.com/solutions/latest/automated-security-response-on-aws/plan-your-deployment.html
//   (lists il-central-1, ca-west-1, mx-central-1, ap-southeast-7). ap-east-2 (Taipei), ap-southeast-5 (Malaysia)
//   and ap-southeast-6 (New Zealand) appear in current SDK region lists (e.g. moto's payment-cryptography backend).
// Source (AZ letters): "AWS Availability Zones" — https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
//   ("Each Region has at least three Availability Zones"; older regions map AZs per account).
// unconfirmed: the exact letters per region are not listed on that page (it lists AZ IDs); the letters below come
//   from public describe-availability-zones output seen in code (e.g. ca-central-1 a/b/d, cn-north-1 a/b/d) and from
//   memory for the rest. Regions opened since 2020 have used a, b, c.
export const AWS_REGIONS = {
  // --- aws (commercial) ---
  "us-east-1": { partition: "aws", azLetters: ["a", "b", "c", "d", "e", "f"] },
  "us-east-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  // us-west-1: three letters exist, each account sees only two of them.
  "us-west-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "us-west-2": { partition: "aws", azLetters: ["a", "b", "c", "d"] },
  "af-south-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-east-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  // unconfirmed: ap-east-2 (Taipei) AZ letters.
  "ap-east-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-south-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-south-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  // ap-northeast-1: "b" exists only for accounts created before the uniform mapping; newer accounts see a, c, d.
  "ap-northeast-1": { partition: "aws", azLetters: ["a", "b", "c", "d"] },
  "ap-northeast-2": { partition: "aws", azLetters: ["a", "b", "c", "d"] },
  "ap-northeast-3": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-3": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-4": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-5": { partition: "aws", azLetters: ["a", "b", "c"] },
  // unconfirmed: ap-southeast-6 (New Zealand) AZ letters.
  "ap-southeast-6": { partition: "aws", azLetters: ["a", "b", "c"] },
  "ap-southeast-7": { partition: "aws", azLetters: ["a", "b", "c"] },
  // ca-central-1 has no "c" (public describe-availability-zones output: a, b, d).
  "ca-central-1": { partition: "aws", azLetters: ["a", "b", "d"] },
  "ca-west-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-central-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-central-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-north-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-south-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-south-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-west-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-west-2": { partition: "aws", azLetters: ["a", "b", "c"] },
  "eu-west-3": { partition: "aws", azLetters: ["a", "b", "c"] },
  "il-central-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "me-central-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "me-south-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "mx-central-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  "sa-east-1": { partition: "aws", azLetters: ["a", "b", "c"] },
  // --- aws-us-gov (GovCloud accounts only) ---
  "us-gov-east-1": { partition: "aws-us-gov", azLetters: ["a", "b", "c"] },
  "us-gov-west-1": { partition: "aws-us-gov", azLetters: ["a", "b", "c"] },
  // --- aws-cn (China accounts only) ---
  // cn-north-1 has no "c" for customers (public code lists a, b, d).
  "cn-north-1": { partition: "aws-cn", azLetters: ["a", "b", "d"] },
  "cn-northwest-1": { partition: "aws-cn", azLetters: ["a", "b", "c"] },
  // --- aws-eusc (AWS European Sovereign Cloud, its own partition, amazonaws.eu) ---
  // Source: AWS SDK partitions metadata (partition "aws-eusc", regionRegex ^eusc-(de)-\w+-\d+$), seen in public code.
  // unconfirmed: AZ letters of eusc-de-east-1.
  "eusc-de-east-1": { partition: "aws-eusc", azLetters: ["a", "b", "c"] },
} as const satisfies Readonly<Record<string, RegionFacts>>;

export type KnownRegion = keyof typeof AWS_REGIONS;

export function isKnownRegion(region: string): region is KnownRegion {
  return Object.prototype.hasOwnProperty.call(AWS_REGIONS, region);
}

/** The AZ letters that exist in `region` (union over accounts), or [] for an unknown region. */
export function azLettersOf(region: string): readonly string[] {
  return isKnownRegion(region) ? AWS_REGIONS[region].azLetters : [];
}

/** The partition of a known region; undefined for a region not in the table. */
export function partitionOfRegion(region: string): AwsPartition | undefined {
  return isKnownRegion(region) ? AWS_REGIONS[region].partition : undefined;
}

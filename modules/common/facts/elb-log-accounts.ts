/**
 * Elastic Load Balancing account per region for access-log delivery: the bucket policy must let this account's
 * root write the logs. Regions opened since August 2022 have no such account and use the service principal
 * logdelivery.elasticloadbalancing.amazonaws.com instead (elbLogAccountOf returns undefined for them).
 * Copied from modules/web-tier/elb-log-delivery.ts, which keeps its own copy for now.
 */

// Source: "Enable access logs for your Application Load Balancer" (Elastic Load Balancing User Guide), step "Attach a
//   policy to your S3 bucket" — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
// unconfirmed: the GovCloud and China accounts on the same page are not in the copied table and were not checked,
//   so they are not added here (elbLogAccountOf returns undefined for those regions).
export const ELB_ACCOUNTS = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
} as const satisfies Readonly<Record<string, string>>;

/** The ELB log-delivery account for `region`, or undefined where the service principal is used. */
export function elbLogAccountOf(region: string): string | undefined {
  const table: Readonly<Record<string, string>> = ELB_ACCOUNTS;
  return Object.prototype.hasOwnProperty.call(table, region) ? table[region] : undefined;
}

/**
 * On-demand prices (USD) of what the stacks declare, per region, as plain data with where each came from.
 *
 * Values come from the public AWS pricing pages (the `source` of each), looked up on PRICES_TAKEN in stored
 * copies of public pages. AWS renders most of its price tables with JavaScript, so the stored copies often
 * hold the page's prose but not its numbers: each price says how far it was confirmed.
 *  - "aws page": the number was read on the AWS page named in `source`.
 *  - "third-party page": the number was read on a public page quoting AWS (named in `note`); not on AWS's own.
 *  - "unconfirmed": no public copy with the number was found; the value is the one the AWS page is known to
 *    have listed, and must be checked there (README, "Monthly cost", lists which ones).
 * A region missing here has no estimate: estimate.ts says so rather than borrowing another region's prices.
 * To add a region, copy a block, check every number on the AWS pages and update PRICES_TAKEN.
 */

export const PRICES_TAKEN = "2026-12-03";

export type Confirmation = "aws page" | "third-party page" | "unconfirmed";

export interface Price {
  readonly usd: number;
  /** What one `usd` buys: "hour", "GB", "GB-month", "month", "1M requests", "connection-hour" ... */
  readonly unit: string;
  readonly source: string;
  readonly confirmation: Confirmation;
  readonly note?: string;
}

export interface RegionPrices {
  readonly name: string;
  readonly natGatewayHour: Price;
  readonly natGatewayGb: Price;
  /** Per public IPv4 address (EIPs, instances' public IPs, internet-facing load balancer nodes). */
  readonly publicIpv4Hour: Price;
  /** Per subnet associated with a Client VPN endpoint. */
  readonly clientVpnAssociationHour: Price;
  readonly clientVpnConnectionHour: Price;
  readonly albHour: Price;
  readonly albLcuHour: Price;
  /** Per interface endpoint per AZ (subnet). */
  readonly interfaceEndpointAzHour: Price;
  readonly interfaceEndpointGb: Price;
  readonly ebsGp3GbMonth: Price;
  /** RDS gp3 storage, Single-AZ (Multi-AZ stores twice). */
  readonly rdsGp3GbMonth: Price;
  readonly secretMonth: Price;
  /** Linux on-demand, per instance type. */
  readonly ec2Hour: Readonly<Record<string, Price>>;
  /** Single-AZ on-demand per engine and instance class (Multi-AZ runs a standby: twice). */
  readonly rdsHour: Readonly<Record<string, Readonly<Record<string, Price>>>>;
  /** On-demand per node type (Redis OSS / Valkey node-based clusters). */
  readonly elastiCacheNodeHour: Readonly<Record<string, Price>>;
}

const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const CLIENT_VPN = "https://aws.amazon.com/vpn/pricing/";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const PRIVATELINK = "https://aws.amazon.com/privatelink/pricing/";
const EBS = "https://aws.amazon.com/ebs/pricing/";
const RDS_POSTGRES = "https://aws.amazon.com/rds/postgresql/pricing/";
const ELASTICACHE = "https://aws.amazon.com/elasticache/pricing/";
const SECRETS = "https://aws.amazon.com/secrets-manager/pricing/";
const KMS = "https://aws.amazon.com/kms/pricing/";
const WAF = "https://aws.amazon.com/waf/pricing/";
const SSM = "https://aws.amazon.com/systems-manager/pricing/";
const EICE = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/connect-using-eice.html";
const CLOUDFRONT = "https://aws.amazon.com/cloudfront/pricing/";

const price = (usd: number, unit: string, source: string, confirmation: Confirmation, note?: string): Price => ({ usd, unit, source, confirmation, ...(note ? { note } : {}) });
const unconfirmed = (usd: number, unit: string, source: string, note?: string) => price(usd, unit, source, "unconfirmed", note);

/** Prices that are the same in every region (or billed globally). */
export const GLOBAL_PRICES = {
  kmsKeyMonth: price(1, "key-month", KMS, "aws page", "each customer managed key $1/month (prorated hourly); each automatic rotation adds $1/month for the first two rotations; 20,000 requests a month free"),
  wafWebAclMonth: price(5, "web ACL-month", WAF, "third-party page", "$5/web ACL, $1/rule, $0.60/million requests: https://c3x.dev/blog/aws-waf-cost-explained/; AWS: the same in all regions (https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/)"),
  wafRuleMonth: price(1, "rule-month", WAF, "third-party page", "a managed rule group counts as one rule; AWS Managed Rules baseline groups (Common, KnownBadInputs) carry no subscription fee, Bot Control and Fraud Control do"),
  wafMillionRequests: price(0.6, "1M requests", WAF, "third-party page"),
  gatewayEndpoint: price(0, "month", PRIVATELINK, "third-party page", "gateway endpoints (S3, DynamoDB) carry no hourly or data processing charge: https://hub.pointfive.co/inefficiencies/excessive-nat-gateway-data-processing-charges-from-unoptimized-traffic-routing"),
  /** EC2 Instance Connect Endpoint: no charge for the endpoint; data transfer applies. */
  instanceConnectEndpoint: unconfirmed(0, "month", EICE, "AWS: no additional cost for EC2 Instance Connect Endpoint; standard data transfer charges apply"),
  /** Session Manager sessions to EC2 instances: no charge (advanced instances only for on-premises nodes). */
  sessionManager: unconfirmed(0, "month", SSM, "Session Manager is free for EC2 instances; its logs (CloudWatch Logs, S3) and KMS keys are charged as usual"),
  cloudFront: unconfirmed(0, "month", CLOUDFRONT, "requests and data transfer: not estimated (usage assumption); the always-free tier covers 1 TB out and 10 million requests a month"),
} as const;

export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": {
    name: "US East (N. Virginia)",
    natGatewayHour: price(0.045, "hour", VPC, "third-party page", "https://cloudburn.io/blog/aws-nat-gateway-pricing, https://basavytix.com/blog/aws-nat-gateway-pricing (us-east-1 $0.045/h, $0.045/GB)"),
    natGatewayGb: price(0.045, "GB", VPC, "third-party page"),
    publicIpv4Hour: price(0.005, "hour", VPC, "third-party page", "$0.005 per public IPv4 address-hour since 2024-02-01, every region: https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/ as quoted by https://vishalvyas.com/understand-aws-public-ipv4-address-usage-and-pricing/"),
    clientVpnAssociationHour: unconfirmed(0.1, "association-hour", CLIENT_VPN),
    clientVpnConnectionHour: unconfirmed(0.05, "connection-hour", CLIENT_VPN, "$0.05/connection-hour is quoted for Tokyo by https://qiita.com/kfukuie/items/846ee76b80a2142d2f98; us-east-1's not seen"),
    albHour: unconfirmed(0.0225, "hour", ELB),
    albLcuHour: unconfirmed(0.008, "LCU-hour", ELB),
    interfaceEndpointAzHour: price(0.01, "AZ-hour", PRIVATELINK, "third-party page", "https://knbrlo.com/notes/aws/nat-gateway-data-processing (~$0.01/h per endpoint per AZ, $0.01/GB)"),
    interfaceEndpointGb: price(0.01, "GB", PRIVATELINK, "third-party page"),
    ebsGp3GbMonth: unconfirmed(0.08, "GB-month", EBS),
    rdsGp3GbMonth: price(0.115, "GB-month", RDS_POSTGRES, "third-party page", "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/ (gp3 $0.115/GB-month, us-east-1)"),
    secretMonth: price(0.4, "secret-month", SECRETS, "third-party page", "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms ($0.40/secret-month + $0.05/10k calls)"),
    ec2Hour: {
      "t4g.nano": unconfirmed(0.0042, "hour", EC2),
      "t4g.micro": unconfirmed(0.0084, "hour", EC2),
      "t4g.small": unconfirmed(0.0168, "hour", EC2),
      "t4g.medium": unconfirmed(0.0336, "hour", EC2),
      "t3.micro": unconfirmed(0.0104, "hour", EC2),
      "a1.large": unconfirmed(0.051, "hour", EC2),
      "c6g.large": unconfirmed(0.068, "hour", EC2),
      "c6g.xlarge": unconfirmed(0.136, "hour", EC2),
      "m6g.large": unconfirmed(0.077, "hour", EC2),
      "m7g.large": price(0.0816, "hour", EC2, "third-party page", "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/ (us-east-1, June 2026)"),
      "m7i.large": unconfirmed(0.1008, "hour", EC2),
    },
    rdsHour: {
      postgres: {
        "db.t4g.micro": price(0.016, "hour", RDS_POSTGRES, "third-party page", "https://infratally.com/articles/aws-rds-pricing-explained-2026.html (PostgreSQL, us-east-1, Single-AZ; Multi-AZ exactly double)"),
        "db.t4g.small": price(0.032, "hour", RDS_POSTGRES, "third-party page", "https://infratally.com/articles/aws-rds-pricing-explained-2026.html"),
        "db.t4g.medium": price(0.065, "hour", RDS_POSTGRES, "third-party page", "https://infratally.com/articles/aws-rds-pricing-explained-2026.html"),
        "db.t4g.large": unconfirmed(0.129, "hour", RDS_POSTGRES),
      },
    },
    elastiCacheNodeHour: {
      "cache.t4g.micro": unconfirmed(0.016, "hour", ELASTICACHE),
      "cache.t4g.small": unconfirmed(0.032, "hour", ELASTICACHE),
      "cache.t4g.medium": unconfirmed(0.065, "hour", ELASTICACHE),
    },
  },
  "ap-northeast-2": {
    name: "Asia Pacific (Seoul)",
    natGatewayHour: unconfirmed(0.059, "hour", VPC, "a Korean public page puts Seoul's NAT hourly charge at about $40-50 a month (https://www.mimistory.kr/2026/02), consistent with $0.059 × 730 h = $43.07"),
    natGatewayGb: unconfirmed(0.059, "GB", VPC),
    publicIpv4Hour: price(0.005, "hour", VPC, "third-party page", "the same $0.005 in every region (https://taourl.com/read-2607549.html quoting AWS)"),
    clientVpnAssociationHour: unconfirmed(0.15, "association-hour", CLIENT_VPN, "Tokyo's $0.15 is quoted by https://qiita.com/kfukuie/items/846ee76b80a2142d2f98; Seoul's not seen"),
    clientVpnConnectionHour: unconfirmed(0.05, "connection-hour", CLIENT_VPN),
    albHour: unconfirmed(0.0225, "hour", ELB),
    albLcuHour: unconfirmed(0.008, "LCU-hour", ELB),
    interfaceEndpointAzHour: unconfirmed(0.013, "AZ-hour", PRIVATELINK),
    interfaceEndpointGb: unconfirmed(0.01, "GB", PRIVATELINK),
    ebsGp3GbMonth: unconfirmed(0.0912, "GB-month", EBS),
    rdsGp3GbMonth: unconfirmed(0.131, "GB-month", RDS_POSTGRES),
    secretMonth: unconfirmed(0.4, "secret-month", SECRETS),
    ec2Hour: {
      "t4g.nano": unconfirmed(0.0052, "hour", EC2),
      "t4g.micro": unconfirmed(0.0104, "hour", EC2),
      "t4g.small": unconfirmed(0.0208, "hour", EC2),
      "t4g.medium": unconfirmed(0.0416, "hour", EC2),
      "t3.micro": unconfirmed(0.013, "hour", EC2),
      "c6g.large": unconfirmed(0.077, "hour", EC2),
      "c6g.xlarge": unconfirmed(0.154, "hour", EC2),
      "m6g.large": unconfirmed(0.094, "hour", EC2),
    },
    rdsHour: {
      postgres: {
        "db.t4g.micro": unconfirmed(0.025, "hour", RDS_POSTGRES),
        "db.t4g.small": unconfirmed(0.047, "hour", RDS_POSTGRES),
        "db.t4g.medium": unconfirmed(0.094, "hour", RDS_POSTGRES),
      },
    },
    elastiCacheNodeHour: {
      "cache.t4g.micro": unconfirmed(0.024, "hour", ELASTICACHE),
      "cache.t4g.small": unconfirmed(0.047, "hour", ELASTICACHE),
      "cache.t4g.medium": unconfirmed(0.094, "hour", ELASTICACHE),
    },
  },
};

/** The region's prices, or undefined where none are kept (never another region's). */
export function regionPrices(region: string): RegionPrices | undefined {
  return Object.prototype.hasOwnProperty.call(REGION_PRICES, region) ? REGION_PRICES[region] : undefined;
}

/**
 * Usage the estimate assumes where the synthesized stacks cannot say (traffic, people, requests). Shown
 * with every estimate; change them here (or pass your own to estimateMonthlyCost) for your own numbers.
 */
export interface UsageAssumptions {
  /** Hours in a month: 730 (365 × 24 / 12), as the AWS pricing calculator uses. */
  readonly hoursPerMonth: number;
  /** GB processed by the environment's NAT gateways together (split evenly across them). */
  readonly natGbPerMonth: number;
  /** People connected through Client VPN, each for `clientVpnHoursPerPerson` a month. */
  readonly clientVpnPeople: number;
  readonly clientVpnHoursPerPerson: number;
  /** Average Load Balancer Capacity Units the ALB uses each hour. */
  readonly albLcu: number;
  /** Requests the WAF inspects a month, in millions. */
  readonly wafMillionRequests: number;
  /** GB through each interface VPC endpoint a month. */
  readonly interfaceEndpointGbPerMonth: number;
}

export const DEFAULT_ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: 730,
  natGbPerMonth: 100,
  clientVpnPeople: 5,
  clientVpnHoursPerPerson: 8 * 22, // 8 hours a working day, 22 working days
  albLcu: 1,
  wafMillionRequests: 1,
  interfaceEndpointGbPerMonth: 10,
};

/** What the estimate leaves out, whatever the assumptions. */
export const NOT_ESTIMATED: readonly string[] = [
  "data transfer out to the internet and between AZs",
  "CloudFront requests and data transfer (the always-free tier covers 1 TB out and 10 million requests a month)",
  "CloudWatch Logs ingestion and storage (flow logs, WAF, Client VPN, RDS, ElastiCache, Session Manager logs), S3 storage and requests",
  "RDS backup storage beyond the database's size, Performance Insights beyond the free 7 days, Enhanced Monitoring's CloudWatch Logs",
  "KMS requests beyond the free 20,000 a month and the $1/month that each of a key's first two automatic rotations adds",
  "Route 53 hosted zone and queries, ACM public certificates (free), SSM standard parameters (free)",
  "Cloudflare (Zero Trust is free up to 50 users)",
  "taxes, Savings Plans, Reserved Instances, the free tier",
];

/** The assumptions as short phrases, for the synth line and the review page. */
export function describeAssumptions(a: UsageAssumptions): string[] {
  return [
    `${a.hoursPerMonth} hours a month`,
    `${a.natGbPerMonth} GB through NAT`,
    `${a.clientVpnPeople} Client VPN users × ${a.clientVpnHoursPerPerson} h = ${a.clientVpnPeople * a.clientVpnHoursPerPerson} connection-hours`,
    `${a.albLcu} ALB LCU on average`,
    `${a.wafMillionRequests}M WAF requests`,
    `${a.interfaceEndpointGbPerMonth} GB per interface endpoint`,
  ];
}

/**
 * CloudWatch Logs accepts only these retention periods; anything else fails at apply
 * (InvalidParameterException), so a plan-time check saves a round trip.
 */

// Source: "PutRetentionPolicy - Amazon CloudWatch Logs" (API Reference), retentionInDays —
//   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
//   Confirmed via the SDK docs generated from the same model (boto3 put_retention_policy; aws-sdk-cloudwatchlogs 1.135.0):
//   "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653."
//   To keep events forever there is no value: omit retention (DeleteRetentionPolicy).
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export function isLogRetentionDays(days: number): days is LogRetentionDays {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** A short problem for a retention value CloudWatch Logs refuses, or undefined. */
export function logRetentionProblem(days: number): string | undefined {
  if (isLogRetentionDays(days)) return undefined;
  return `${days} is not a CloudWatch Logs retention period (one of ${LOG_RETENTION_DAYS.join(", ")})`;
}

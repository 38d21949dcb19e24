import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { partitionOf } from "../common/arn";
import { elbLogAccountOf } from "../common/facts/elb-log-accounts";

/** The bucket-policy statement that lets ALB access logs be written under `prefix` for `accountId`. */
export function elbLogDeliveryStatement(region: string, accountId: string, bucketArn: string, prefix: string): DataAwsIamPolicyDocumentStatement {
  // Regions opened since August 2022 have no account: the log-delivery service principal writes there.
  const elbAccount = elbLogAccountOf(region);
  return {
    sid: "ElbAccessLogDelivery",
    effect: "Allow",
    principals: elbAccount
      ? [{ type: "AWS", identifiers: [`arn:${partitionOf(region)}:iam::${elbAccount}:root`] }]
      : [{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }],
    actions: ["s3:PutObject"],
    resources: [`${bucketArn}/${prefix}/AWSLogs/${accountId}/*`],
  };
}

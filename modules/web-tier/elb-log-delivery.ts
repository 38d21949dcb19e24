import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { partitionOf } from "../common/arn";

/**
 * Elastic Load Balancing account per region for access-log delivery (AWS ELB user guide,
 * "Enable access logs"). Regions opened since August 2022 use the log-delivery service principal.
 */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
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
};

/** The bucket-policy statement that lets ALB access logs be written under `prefix` for `accountId`. */
export function elbLogDeliveryStatement(region: string, accountId: string, bucketArn: string, prefix: string): DataAwsIamPolicyDocumentStatement {
  const elbAccount = ELB_ACCOUNTS[region];
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

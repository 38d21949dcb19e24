import { Construct } from "constructs";
import { fitName } from "../common/name-budget";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LogEncryptionKey } from "../common/log-encryption-key";
import { logGroupArn } from "../common/arn";

export interface VpcFlowLogsProps {
  readonly vpcId: string;
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** @default 365 */
  readonly retentionInDays: number;
  /** @default "ALL" (accepted and rejected traffic) */
  readonly trafficType: "ALL" | "ACCEPT" | "REJECT";
}

/** VPC flow logs to a KMS-encrypted CloudWatch log group, written by a role that can do only that. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const logGroupName = `/${props.namePrefix}/vpc-flow-logs`;
    const key = new LogEncryptionKey(this, "key", {
      region: props.region,
      accountId: props.accountId,
      alias: `${props.namePrefix}-vpc-flow-logs`,
      logGroupNames: [logGroupName],
    });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyId: key.arn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          // Confused-deputy guard: only flow logs of this account may assume the role.
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: fitName(`${props.namePrefix}-vpc-flow-logs`, 64),
      description: "Lets VPC flow logs write to their own log group",
      assumeRolePolicy: trust.json,
    });
    // The permissions VPC Flow Logs documents for publishing to CloudWatch Logs: CreateLogGroup,
    // CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams (its example grants them on
    // "*"). Here each is scoped to this log group, except DescribeLogGroups, a list action that IAM
    // authorizes on the account's log groups as a whole (log-group:*), kept to this account and region.
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        {
          sid: "WriteFlowLogsToOwnGroup",
          effect: "Allow",
          actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
        {
          sid: "DescribeLogGroups",
          effect: "Allow",
          actions: ["logs:DescribeLogGroups"],
          resources: [logGroupArn(props.region, props.accountId, "*")],
        },
      ],
    });
    new IamRolePolicy(this, "role-policy", { name: "write-flow-logs", role: role.id, policy: write.json });
    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.namePrefix}-vpc-flow-logs` },
    });
  }
}

import { Construct } from "constructs";
import { fitName } from "../common/name-budget";
import type { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { LogEncryptionKey } from "../common/log-encryption-key";

export interface EdgeFirewallProps {
  readonly namePrefix: string;
  readonly accountId: string;
  /** Office ranges allowed in; everyone else gets the block response. */
  readonly officeCidrs: string[];
  /** Body of the 403 everyone outside the office ranges receives. */
  readonly blockResponseBody: string;
  /** CLOUDFRONT-scope ACLs live in us-east-1: the provider for that region. */
  readonly usEast1: TerraformProvider;
  /** @default 365 */
  readonly logRetentionInDays: number;
}

const visibility = (name: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });

/**
 * The edge's WAF, hardened: AWS managed rule groups first (they also see office traffic), then the
 * office allow-list, and a default Block with a custom response. Logs to an encrypted log group.
 */
export class EdgeFirewall extends Construct {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const provider = props.usEast1;
    const ipSet = new Wafv2IpSet(this, "office", {
      name: fitName(`${props.namePrefix}-office`, 128),
      scope: "CLOUDFRONT",
      ipAddressVersion: "IPV4",
      addresses: props.officeCidrs,
      provider,
    });
    const managed = (priority: number, name: string, overrides: object[] = []) => ({
      Name: name,
      Priority: priority,
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: name, ...(overrides.length ? { RuleActionOverrides: overrides } : {}) } },
      VisibilityConfig: visibility(name),
    });
    const rules = [
      // The common rule set blocks request bodies over 8 KB (SizeRestrictions_BODY) before the office
      // allow rule is reached: count it instead, and block large bodies ourselves everywhere but /api/,
      // where office users POST. Managed rules stay first so office traffic is inspected too.
      // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
      managed(0, "AWSManagedRulesCommonRuleSet", [{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]),
      {
        Name: "block-large-bodies-outside-api",
        Priority: 1,
        Action: { Block: {} },
        Statement: {
          AndStatement: {
            Statements: [
              { LabelMatchStatement: { Scope: "LABEL", Key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } },
              {
                NotStatement: {
                  Statement: {
                    RegexMatchStatement: { RegexString: "^/api/", FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: "NONE" }] },
                  },
                },
              },
            ],
          },
        },
        VisibilityConfig: visibility("block-large-bodies-outside-api"),
      },
      managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
      {
        Name: "allow-office",
        Priority: 3,
        Action: { Allow: {} },
        Statement: { IPSetReferenceStatement: { ARN: ipSet.arn } },
        VisibilityConfig: visibility("allow-office"),
      },
    ];
    const acl = new Wafv2WebAcl(this, "acl", {
      name: fitName(`${props.namePrefix}-edge`, 128),
      description: "Office allow-list behind AWS managed rules; everyone else is blocked",
      scope: "CLOUDFRONT",
      defaultAction: { block: { customResponse: { responseCode: 403, customResponseBodyKey: "blocked" } } },
      customResponseBody: [{ key: "blocked", content: props.blockResponseBody, contentType: "TEXT_PLAIN" }],
      // Plain JSON (the IP set's ARN interpolated inside it): readable in the plan and by the path verifier.
      ruleJson: JSON.stringify(rules),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: fitName(`${props.namePrefix}-edge`, 128), sampledRequestsEnabled: true },
      provider,
    });
    this.webAclArn = acl.arn;

    // WAF only logs to groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${props.namePrefix}`;
    const key = new LogEncryptionKey(this, "log-key", {
      region: "us-east-1",
      accountId: props.accountId,
      alias: `${props.namePrefix}-waf-logs`,
      logGroupNames: [logGroupName],
      provider,
    });
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionInDays,
      kmsKeyId: key.arn,
      provider,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      provider,
    });
  }
}

import type { IConstruct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { ALB_TLS_POLICIES } from "../../../modules/web-tier/settings";
import type { GuardrailRule } from "../rule";

const OLD_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1"];
const VIEWER_MINIMUMS = ["TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const tlsPolicy: GuardrailRule = {
  id: "PA-WEB-001",
  title: "TLS 1.2 or newer everywhere: ALB HTTPS listeners use a TLS 1.3 policy, CloudFront TLSv1.2_2019 or newer",
  explanation: "Older protocols and ciphers are downgradable; every policy allowed here refuses TLS 1.0/1.1.",
  check(construct: IConstruct): string[] {
    if (construct instanceof LbListener && construct.protocolInput === "HTTPS") {
      const policy = construct.sslPolicyInput;
      if (!policy || !(ALB_TLS_POLICIES as readonly string[]).includes(policy)) {
        return [`HTTPS listener uses ssl_policy ${policy ?? "(the ALB default, which allows TLS 1.0)"}; use one of ${ALB_TLS_POLICIES.join(", ")}`];
      }
    }
    if (construct instanceof CloudfrontDistribution) {
      const problems: string[] = [];
      const minimum = construct.viewerCertificateInput?.minimumProtocolVersion;
      if (!minimum || !VIEWER_MINIMUMS.includes(minimum)) problems.push(`viewer minimum_protocol_version is ${minimum ?? "unset"}; use TLSv1.2_2021`);
      const origins = construct.originInput;
      for (const origin of Array.isArray(origins) ? origins : []) {
        const old = origin.customOriginConfig?.originSslProtocols.filter((p) => OLD_PROTOCOLS.includes(p)) ?? [];
        if (old.length > 0) problems.push(`origin ${origin.originId} allows ${old.join(", ")}`);
        if (origin.customOriginConfig && origin.customOriginConfig.originProtocolPolicy !== "https-only") {
          problems.push(`origin ${origin.originId} is reached with ${origin.customOriginConfig.originProtocolPolicy}; use https-only`);
        }
      }
      return problems;
    }
    return [];
  },
};

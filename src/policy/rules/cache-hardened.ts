import type { IConstruct } from "constructs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import type { GuardrailRule } from "../rule";

const isTrue = (value: unknown) => value === true || value === "true";

export const cacheHardened: GuardrailRule = {
  id: "PA-DATA-002",
  title: "ElastiCache encrypts at rest and requires TLS, and keeps no auth token in the plan",
  explanation: "Cache contents are often session data; an auth token in the configuration ends up in state in clear text.",
  check(construct: IConstruct): string[] {
    if (!(construct instanceof ElasticacheReplicationGroup)) return [];
    const problems: string[] = [];
    if (!isTrue(construct.atRestEncryptionEnabledInput)) problems.push("at-rest encryption is off");
    if (!isTrue(construct.transitEncryptionEnabledInput)) problems.push("in-transit encryption is off");
    else if (construct.transitEncryptionModeInput === "preferred") problems.push('transit encryption mode is "preferred" (plain connections still allowed)');
    if (construct.authTokenInput !== undefined) problems.push("an auth token is set in the configuration (use RBAC with IAM authentication)");
    return problems;
  },
};

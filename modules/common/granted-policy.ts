import type { Construct } from "constructs";
import { Lazy } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { PolicyStatement } from "./contracts";

/**
 * A role's inline policy holding statements granted after construction (rendered at synth, when
 * every capability has granted what it needs). IAM refuses an inline policy with no statement, so
 * the policy exists only when something was granted.
 */
export function grantedInlinePolicy(scope: Construct, role: IamRole, policyName: string, statements: () => readonly PolicyStatement[]): void {
  const document = new DataAwsIamPolicyDocument(scope, "granted", {
    statement: Lazy.anyValue({
      produce: () =>
        statements().map((s) => ({
          sid: s.sid,
          effect: "Allow",
          actions: s.actions,
          resources: s.resources,
          condition: s.condition?.map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
        })),
    }) as never,
  });
  new IamRolePolicy(scope, "granted-policy", {
    name: policyName,
    role: role.id,
    policy: document.json,
    count: Lazy.numberValue({ produce: () => (statements().length > 0 ? 1 : 0) }),
  });
}

import type { IConstruct } from "constructs";
import { Tokenization } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { resolveTokens } from "../resolve";
import type { GuardrailRule } from "../rule";

interface StatementShape {
  effect?: string;
  actions?: string[];
  principals?: unknown[];
  sid?: string;
}

export const noWildcardIam: GuardrailRule = {
  id: "PA-IAM-001",
  title: "Identity policies name their actions: no `*` or `service:*` in Allow statements",
  explanation:
    "A wildcard action grants every permission a service will ever add. Resource policies (key and bucket policies, with principals) are out of scope: AWS's own key policy uses kms:* for the account.",
  check(construct: IConstruct): string[] {
    if (!(construct instanceof DataAwsIamPolicyDocument)) return [];
    const input = construct.statementInput;
    // Only what the verdict reads is resolved (resources and conditions hold most of the tokens);
    // a list of principals is judged by its length, not its ARNs.
    const wanted = Array.isArray(input)
      ? input.map((s) => (Tokenization.isResolvable(s) ? s : { effect: s.effect, actions: s.actions, sid: s.sid, principals: Array.isArray(s.principals) ? s.principals.map(() => 0) : s.principals }))
      : input;
    const statements = resolveTokens(construct, wanted);
    if (!Array.isArray(statements)) return [];
    return (statements as StatementShape[])
      .filter((s) => (s.effect ?? "Allow") === "Allow" && !(s.principals && s.principals.length > 0))
      .flatMap((s) =>
        (s.actions ?? []).filter((a) => a === "*" || a.endsWith(":*")).map((a) => `statement ${s.sid ?? "(no sid)"} allows ${a}`),
      );
  },
};

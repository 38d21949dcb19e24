import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { resolveTokens } from "../resolve";
import type { GuardrailRule } from "../rule";

const hasRules = (value: unknown) => value !== undefined && (!Array.isArray(value) || value.length > 0);

export const defaultSecurityGroupClosed: GuardrailRule = {
  id: "PA-NET-004",
  title: "Every VPC's default security group is managed and admits nothing",
  explanation:
    "Resources created without a group land in the default one, which AWS opens to itself and the internet on egress; managing it with no rules closes that door.",
  check(construct: IConstruct): string[] {
    if (!TerraformStack.isStack(construct)) return [];
    const all = construct.node.findAll();
    const managed = all.filter((c): c is DefaultSecurityGroup => c instanceof DefaultSecurityGroup);
    const problems = managed
      .filter((group) => hasRules(group.ingressInput) || hasRules(group.egressInput))
      .map((group) => `default security group ${group.node.path} has rules; it must have none`);
    const covered = new Set(managed.map((group) => resolveTokens(construct, group.vpcIdInput)));
    return problems.concat(
      all
        .filter((c): c is Vpc => c instanceof Vpc)
        .filter((vpc) => !covered.has(resolveTokens(construct, vpc.id)))
        .map((vpc) => `VPC ${vpc.node.path} leaves its default security group unmanaged (add aws_default_security_group with no rules)`),
    );
  },
};

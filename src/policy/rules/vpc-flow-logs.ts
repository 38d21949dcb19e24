import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { resolveTokens } from "../resolve";
import type { GuardrailRule } from "../rule";

export const vpcFlowLogs: GuardrailRule = {
  id: "PA-NET-003",
  title: "Every VPC has flow logs",
  explanation: "Flow logs are the only record of who talked to what inside the VPC; without them an incident cannot be reconstructed.",
  check(construct: IConstruct): string[] {
    if (!TerraformStack.isStack(construct)) return [];
    const all = construct.node.findAll();
    // Attribute tokens differ per access; compare what they resolve to (`${aws_vpc.x.id}`).
    const logged = new Set(all.filter((c): c is FlowLog => c instanceof FlowLog).map((f) => resolveTokens(construct, f.vpcIdInput)));
    return all
      .filter((c): c is Vpc => c instanceof Vpc)
      .filter((vpc) => !logged.has(resolveTokens(construct, vpc.id)))
      .map((vpc) => `VPC ${vpc.node.path} has no aws_flow_log`);
  },
};

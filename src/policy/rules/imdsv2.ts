import type { IConstruct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { GuardrailRule } from "../rule";

export const imdsv2: GuardrailRule = {
  id: "PA-EC2-001",
  title: "Instances require IMDSv2 (session tokens)",
  explanation: "IMDSv1 answers any request that reaches it, which turns an SSRF bug into stolen instance-role credentials.",
  check(construct: IConstruct): string[] {
    if (construct instanceof LaunchTemplate || construct instanceof Instance) {
      const options = construct.metadataOptionsInput;
      if (options?.httpTokens !== "required") return ["metadata_options.http_tokens is not \"required\" (IMDSv1 stays on)"];
      if ((options.httpPutResponseHopLimit ?? 1) > 2) return [`metadata hop limit ${options.httpPutResponseHopLimit} lets containers and forwarded requests reach IMDS`];
    }
    return [];
  },
};

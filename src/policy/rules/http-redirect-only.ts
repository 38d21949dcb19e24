import type { IConstruct } from "constructs";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import type { GuardrailRule } from "../rule";

export const httpRedirectOnly: GuardrailRule = {
  id: "PA-WEB-002",
  title: "Plain-HTTP listeners only redirect to HTTPS",
  explanation: "Port 80 exists so that typed URLs work; serving anything on it would send content and cookies in clear text.",
  check(construct: IConstruct): string[] {
    if (!(construct instanceof LbListener) || construct.protocolInput !== "HTTP") return [];
    const actions = construct.defaultActionInput;
    const redirectsToHttps =
      Array.isArray(actions) && actions.length === 1 && actions[0].type === "redirect" && actions[0].redirect?.protocol === "HTTPS";
    return redirectsToHttps ? [] : ["HTTP listener does something other than redirect to HTTPS"];
  },
};

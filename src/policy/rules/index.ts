import type { GuardrailRule } from "../rule";
import { defaultSecurityGroupClosed } from "./default-sg-closed";
import { noPublicIp } from "./no-public-ip";
import { noWorldIngress } from "./no-world-ingress";
import { vpcFlowLogs } from "./vpc-flow-logs";

/** Every guardrail, in id order. Later capabilities append theirs here. */
export const ALL_RULES: readonly GuardrailRule[] = [noWorldIngress, noPublicIp, vpcFlowLogs, defaultSecurityGroupClosed];

import type { GuardrailRule } from "../rule";
import { defaultSecurityGroupClosed } from "./default-sg-closed";
import { noPublicIp } from "./no-public-ip";
import { noWorldIngress } from "./no-world-ingress";
import { vpcFlowLogs } from "./vpc-flow-logs";
import { cacheHardened } from "./cache-hardened";
import { databaseHardened } from "./database-hardened";
import { encryptionAtRest } from "./encryption-at-rest";
import { httpRedirectOnly } from "./http-redirect-only";
import { imdsv2 } from "./imdsv2";
import { instanceImageResolvable } from "./instance-image-resolvable";
import { noWildcardIam } from "./no-wildcard-iam";
import { tlsPolicy } from "./tls-policy";
import { namesFit } from "./names-fit";

/** Every guardrail, in id order. Later capabilities append theirs here. */
export const ALL_RULES: readonly GuardrailRule[] = [
  noWorldIngress,
  noPublicIp,
  vpcFlowLogs,
  defaultSecurityGroupClosed,
  tlsPolicy,
  httpRedirectOnly,
  imdsv2,
  instanceImageResolvable,
  encryptionAtRest,
  noWildcardIam,
  databaseHardened,
  cacheHardened,
  namesFit,
];

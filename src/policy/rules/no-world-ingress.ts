import type { IConstruct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { GuardrailRule } from "../rule";

const WORLD = ["0.0.0.0/0", "::/0"];

interface IngressShape {
  cidrs: (string | undefined)[];
  fromPort?: number;
  toPort?: number;
}

export const noWorldIngress: GuardrailRule = {
  id: "PA-NET-001",
  title: "No ingress from 0.0.0.0/0 or ::/0, except the public entry point on 80/443",
  explanation:
    "Every private resource is reached through the ALB, CloudFront, the EIC Endpoint, Session Manager, Client VPN or the Cloudflare tunnel; an open port is an attack surface that bypasses all of them.",
  check(construct: IConstruct): string[] {
    const shapes = ingressOf(construct);
    const problems: string[] = [];
    for (const shape of shapes) {
      const world = shape.cidrs.find((cidr) => cidr !== undefined && WORLD.includes(cidr));
      if (!world) continue;
      // The public entry point's module records an exception for its 80/443 rules (guardrails.ts).
      problems.push(`ingress from ${world} on ${portText(shape)}; only the public entry point may take 80/443 from the internet`);
    }
    return problems;
  },
};

function ingressOf(construct: IConstruct): IngressShape[] {
  if (construct instanceof VpcSecurityGroupIngressRule) {
    return [
      {
        cidrs: [construct.cidrIpv4Input, construct.cidrIpv6Input],
        fromPort: construct.fromPortInput,
        toPort: construct.toPortInput,
      },
    ];
  }
  if (construct instanceof SecurityGroupRule && construct.typeInput === "ingress") {
    return [
      {
        cidrs: [...(construct.cidrBlocksInput ?? []), ...(construct.ipv6CidrBlocksInput ?? [])],
        fromPort: construct.fromPortInput,
        toPort: construct.toPortInput,
      },
    ];
  }
  if (construct instanceof SecurityGroup || construct instanceof DefaultSecurityGroup) {
    const ingress = construct.ingressInput;
    if (!Array.isArray(ingress)) return [];
    return ingress.map((rule) => ({
      cidrs: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])],
      fromPort: rule.fromPort,
      toPort: rule.toPort,
    }));
  }
  return [];
}

function portText(shape: IngressShape): string {
  if (shape.fromPort === undefined) return "all ports";
  return shape.fromPort === shape.toPort ? `port ${shape.fromPort}` : `ports ${shape.fromPort}-${shape.toPort}`;
}

import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { markPublicEntry, recordFact } from "../common/markers";

export interface ManagedSecurityGroupProps {
  readonly vpcId: string;
  /** Full resource name, e.g. `private-access-example-app`. */
  readonly name: string;
  readonly description: string;
  /** Short unique name used in the ids of other groups' rules that point here. @default the construct id */
  readonly key?: string;
}

/** Ports the internet may reach, and only on a group marked as the public entry (the ALB). */
export const PUBLIC_ENTRY_PORTS = [80, 443] as const;

/**
 * A security group that owns its rules (one `aws_vpc_security_group_*_rule` each, every one described).
 * It starts with no ingress and no egress: other modules open exactly what they need through its
 * methods, so no module edits another's group.
 */
export class ManagedSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly id: string;
  readonly name: string;
  readonly key: string;

  constructor(scope: Construct, id: string, props: ManagedSecurityGroupProps) {
    super(scope, id);
    this.key = props.key ?? id;
    if (!props.description.trim()) throw new Error(`${id}: description must not be empty`);
    this.name = props.name;
    this.securityGroup = new SecurityGroup(this, "group", {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.name },
    });
    this.id = this.securityGroup.id;
    if (props.key) recordFact(this.securityGroup, "purpose", props.key);
  }

  /**
   * Lets this group reach `port` on `target` and admits it there: both sides of a group-to-group
   * rule written by one call (after aws-cdk's `Connections`), so no caller writes only one side and
   * leaves a path that plans but never connects.
   */
  connectTo(target: ManagedSecurityGroup, port: number, descriptions: { readonly egress: string; readonly ingress: string }): void {
    this.egress(`out-${port}-to-${target.key}`, port, descriptions.egress, { referencedSecurityGroupId: target.id });
    target.ingress(`in-${port}-from-${this.key}`, port, descriptions.ingress, { referencedSecurityGroupId: this.id });
  }

  /** Admits `port` from a CIDR; the internet is refused here (see `allowPublicEntry`). */
  allowFromCidr(cidr: string, port: number, description: string): VpcSecurityGroupIngressRule {
    if (cidr === "0.0.0.0/0") throw new Error(`${this.node.id}: allowFromCidr(${cidr}) opens port ${port} to the internet; use allowPublicEntry for the public entry point`);
    return this.ingress(`in-${port}-from-${cidr.replace(/[./]/g, "-")}`, port, description, { cidrIpv4: cidr });
  }

  /** Admits `port` from a managed prefix list (for example CloudFront's origin-facing list). */
  allowFromPrefixList(prefixListId: string, key: string, port: number, description: string): VpcSecurityGroupIngressRule {
    return this.ingress(`in-${port}-from-${key}`, port, description, { prefixListId });
  }

  /** Admits HTTP/HTTPS from the whole internet: only for the public entry point, and marked for the guardrails. */
  allowPublicEntry(port: (typeof PUBLIC_ENTRY_PORTS)[number], description: string): VpcSecurityGroupIngressRule {
    if (!PUBLIC_ENTRY_PORTS.includes(port)) throw new Error(`${this.node.id}: allowPublicEntry port must be 80 or 443, got ${port}`);
    const rule = this.ingress(`in-${port}-from-internet`, port, description, { cidrIpv4: "0.0.0.0/0" });
    markPublicEntry(rule, ["PA-NET-001"], "the public entry point: HTTP(S) to the ALB when no edge fronts it");
    return rule;
  }


  /** Lets this group reach `port` on a CIDR (for example HTTPS out through the NAT gateway). TCP unless told UDP. */
  allowToCidr(cidr: string, port: number, description: string, protocol: "tcp" | "udp" = "tcp"): VpcSecurityGroupEgressRule {
    // TCP rules keep their original ids, so adding UDP never renames (and replaces) an existing rule.
    const id = `out-${protocol === "udp" ? "udp-" : ""}${port}-to-${cidr.replace(/[./]/g, "-")}`;
    return this.egress(id, port, description, { cidrIpv4: cidr }, protocol);
  }

  /** Lets this group reach `port` on a managed prefix list (for example the S3 gateway endpoint's). */
  allowToPrefixList(prefixListId: string, key: string, port: number, description: string): VpcSecurityGroupEgressRule {
    return this.egress(`out-${port}-to-${key}`, port, description, { prefixListId });
  }

  private ingress(id: string, port: number, description: string, peer: RulePeer): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, this.ruleConfig(port, description, peer));
  }

  private egress(id: string, port: number, description: string, peer: RulePeer, protocol: "tcp" | "udp" = "tcp"): VpcSecurityGroupEgressRule {
    // Two capabilities may need the same way out (HTTPS to the internet): the rule exists once.
    const existing = this.node.tryFindChild(id) as VpcSecurityGroupEgressRule | undefined;
    if (existing) return existing;
    return new VpcSecurityGroupEgressRule(this, id, this.ruleConfig(port, description, peer, protocol));
  }

  /** One port, one protocol, one peer, always described: the shape every rule of this project has. */
  private ruleConfig(port: number, description: string, peer: RulePeer, protocol: "tcp" | "udp" = "tcp") {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${this.node.id}: port must be 1 to 65535, got ${port}`);
    if (!description.trim()) throw new Error(`${this.node.id}: every rule needs a description (port ${port})`);
    return { securityGroupId: this.id, ipProtocol: protocol, fromPort: port, toPort: port, description, ...peer };
  }
}

interface RulePeer {
  readonly referencedSecurityGroupId?: string;
  readonly cidrIpv4?: string;
  readonly prefixListId?: string;
}

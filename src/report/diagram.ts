import type { CidrPlan } from "../../modules/network/cidr/plan";
import type { AccessPath } from "./access-matrix";
import { SynthesizedStack, resources } from "../synthesized/terraform-json";

export interface Diagram {
  readonly nodes: { id: string; label: string; group?: string }[];
  readonly edges: { from: string; to: string; label: string }[];
}

/** Security groups are named `<project>-<env>-<purpose>`; the purpose names the node. */
const purposeOf = (sgName: string) => sgName.split("-").slice(-1)[0] === "vpn" ? "client-vpn" : sgName.replace(/^.*-(alb|app|db|cache|eic|bastion|endpoints)$/, "$1");

const LABELS: Record<string, string> = {
  alb: "ALB (HTTPS, ACM)",
  app: "App servers (ASG, private)",
  db: "RDS",
  cache: "ElastiCache",
  eic: "EC2 Instance Connect Endpoint",
  "client-vpn": "Client VPN (mutual TLS)",
  bastion: "Bastion (optional)",
  endpoints: "SSM interface endpoints",
};

/** Tiers and subnets per AZ, the entry points, the data stores and the access paths, from the JSON. */
export function buildDiagram(plan: CidrPlan, stacks: readonly SynthesizedStack[], paths: readonly AccessPath[]): Diagram {
  const nodes: Diagram["nodes"] = [{ id: "internet", label: "Internet" }];
  const edges: Diagram["edges"] = [];
  const has = (type: string) => stacks.some((s) => resources(s.json, type).length > 0);
  for (const subnet of plan.subnets) nodes.push({ id: `subnet_${subnet.key.replace(/-/g, "_")}`, label: `${subnet.tier} ${subnet.cidr}`, group: subnet.az });
  if (has("aws_nat_gateway")) nodes.push({ id: "nat", label: "NAT gateway" });
  if (has("aws_vpc_endpoint")) nodes.push({ id: "s3", label: "S3 gateway endpoint" });
  if (has("aws_cloudfront_distribution")) {
    nodes.push({ id: "cloudfront", label: "CloudFront + WAF" });
    edges.push({ from: "internet", to: "cloudfront", label: "443" });
  }
  if (has("cloudflare_zero_trust_tunnel_cloudflared")) {
    nodes.push({ id: "cloudflare", label: "Cloudflare Access + Tunnel" });
    edges.push({ from: "internet", to: "cloudflare", label: "SSH hostname" });
  }
  if (paths.some((p) => p.source.startsWith("operators with the Session Manager"))) {
    nodes.push({ id: "ssm", label: "Session Manager" });
    edges.push({ from: "ssm", to: "app", label: "shell (IAM)" });
  }
  const ensure = (id: string) => {
    if (!nodes.some((n) => n.id === id)) nodes.push({ id, label: LABELS[id] ?? id });
  };
  for (const path of paths) {
    if (path.destination.startsWith("sg ")) {
      const to = purposeOf(path.destination.slice(3));
      ensure(to);
      let from: string | undefined;
      if (path.source.startsWith("sg ")) from = purposeOf(path.source.slice(3));
      else if (path.source === "internet") from = "internet";
      else if (path.source.startsWith("prefix list")) from = has("aws_cloudfront_distribution") ? "cloudfront" : "internet";
      else if (path.source.startsWith("cidr ")) from = "internet";
      if (from) {
        ensure(from);
        edges.push({ from, to, label: path.port });
      }
    }
  }
  if (has("cloudflare_zero_trust_tunnel_cloudflared") && nodes.some((n) => n.id === "app")) edges.push({ from: "cloudflare", to: "app", label: "tunnel (outbound)" });
  if (nodes.some((n) => n.id === "nat") && nodes.some((n) => n.id === "app")) edges.push({ from: "app", to: "nat", label: "egress 443" });
  if (nodes.some((n) => n.id === "s3") && nodes.some((n) => n.id === "app")) edges.push({ from: "app", to: "s3", label: "S3" });
  const unique = edges.filter((e, i) => edges.findIndex((o) => o.from === e.from && o.to === e.to && o.label === e.label) === i);
  return { nodes, edges: unique };
}

const safe = (id: string) => id.replace(/[^A-Za-z0-9_]/g, "_");

export function toMermaid(diagram: Diagram): string {
  const lines = ["flowchart LR"];
  const groups = [...new Set(diagram.nodes.map((n) => n.group).filter((g): g is string => Boolean(g)))];
  for (const group of groups) {
    lines.push(`  subgraph ${safe(group)}["${group}"]`);
    for (const node of diagram.nodes.filter((n) => n.group === group)) lines.push(`    ${safe(node.id)}["${node.label}"]`);
    lines.push("  end");
  }
  for (const node of diagram.nodes.filter((n) => !n.group)) lines.push(`  ${safe(node.id)}["${node.label}"]`);
  for (const edge of diagram.edges) lines.push(`  ${safe(edge.from)} -->|"${edge.label}"| ${safe(edge.to)}`);
  return `${lines.join("\n")}\n`;
}

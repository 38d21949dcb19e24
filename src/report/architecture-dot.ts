import type { ArchitectureModel, PathFamily } from "./architecture";

/** Edge styles per path family (also the page's legend). */
export const FAMILY_STYLES: Record<PathFamily, { color: string; style: string; meaning: string }> = {
  web: { color: "#1f6feb", style: "solid", meaning: "web traffic (users → edge → ALB → app)" },
  admin: { color: "#d97706", style: "dashed", meaning: "operators' access (Session Manager, EIC, bastion, port forwarding)" },
  vpn: { color: "#7c3aed", style: "dotted", meaning: "Client VPN (mutual TLS, split tunnel)" },
  tunnel: { color: "#e8590c", style: "bold", meaning: "Cloudflare Tunnel (outbound-only) and customer engineers" },
  data: { color: "#57606a", style: "solid", meaning: "app servers to data stores and S3" },
  egress: { color: "#8c959f", style: "dashed", meaning: "egress to the internet through NAT" },
};

const TIER_ORDER = ["public", "app", "data"];
const FILL: Record<string, string> = { public: "#eef6ff", app: "#f0fff4", data: "#fff8e6" };

/** A CSS-safe id part: `ssm-shell:app` → `ssm-shell-app`. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const q = (text: string) => JSON.stringify(text);
const node = (id: string) => `n_${idPart(id).replace(/-/g, "_")}`;

/**
 * Graphviz DOT for the review drawing: the region and the VPC as nested clusters, one column per
 * AZ (tier rows kept aligned by rank constraints on invisible anchors), each subnet a cluster
 * holding its resources, actors outside, one edge chain per path. Graphviz lays it out; nothing is
 * placed by hand. Labels use Courier: Graphviz measures it exactly (monospace), and the page renders
 * it with a monospace font of the same advance, so text fits its box in any renderer.
 */
export function architectureDot(model: ArchitectureModel, azOrder: readonly string[] = model.availabilityZones): string {
  const lines = [
    "digraph architecture {",
    "  newrank=true; rankdir=TB; compound=true; nodesep=0.35; ranksep=0.55;",
    '  graph [fontname="Courier", fontsize=12];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Courier", fontsize=11, margin="0.14,0.06"];',
    '  edge [fontname="Courier", fontsize=10, arrowsize=0.7];',
  ];
  const azs = model.availabilityZones;
  const tiers = TIER_ORDER.filter((tier) => model.subnets.some((s) => s.tier === tier));
  lines.push(`  subgraph cluster_region { id="region"; label=${q(`AWS region ${model.region}`)}; style="rounded"; color="#8c959f";`);
  lines.push(`    subgraph cluster_vpc { id="vpc"; label=${q(`VPC ${model.vpcCidr}`)}; style="rounded,bold"; color="#2da44e";`);
  // The clusters are written in `azOrder` (the layout search below tries orders until the columns
  // come out in letter order); rows and anchors follow the letter order.
  for (const az of azOrder) {
    const letter = az.slice(-1);
    lines.push(`      subgraph cluster_az_${letter} { id=${q(`az-${letter}`)}; label=${q(az)}; style="dashed"; color="#8c959f";`);
    for (const tier of tiers) {
      const subnet = model.subnets.find((s) => s.az === az && s.tier === tier);
      const anchor = `anchor_${tier}_${letter}`;
      if (!subnet) {
        lines.push(`        ${anchor} [shape=point, style=invis, width=0.01];`);
        continue;
      }
      lines.push(`        subgraph cluster_subnet_${idPart(subnet.key).replace(/-/g, "_")} { id=${q(`subnet-${subnet.key}`)}; label=${q(`${tier} ${subnet.cidr}`)}; style="rounded,filled"; fillcolor=${q(FILL[tier] ?? "#f6f8fa")}; color="#d0d7de";`);
      lines.push(`          ${anchor} [shape=point, style=invis, width=0.01];`);
      for (const resource of model.resources.filter((r) => r.subnetKey === subnet.key)) {
        lines.push(`          ${node(resource.id)} [id=${q(resource.id)}, class=${q(`resource ${resource.kind}`)}, label=${q(resource.label)}];`);
      }
      lines.push("        }");
    }
    lines.push("      }");
  }
  for (const vpcNode of model.vpcNodes) lines.push(`      ${node(vpcNode.id)} [id=${q(vpcNode.id)}, class="vpc-node", label=${q(vpcNode.label)}, shape=component];`);
  lines.push("    }", "  }");
  for (const actor of model.actors) lines.push(`  ${node(actor.id)} [id=${q(actor.id)}, class="actor", label=${q(actor.label)}, shape=box, style="rounded", color="#57606a"];`);

  // Rows, top to bottom: who comes in, the edge services, one row per tier (every AZ's subnet of
  // that tier, with all its resources, on one rank), what sits in the VPC outside subnets, and
  // where traffic leaves to. Graphviz orders everything else.
  const INBOUND = ["office", "users", "engineers", "operators", "vpn-clients", "bastion-users"];
  const EDGE_SERVICES = ["cloudfront", "cloudflare"];
  const OUTBOUND = ["s3", "internet"];
  const rows: string[][] = [];
  const rowOf = new Map<string, number>();
  const addRow = (ids: string[]) => {
    if (ids.length === 0) return;
    ids.forEach((id) => rowOf.set(id, rows.length));
    rows.push(ids);
  };
  addRow(model.actors.filter((a) => INBOUND.includes(a.id)).map((a) => node(a.id)));
  addRow(model.actors.filter((a) => EDGE_SERVICES.includes(a.id)).map((a) => node(a.id)));
  for (const tier of tiers) {
    const inTier = model.resources.filter((r) => model.subnets.find((s) => s.key === r.subnetKey)?.tier === tier).map((r) => node(r.id));
    addRow([...azs.map((az) => `anchor_${tier}_${az.slice(-1)}`), ...inTier]);
  }
  addRow(model.vpcNodes.map((n) => node(n.id)));
  addRow(model.actors.filter((a) => OUTBOUND.includes(a.id) || ![...INBOUND, ...EDGE_SERVICES].includes(a.id)).map((a) => node(a.id)));
  for (const row of rows) lines.push(`  { rank=same; ${row.join("; ")}; }`);
  for (let i = 0; i < rows.length - 1; i++) lines.push(`  ${rows[i][0]} -> ${rows[i + 1][0]} [style=invis, weight=20];`);
  for (const az of azs) {
    const anchors = tiers.map((tier) => `anchor_${tier}_${az.slice(-1)}`);
    for (let i = 0; i < anchors.length - 1; i++) lines.push(`  ${anchors[i]} -> ${anchors[i + 1]} [style=invis, weight=10];`);
  }
  // AZ columns in letter order, left to right: flat invisible edges between each row's anchors.
  for (const tier of tiers) {
    for (let i = 0; i < azs.length - 1; i++) lines.push(`  anchor_${tier}_${azs[i].slice(-1)} -> anchor_${tier}_${azs[i + 1].slice(-1)} [style=invis];`);
  }
  model.edges.forEach((edge, index) => {
    const style = FAMILY_STYLES[edge.family];
    const broken = edge.verdict === "broken" || edge.verdict === "unproven";
    // An edge going up the rows (the tunnel dialling out, egress through a public-subnet NAT) must not reorder them.
    const upward = (rowOf.get(node(edge.from)) ?? 0) > (rowOf.get(node(edge.to)) ?? 0);
    lines.push(
      `  ${node(edge.from)} -> ${node(edge.to)} [id=${q(`edge-${index}-${idPart(edge.pathId)}`)}, class=${q(`path path-${idPart(edge.pathId)} family-${edge.family} verdict-${idPart(String(edge.verdict))}`)}, label=${q(edge.label)}, color=${q(broken ? "#cf222e" : style.color)}, fontcolor=${q(broken ? "#cf222e" : style.color)}, style=${q(style.style)}, tooltip=${q(`${edge.pathId}: ${edge.verdict}`)}${upward ? ", constraint=false" : ""}];`,
    );
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** A monospace family with Courier's advance (0.6 em) wherever the SVG is opened. */
export const MONOSPACE = "'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', Courier, monospace";

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * Lays the drawing out with Graphviz (in WebAssembly, offline) and renders SVG with the monospace
 * family spelled out. Graphviz's crossing minimization may put the AZ columns in any order; the
 * cluster order of the input is the lever it offers, so up to 24 input orders are laid out and the
 * first whose columns read a, b, c … from left to right is kept; when none does (the AZ most paths
 * reach is pulled under the actors), the letter-order input is kept and each column is labelled.
 */
export async function renderArchitectureSvg(model: ArchitectureModel): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const azs = model.availabilityZones;
  const candidates = azs.length <= 4 ? permutations(azs) : [azs];
  let chosen = architectureDot(model);
  for (const order of candidates) {
    const dot = architectureDot(model, order);
    const layout = viz.renderJSON(dot) as { objects?: { name: string; bb?: string }[] };
    const x = (az: string) => Number(layout.objects?.find((o) => o.name === `cluster_az_${az.slice(-1)}`)?.bb?.split(",")[0] ?? NaN);
    if (azs.every((az, i) => i === 0 || x(azs[i - 1]) < x(az))) {
      chosen = dot;
      break;
    }
  }
  const svg = viz.renderString(chosen, { format: "svg" });
  return svg.replace(/font-family="Courier,monospace"|font-family="Courier"/g, `font-family="${MONOSPACE.replace(/"/g, "")}"`);
}

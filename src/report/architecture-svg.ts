import type { ArchitectureModel, PathEdge, PathFamily } from "./architecture";

/**
 * The review drawing, laid out and routed here and written as SVG directly (no layout engine).
 *
 * The architecture has a fixed shape, so the layout is computed rather than searched for: a grid of
 * AZ columns in letter order × tier rows (public, app, data) with aligned tops and equal sizes; the
 * inbound actors in a band above, the edge services (CloudFront, Cloudflare, the internet) in a band
 * under them, the VPC-wide services (S3 gateway endpoint, resolver) in a band at the VPC's foot
 * where their traffic enters, and S3 below the region. Each band orders its boxes by the mean x of
 * what they connect to, so lines drop straight into the AZ they target.
 *
 * Paths sharing a hop are bundled into one line whose one label lists them. Lines are routed one by
 * one on an 8 px grid (A*, orthogonal): boxes, titles and labels already placed are obstacles; a
 * foreign AZ column, a lane another line already uses, bends and running along a border cost
 * extra, so lines keep to the channels between boxes. Each label is placed beside its own line
 * where it touches no line, box or other label, and becomes an obstacle for the lines routed after
 * it; when a label finds no room, every channel is widened and the layout starts again.
 */

export const FAMILY_STYLES: Record<PathFamily, { color: string; dash: string; width: number; pattern: string; meaning: string }> = {
  web: { color: "#0072b2", dash: "", width: 2, pattern: "solid", meaning: "web traffic (users → edge → ALB → app)" },
  admin: { color: "#a15c00", dash: "7,4", width: 1.6, pattern: "dashed", meaning: "operators' access (Session Manager, EIC, bastion, port forwarding)" },
  vpn: { color: "#8e3b8e", dash: "1.5,3.5", width: 2.2, pattern: "dotted", meaning: "Client VPN (mutual TLS, split tunnel)" },
  tunnel: { color: "#d55e00", dash: "", width: 3.6, pattern: "bold", meaning: "Cloudflare Tunnel (outbound-only) and customer engineers" },
  data: { color: "#3d4450", dash: "10,3,2,3", width: 1.6, pattern: "dash-dot", meaning: "app servers to data stores and S3" },
  egress: { color: "#2f7da8", dash: "14,6", width: 1.4, pattern: "long dashes", meaning: "egress to the internet through NAT" },
};

/** Paths whose proof does not hold: red, and their label says so (not colour alone). */
export const BROKEN_COLOR = "#cf222e";

/** A CSS-safe id part: `ssm-shell:app` → `ssm-shell-app`. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** A monospace family with Courier's advance (0.6 em) wherever the SVG is opened. */
export const MONOSPACE = "'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', Courier, monospace";

/** Every text of the drawing is this size in SVG units; the page never shows it below 11 px at 1400 px wide. */
export const FONT_SIZE = 12;
const CHAR = FONT_SIZE * 0.6;
const LINE = 15;
const G = 8;

const TIER_ORDER = ["public", "app", "data"];
const FILL: Record<string, string> = { public: "#eef6ff", app: "#effbf1", data: "#fff8e6" };
const INBOUND = ["office", "users", "engineers", "operators", "vpn-clients", "bastion-users"];
const EDGE_SERVICES = ["cloudfront", "cloudflare", "local-cloudflared", "internet"];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface DrawnNode extends Box {
  readonly id: string;
  readonly lines: string[];
  readonly cls: string;
  readonly az?: string;
  readonly subnetKey?: string;
  readonly shape: "resource" | "actor" | "vpc";
}

interface Cluster extends Box {
  readonly id: string;
  readonly cls: string;
  readonly title: string;
  readonly titleBox: Box;
  readonly fill: string;
  readonly stroke: string;
  readonly dash: string;
  readonly strokeWidth: number;
}

export interface Bundle {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly edges: readonly PathEdge[];
  /** Some of the bundle's paths run `to` → `from`: arrowheads at both ends. */
  readonly both: boolean;
  readonly family: PathFamily;
  readonly broken: boolean;
  readonly lines: string[];
}

interface RoutedBundle {
  readonly bundle: Bundle;
  readonly points: [number, number][];
  readonly label: Box;
  readonly labelPlaced: boolean;
}

export interface ArchitectureLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly DrawnNode[];
  readonly clusters: readonly Cluster[];
  readonly routes: readonly RoutedBundle[];
  /** How many times the channels were widened before every label found room. */
  readonly spread: number;
  /** Labels that found no free place even at the widest spread (drawn anyway; tests want none). */
  readonly unplacedLabels: number;
}

const snap = (v: number) => Math.ceil(v / G) * G;
const snapDown = (v: number) => Math.floor(v / G) * G;

/** Node labels over 28 characters wrap at spaces (the drawing's columns stay narrow). */
function wrap(label: string, max = 28): string[] {
  if (label.length <= max) return [label];
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(" ")) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const textWidth = (lines: readonly string[]) => Math.max(...lines.map((l) => l.length)) * CHAR;
const nodeSize = (lines: readonly string[]) => ({ w: snap(textWidth(lines) + 20), h: snap(lines.length * LINE + 9) });

/** One line per hop: paths sharing a hop (either way) become one bundle whose label lists them. */
export function bundleEdges(model: ArchitectureModel): Bundle[] {
  const byPair = new Map<string, PathEdge[]>();
  for (const edge of model.edges) {
    const key = [edge.from, edge.to].sort().join("\u0000");
    byPair.set(key, [...(byPair.get(key) ?? []), edge]);
  }
  return [...byPair.values()].map((edges, index) => {
    const first = edges[0];
    const broken = edges.some((e) => e.verdict === "broken" || e.verdict === "unproven");
    const lines: string[] = [];
    for (const edge of edges) {
      const bad = edge.verdict === "broken" || edge.verdict === "unproven";
      const text = `${bad ? `${String(edge.verdict).toUpperCase()}: ` : ""}${edge.label || edge.pathId}`;
      if (!lines.includes(text)) lines.push(text);
    }
    return { id: `edge-${index}-${idPart(first.pathId)}`, from: first.from, to: first.to, edges, both: edges.some((e) => e.from !== first.from), family: first.family, broken, lines };
  });
}

/** Places every box and cluster for a given spread (each step widens every channel by one lane). */
function place(model: ArchitectureModel, bundles: readonly Bundle[], spread: number): { width: number; height: number; nodes: DrawnNode[]; clusters: Cluster[] } {
  const lane = G * spread;
  const M = 16;
  const SIDE = 48 + lane;
  const CH = 64 + 2 * lane;
  const GUT = 40 + lane;
  const ROWGAP = 32 + lane;
  const INNER = 32 + lane;
  const NODEGAP = 32 + lane;
  const BANDGAP = 32;
  const TITLE = 24;
  const PAD = 16;

  const azs = [...model.availabilityZones].sort();
  const tiers = TIER_ORDER.filter((tier) => model.subnets.some((s) => s.tier === tier)).concat(
    [...new Set(model.subnets.map((s) => s.tier))].filter((t) => !TIER_ORDER.includes(t)),
  );
  const nodes: DrawnNode[] = [];
  const clusters: Cluster[] = [];
  const subnetTitle = (s: { tier: string; cidr: string }) => `${s.tier} ${s.cidr}`;

  // Column width: the widest resource or subnet title, plus a lane margin each side.
  const resourceSizes = new Map(model.resources.map((r) => [r.id, { lines: wrap(r.label), ...nodeSize(wrap(r.label)) }]));
  const widest = Math.max(120, ...[...resourceSizes.values()].map((s) => s.w), ...model.subnets.map((s) => snap(subnetTitle(s).length * CHAR + 16)), ...azs.map((az) => snap(az.length * CHAR + 16)));
  const colW = widest + 2 * INNER;
  const subnetHeight = (key: string | undefined) => {
    const inside = model.resources.filter((r) => r.subnetKey === key);
    return Math.max(56, 32 + inside.reduce((sum, r) => sum + resourceSizes.get(r.id)!.h, 0) + Math.max(0, inside.length - 1) * NODEGAP + 24);
  };
  const rowH = tiers.map((tier) => snap(Math.max(...azs.map((az) => subnetHeight(model.subnets.find((s) => s.az === az && s.tier === tier)?.key)))));

  // The bands outside the grid.
  const actorLines = new Map([...model.actors, ...model.vpcNodes].map((a) => [a.id, wrap(a.label)]));
  const bandA = model.actors.filter((a) => INBOUND.includes(a.id));
  const bandB = model.actors.filter((a) => EDGE_SERVICES.includes(a.id));
  const bandC = model.actors.filter((a) => !INBOUND.includes(a.id) && !EDGE_SERVICES.includes(a.id));
  const bandWidth = (items: readonly { id: string }[]) => items.reduce((sum, a) => sum + nodeSize(actorLines.get(a.id)!).w, 0) + Math.max(0, items.length - 1) * BANDGAP;
  const bandHeight = (items: readonly { id: string }[]) => Math.max(0, ...items.map((a) => nodeSize(actorLines.get(a.id)!).h));

  const gridW = azs.length * colW + (azs.length + 1) * GUT;
  const vpcW = Math.max(gridW, bandWidth(model.vpcNodes) + 2 * GUT);
  const regionW = vpcW + 2 * PAD;
  const contentW = Math.max(regionW + 2 * SIDE, bandWidth(bandA) + 2 * SIDE, bandWidth(bandB) + 2 * SIDE, bandWidth(bandC) + 2 * SIDE);
  const width = snap(contentW + 2 * M);
  const regionX = snapDown((width - regionW) / 2);
  const vpcX = regionX + PAD;
  const gridX = vpcX + snapDown((vpcW - gridW) / 2);

  let y = M;
  const bandAY = y;
  if (bandA.length) y += bandHeight(bandA) + CH;
  const bandBY = y;
  if (bandB.length) y += bandHeight(bandB) + CH;
  const regionY = y;
  const vpcY = regionY + TITLE + 8;
  const azY = vpcY + TITLE + 16;
  const firstRowY = azY + TITLE + 8;
  const rowY: number[] = [];
  let ry = firstRowY;
  for (const h of rowH) {
    rowY.push(ry);
    ry += h + ROWGAP;
  }
  const azBottom = ry - ROWGAP + PAD;
  const vpcBandY = azBottom + CH - 16;
  const vpcBottom = model.vpcNodes.length ? vpcBandY + bandHeight(model.vpcNodes) + 24 + lane : azBottom + GUT;
  const regionBottom = vpcBottom + PAD;
  const bandCY = regionBottom + CH;
  const height = snap((bandC.length ? bandCY + bandHeight(bandC) : regionBottom) + M);

  const cluster = (id: string, cls: string, title: string, box: Box, style: { fill: string; stroke: string; dash?: string; strokeWidth?: number }, titleAt: "center" | "left") => {
    const tw = title.length * CHAR + 8;
    const titleBox = { x: titleAt === "center" ? box.x + (box.w - tw) / 2 : box.x + 6, y: box.y + 4, w: tw, h: 17 };
    clusters.push({ id, cls, title, titleBox, ...box, fill: style.fill, stroke: style.stroke, dash: style.dash ?? "", strokeWidth: style.strokeWidth ?? 1 });
  };
  cluster("region", "cluster region", `AWS region ${model.region}`, { x: regionX, y: regionY, w: regionW, h: regionBottom - regionY }, { fill: "none", stroke: "#8c959f" }, "center");
  cluster("vpc", "cluster vpc", `VPC ${model.vpcCidr}`, { x: vpcX, y: vpcY, w: vpcW, h: vpcBottom - vpcY }, { fill: "none", stroke: "#2da44e", strokeWidth: 2 }, "center");
  azs.forEach((az, column) => {
    const x = gridX + GUT + column * (colW + GUT);
    cluster(`az-${az.slice(-1)}`, "cluster az", az, { x, y: azY, w: colW, h: azBottom - azY }, { fill: "none", stroke: "#8c959f", dash: "5,4" }, "center");
    tiers.forEach((tier, row) => {
      const subnet = model.subnets.find((s) => s.az === az && s.tier === tier);
      if (!subnet) return;
      const box = { x: x + PAD, y: rowY[row], w: colW - 2 * PAD, h: rowH[row] };
      cluster(`subnet-${subnet.key}`, `cluster subnet tier-${tier}`, subnetTitle(subnet), box, { fill: FILL[tier] ?? "#f6f8fa", stroke: "#c4ccd5" }, "left");
      let ny = box.y + 32;
      for (const resource of model.resources.filter((r) => r.subnetKey === subnet.key)) {
        const size = resourceSizes.get(resource.id)!;
        nodes.push({ id: resource.id, lines: size.lines, cls: `node resource ${resource.kind}`, az, subnetKey: subnet.key, shape: "resource", x: snapDown(box.x + (box.w - size.w) / 2), y: ny, w: size.w, h: size.h });
        ny += size.h + NODEGAP;
      }
    });
  });

  // Bands: each box at the mean x of the boxes it connects to (placed ones), then pushed apart.
  const neighbours = (id: string) => bundles.flatMap((b) => (b.from === id ? [b.to] : b.to === id ? [b.from] : []));
  const placeBand = (items: readonly { id: string }[], bandY: number, shape: DrawnNode["shape"], cls: string, left: number, right: number) => {
    const wanted = items.map((item, order) => {
      const xs = neighbours(item.id).map((n) => nodes.find((p) => p.id === n)).filter((p): p is DrawnNode => p !== undefined).map((p) => p.x + p.w / 2);
      const size = nodeSize(actorLines.get(item.id)!);
      return { item, size, order, centre: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : (left + right) / 2 };
    });
    // Boxes wanting about the same place: the one with the most lines gets nearest to it.
    const degree = (id: string) => neighbours(id).length;
    wanted.sort((a, b) => Math.round(a.centre / 96) - Math.round(b.centre / 96) || degree(b.item.id) - degree(a.item.id) || a.centre - b.centre || a.order - b.order);
    const xs: number[] = [];
    wanted.forEach((w, i) => (xs[i] = Math.max(w.centre - w.size.w / 2, i === 0 ? left : xs[i - 1] + wanted[i - 1].size.w + BANDGAP)));
    for (let i = wanted.length - 1; i >= 0; i--) xs[i] = Math.min(xs[i], i === wanted.length - 1 ? right - wanted[i].size.w : xs[i + 1] - BANDGAP - wanted[i].size.w);
    for (let i = 0; i < wanted.length; i++) xs[i] = Math.max(xs[i], i === 0 ? left : xs[i - 1] + wanted[i - 1].size.w + BANDGAP);
    wanted.forEach((w, i) => nodes.push({ id: w.item.id, lines: actorLines.get(w.item.id)!, cls, shape, x: snapDown(xs[i]), y: bandY, w: w.size.w, h: w.size.h }));
  };
  placeBand(model.vpcNodes, vpcBandY, "vpc", "node vpc-node", vpcX + GUT, vpcX + vpcW - GUT);
  placeBand(bandB, bandBY, "actor", "node actor", M + G, width - M - G);
  placeBand(bandA, bandAY, "actor", "node actor", M + G, width - M - G);
  placeBand(bandC, bandCY, "actor", "node actor", M + G, width - M - G);
  return { width, height, nodes, clusters };
}

/** A binary min-heap of state indices keyed by a float priority. */
class Heap {
  private keys: number[] = [];
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: number, key: number): void {
    const { keys, items } = this;
    let i = items.length;
    items.push(item);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      items[i] = items[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
  }
  pop(): number {
    const { keys, items } = this;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastKey = keys.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const r = l + 1;
        const c = r < items.length && keys[r] < keys[l] ? r : l;
        if (keys[c] >= lastKey) break;
        items[i] = items[c];
        keys[i] = keys[c];
        i = c;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
    }
    return top;
  }
}

const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

interface Grid {
  readonly cols: number;
  readonly rows: number;
  readonly blocked: Uint8Array;
  readonly az: Int16Array;
  readonly subnet: Int16Array;
  readonly borderH: Uint8Array;
  readonly borderV: Uint8Array;
  readonly usedH: Uint8Array;
  readonly usedV: Uint8Array;
}

function makeGrid(width: number, height: number, nodes: readonly DrawnNode[], clusters: readonly Cluster[]): Grid {
  const cols = width / G + 1;
  const rows = height / G + 1;
  const n = cols * rows;
  const grid: Grid = { cols, rows, blocked: new Uint8Array(n), az: new Int16Array(n).fill(-1), subnet: new Int16Array(n).fill(-1), borderH: new Uint8Array(n), borderV: new Uint8Array(n), usedH: new Uint8Array(n), usedV: new Uint8Array(n) };
  // The canvas's outer 8 px stay clear (a line there would touch the picture's edge).
  for (let i = 0; i < cols; i++) for (const j of [0, 1, rows - 2, rows - 1]) grid.blocked[j * cols + i] = 1;
  for (let j = 0; j < rows; j++) for (const i of [0, 1, cols - 2, cols - 1]) grid.blocked[j * cols + i] = 1;
  for (const node of nodes) blockBox(grid, { x: node.x - G + 1, y: node.y - G + 1, w: node.w + 2 * G - 2, h: node.h + 2 * G - 2 });
  clusters.forEach((c, index) => {
    blockBox(grid, { x: c.titleBox.x - 3, y: c.titleBox.y - 3, w: c.titleBox.w + 6, h: c.titleBox.h + 6 });
    const i0 = Math.ceil(c.x / G), i1 = Math.floor((c.x + c.w) / G), j0 = Math.ceil(c.y / G), j1 = Math.floor((c.y + c.h) / G);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const p = j * cols + i;
        if (c.cls.includes(" az")) grid.az[p] = index;
        if (c.cls.includes(" subnet")) grid.subnet[p] = index;
        if (j * G === c.y || j * G === c.y + c.h) grid.borderH[p] = 1;
        if (i * G === c.x || i * G === c.x + c.w) grid.borderV[p] = 1;
      }
    }
  });
  return grid;
}

function blockBox(grid: Grid, box: Box): void {
  const i0 = Math.max(0, Math.ceil(box.x / G)), i1 = Math.min(grid.cols - 1, Math.floor((box.x + box.w) / G));
  const j0 = Math.max(0, Math.ceil(box.y / G)), j1 = Math.min(grid.rows - 1, Math.floor((box.y + box.h) / G));
  for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) grid.blocked[j * grid.cols + i] = 1;
}

/** Grid points on a box's border, corners excluded, each with the direction pointing out of the box. */
function ports(grid: Grid, box: Box): { p: number; dir: number }[] {
  const out: { p: number; dir: number }[] = [];
  const i0 = box.x / G, i1 = (box.x + box.w) / G, j0 = box.y / G, j1 = (box.y + box.h) / G;
  for (let i = i0 + 1; i < i1; i++) {
    out.push({ p: j0 * grid.cols + i, dir: 3 });
    out.push({ p: j1 * grid.cols + i, dir: 1 });
  }
  for (let j = j0 + 1; j < j1; j++) {
    out.push({ p: j * grid.cols + i0, dir: 2 });
    out.push({ p: j * grid.cols + i1, dir: 0 });
  }
  return out;
}

/** Orthogonal A* from the source box's border to the target box's border; undefined when walled in. */
function route(grid: Grid, source: DrawnNode, target: DrawnNode, clusters: readonly Cluster[]): [number, number][] | undefined {
  const { cols, rows } = grid;
  const allowedAz = new Set<number>();
  const allowedSubnet = new Set<number>();
  for (const node of [source, target]) {
    if (node.az) allowedAz.add(clusters.findIndex((c) => c.id === `az-${node.az!.slice(-1)}`));
    if (node.subnetKey) allowedSubnet.add(clusters.findIndex((c) => c.id === `subnet-${node.subnetKey}`));
  }
  const goal = new Set(ports(grid, target).map((q) => q.p));
  const ring = new Uint8Array(cols * rows);
  for (const box of [source, target]) {
    for (let i = box.x / G - 1; i <= (box.x + box.w) / G + 1; i++) for (const j of [box.y / G - 1, (box.y + box.h) / G + 1]) if (i >= 0 && j >= 0 && i < cols && j < rows) ring[j * cols + i] = 1;
    for (let j = box.y / G - 1; j <= (box.y + box.h) / G + 1; j++) for (const i of [box.x / G - 1, (box.x + box.w) / G + 1]) if (i >= 0 && j >= 0 && i < cols && j < rows) ring[j * cols + i] = 1;
  }
  const tx0 = target.x / G, tx1 = (target.x + target.w) / G, ty0 = target.y / G, ty1 = (target.y + target.h) / G;
  const h = (p: number) => {
    const i = p % cols, j = (p - i) / cols;
    return (i < tx0 ? tx0 - i : i > tx1 ? i - tx1 : 0) + (j < ty0 ? ty0 - j : j > ty1 ? j - ty1 : 0);
  };
  const cost = new Float64Array(cols * rows * 4).fill(Infinity);
  const from = new Int32Array(cols * rows * 4).fill(-1);
  const heap = new Heap();
  const sourceCx = source.x + source.w / 2, sourceCy = source.y + source.h / 2;
  for (const port of ports(grid, source)) {
    const i = port.p % cols, j = (port.p - i) / cols;
    const used = grid.usedH[port.p] || grid.usedV[port.p] ? 500 : 0;
    const off = (port.dir % 2 === 1 ? Math.abs(i * G - sourceCx) : Math.abs(j * G - sourceCy)) / G;
    const c = used + off * 0.15 + (port.dir % 2 === 0 ? 0.5 : 0);
    const s = port.p * 4 + port.dir;
    if (c < cost[s]) {
      cost[s] = c;
      heap.push(s, c + h(port.p));
    }
  }
  const done = new Uint8Array(cols * rows * 4);
  while (heap.size > 0) {
    const s = heap.pop();
    if (done[s]) continue;
    done[s] = 1;
    const p = s >> 2, dir = s & 3;
    if (goal.has(p) && from[s] >= 0) {
      const points: [number, number][] = [];
      for (let t = s; t >= 0; t = from[t]) points.push([((t >> 2) % cols) * G, Math.floor((t >> 2) / cols) * G]);
      return points.reverse();
    }
    const i = p % cols, j = (p - i) / cols;
    for (let d = 0; d < 4; d++) {
      if (d === (dir + 2) % 4) continue;
      const ni = i + DX[d], nj = j + DY[d];
      if (ni < 0 || nj < 0 || ni >= cols || nj >= rows) continue;
      const q = nj * cols + ni;
      const isGoal = goal.has(q);
      if (grid.blocked[q] && !isGoal) continue;
      const horizontal = d % 2 === 0;
      let c = 1;
      if (d !== dir) c += 4 + (grid.usedH[p] || grid.usedV[p] ? 500 : 0) + (ring[p] ? 3 : 0);
      const az = grid.az[q];
      if (az >= 0 && !allowedAz.has(az)) c += 200;
      const subnet = grid.subnet[q];
      if (subnet >= 0 && !allowedSubnet.has(subnet)) c += 0.5;
      if (horizontal ? grid.borderH[q] : grid.borderV[q]) c += 3;
      if (horizontal ? grid.usedH[q] : grid.usedV[q]) c += 500;
      else if (horizontal ? grid.usedV[q] : grid.usedH[q]) c += 6;
      const ns = q * 4 + d;
      const nc = cost[s] + c;
      if (nc < cost[ns]) {
        cost[ns] = nc;
        from[ns] = s;
        heap.push(ns, nc + h(q));
      }
    }
  }
  return undefined;
}

/** The corners of a route (the grid steps in between dropped). */
function corners(points: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [points[0]];
  for (let k = 1; k < points.length - 1; k++) {
    const [a, b, c] = [points[k - 1], points[k], points[k + 1]];
    if ((a[0] === b[0] && b[0] === c[0]) || (a[1] === b[1] && b[1] === c[1])) continue;
    out.push(b);
  }
  out.push(points[points.length - 1]);
  return out;
}

function markUsed(grid: Grid, points: readonly [number, number][]): void {
  for (let k = 0; k < points.length - 1; k++) {
    const [a, b] = [points[k], points[k + 1]];
    const pa = (a[1] / G) * grid.cols + a[0] / G, pb = (b[1] / G) * grid.cols + b[0] / G;
    const used = a[1] === b[1] ? grid.usedH : grid.usedV;
    used[pa] = 1;
    used[pb] = 1;
  }
}

const overlaps = (a: Box, b: Box, margin = 0) => a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;

function segmentHitsBox(a: [number, number], b: [number, number], box: Box, margin: number): boolean {
  const x0 = Math.min(a[0], b[0]), x1 = Math.max(a[0], b[0]), y0 = Math.min(a[1], b[1]), y1 = Math.max(a[1], b[1]);
  return x0 <= box.x + box.w + margin && x1 >= box.x - margin && y0 <= box.y + box.h + margin && y1 >= box.y - margin;
}

const labelSize = (lines: readonly string[]) => ({ w: Math.ceil(textWidth(lines) + 8), h: lines.length * LINE + 4 });

/** The free place beside its own line nearest the line's middle, or undefined. */
function placeLabel(bundle: Bundle, path: readonly [number, number][], obstacles: readonly Box[], lines: readonly (readonly [number, number][])[], borders: readonly Box[], width: number, height: number): Box | undefined {
  const { w, h } = labelSize(bundle.lines);
  let total = 0;
  for (let k = 0; k < path.length - 1; k++) total += Math.abs(path[k + 1][0] - path[k][0]) + Math.abs(path[k + 1][1] - path[k][1]);
  let best: { box: Box; score: number } | undefined;
  let along = 0;
  for (let k = 0; k < path.length - 1; k++) {
    const [a, b] = [path[k], path[k + 1]];
    const length = Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]);
    const horizontal = a[1] === b[1];
    for (let t = 0; t <= length; t += 4) {
      const x = a[0] + Math.sign(b[0] - a[0]) * t, y = a[1] + Math.sign(b[1] - a[1]) * t;
      const candidates: Box[] = horizontal ? [{ x: x - w / 2, y: y - 5 - h, w, h }, { x: x - w / 2, y: y + 5, w, h }] : [{ x: x + 6, y: y - h / 2, w, h }, { x: x - 6 - w, y: y - h / 2, w, h }];
      for (const box of candidates) {
        if (box.x < 2 || box.y < 2 || box.x + box.w > width - 2 || box.y + box.h > height - 2) continue;
        if (obstacles.some((o) => overlaps(box, o, 3))) continue;
        if (lines.some((line) => line.some((p, i) => i > 0 && segmentHitsBox(line[i - 1], p, box, 2)))) continue;
        const crossings = borders.filter((c) => overlaps(box, c) && !(box.x > c.x && box.x + box.w < c.x + c.w && box.y > c.y && box.y + box.h < c.y + c.h)).length;
        const score = Math.abs(along + t - total / 2) + (horizontal ? 0 : 24) + crossings * 60;
        if (!best || score < best.score) best = { box, score };
      }
    }
    along += length;
  }
  return best?.box;
}

/** Lays the drawing out: boxes in their grid and bands, every bundle routed and labelled. */
export function layoutArchitecture(model: ArchitectureModel): ArchitectureLayout {
  const bundles = bundleEdges(model);
  let fallback: ArchitectureLayout | undefined;
  for (let spread = 0; spread <= 4; spread++) {
    const { width, height, nodes, clusters } = place(model, bundles, spread);
    const grid = makeGrid(width, height, nodes, clusters);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const centre = (n: DrawnNode) => [n.x + n.w / 2, n.y + n.h / 2];
    const order = bundles
      .filter((b) => byId.has(b.from) && byId.has(b.to))
      .map((b) => {
        const [ax, ay] = centre(byId.get(b.from)!), [bx, by] = centre(byId.get(b.to)!);
        return { b, d: Math.abs(ax - bx) + Math.abs(ay - by) };
      })
      .sort((p, q) => p.d - q.d)
      .map((o) => o.b);
    const obstacles: Box[] = [...nodes, ...clusters.map((c) => c.titleBox)];
    const lines: [number, number][][] = [];
    const routes: RoutedBundle[] = [];
    let unplaced = 0;
    for (const bundle of order) {
      const points = route(grid, byId.get(bundle.from)!, byId.get(bundle.to)!, clusters);
      if (!points) {
        unplaced++;
        if (process.env.ARCH_DEBUG) console.error(`spread ${spread}: no route for ${bundle.id}`);
        continue;
      }
      markUsed(grid, points);
      const path = corners(points);
      lines.push(path);
      const box = placeLabel(bundle, path, obstacles, lines, clusters.filter((c) => !c.cls.includes("region") && !c.cls.includes("vpc")), width, height);
      const size = labelSize(bundle.lines);
      const mid = path[Math.floor(path.length / 2)];
      const label = box ?? { x: mid[0] + 6, y: mid[1] + 4, ...size };
      if (!box) unplaced++;
      if (!box && process.env.ARCH_DEBUG) console.error(`spread ${spread}: no room for the label of ${bundle.id}`);
      obstacles.push(label);
      blockBox(grid, { x: label.x - 3, y: label.y - 3, w: label.w + 6, h: label.h + 6 });
      routes.push({ bundle, points: path, label, labelPlaced: Boolean(box) });
    }
    const layout = { width, height, nodes, clusters, routes, spread, unplacedLabels: unplaced };
    if (unplaced === 0) return layout;
    if (!fallback || unplaced < fallback.unplacedLabels) fallback = layout;
  }
  return fallback!;
}

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const r1 = (v: number) => Math.round(v * 10) / 10;

function arrowhead(tip: [number, number], from: [number, number], color: string): string {
  const dx = Math.sign(tip[0] - from[0]), dy = Math.sign(tip[1] - from[1]);
  const L = 8, W = 4;
  const bx = tip[0] - dx * L, by = tip[1] - dy * L;
  return `<polygon class="arrow" points="${r1(tip[0])},${r1(tip[1])} ${r1(bx - dy * W)},${r1(by + dx * W)} ${r1(bx + dy * W)},${r1(by - dx * W)}" fill="${color}" stroke="none"/>`;
}

/** Lays out and writes the drawing as a standalone SVG document (the page inlines it). */
export function renderArchitectureSvg(model: ArchitectureModel): string {
  const layout = layoutArchitecture(model);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${MONOSPACE.replace(/"/g, "")}" font-size="${FONT_SIZE}" role="img" aria-labelledby="architecture-title" data-spread="${layout.spread}" data-unplaced-labels="${layout.unplacedLabels}">`,
    `<title id="architecture-title">${esc(`${model.environment}: architecture and access paths`)}</title>`,
    `<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`,
  ];
  const azClusters = layout.clusters.filter((c) => c.cls.includes(" az"));
  for (const c of layout.clusters) {
    // AZ columns are written in letter order, so they read a, b, c … in the DOM as on screen.
    const dash = c.dash ? ` stroke-dasharray="${c.dash}"` : "";
    const round = c.cls.includes(" az") ? 0 : 6;
    out.push(
      `<g id="${esc(c.id)}" class="${esc(c.cls)}"${c.cls.includes(" az") ? ` data-az-index="${azClusters.indexOf(c)}"` : ""}><rect x="${c.x}" y="${c.y}" width="${c.w}" height="${c.h}" rx="${round}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="${c.strokeWidth}"${dash}/><text class="cluster-title" x="${r1(c.titleBox.x + 4)}" y="${r1(c.titleBox.y + 13)}" fill="#1f2328">${esc(c.title)}</text></g>`,
    );
  }
  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const routed of layout.routes) {
    const { bundle, points, label } = routed;
    const style = FAMILY_STYLES[bundle.family];
    const color = bundle.broken ? BROKEN_COLOR : style.color;
    const classes = [
      "edge",
      ...new Set(bundle.edges.flatMap((e) => [`path-${idPart(e.pathId)}`, `family-${e.family}`, `verdict-${idPart(String(e.verdict))}`])),
      "path",
      bundle.edges.length > 1 ? "bundle" : "",
    ].filter(Boolean);
    // The line stops short of each arrowhead's tip, so the head is not drawn over a thick stroke.
    const line = points.map((p) => [...p] as [number, number]);
    const last = line.length - 1;
    const shorten = (k: number, toward: number) => {
      const [x, y] = line[k], [px, py] = line[toward];
      line[k] = [x + Math.sign(px - x) * 6, y + Math.sign(py - y) * 6];
    };
    shorten(last, last - 1);
    if (bundle.both) shorten(0, 1);
    const d = line.map((p, k) => `${k === 0 ? "M" : "L"}${r1(p[0])},${r1(p[1])}`).join(" ");
    const tooltip = bundle.edges.map((e) => `${e.pathId}: ${e.verdict}`).join("\n");
    const text = bundle.lines
      .map((l, k) => `<text x="${r1(label.x + label.w / 2)}" y="${r1(label.y + 2 + k * LINE + 11.5)}" text-anchor="middle" fill="${color}">${esc(l)}</text>`)
      .join("");
    out.push(
      `<g id="${esc(bundle.id)}" class="${esc(classes.join(" "))}" data-from="${esc(bundle.from)}" data-to="${esc(bundle.to)}" data-from-az="${esc(nodeById.get(bundle.from)?.az ?? "")}" data-to-az="${esc(nodeById.get(bundle.to)?.az ?? "")}" data-paths="${esc(bundle.edges.map((e) => e.pathId).join(" "))}">`,
      `<title>${esc(tooltip)}</title>`,
      `<path class="line" d="${d}" fill="none" stroke="${color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""} stroke-linejoin="round"/>`,
      arrowhead(points[last], points[last - 1], color),
      bundle.both ? arrowhead(points[0], points[1], color) : "",
      `<g class="edge-label"><rect x="${r1(label.x)}" y="${r1(label.y)}" width="${label.w}" height="${label.h}" rx="3" fill="#ffffff" fill-opacity="0.9" stroke="none"/>${text}</g>`,
      "</g>",
    );
  }
  for (const node of layout.nodes) {
    const fill = node.shape === "actor" ? "#f6f8fa" : "#ffffff";
    const stroke = node.shape === "actor" ? "#57606a" : "#1f2328";
    const strokeWidth = node.shape === "vpc" ? 1.6 : 1.2;
    const dash = node.shape === "actor" ? ' stroke-dasharray="4,2"' : "";
    const text = node.lines.map((l, k) => `<text x="${r1(node.x + node.w / 2)}" y="${r1(node.y + (node.h - node.lines.length * LINE) / 2 + k * LINE + 11.5)}" text-anchor="middle" fill="#1f2328">${esc(l)}</text>`).join("");
    out.push(
      `<g id="${esc(node.id)}" class="${esc(node.cls)}"${node.az ? ` data-az="${esc(node.az)}"` : ""}><title>${esc(node.lines.join(" "))}</title><rect x="${node.x}" y="${node.y}" width="${node.w}" height="${node.h}" rx="${node.shape === "vpc" ? 0 : 5}" fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"${dash}/>${text}</g>`,
    );
  }
  out.push("</svg>", "");
  return out.join("\n");
}

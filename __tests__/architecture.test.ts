import { buildArchitecture } from "../src/report/architecture";
import { MONOSPACE, bundleEdges, layoutArchitecture, renderArchitectureSvg } from "../src/report/architecture-svg";
import { readSynthesized } from "../src/synthesized/read-synthesized";
import { exampleWith } from "./helpers/environment";
import { synthesizeVariant } from "./helpers/verify";

/** The review drawing's model, from what is synthesized (not from the environment file). */
function model(edit: (doc: any) => void = () => {}) {
  const outdir = synthesizeVariant(edit);
  const env = exampleWith(edit);
  return buildArchitecture(env.name, env.cidrPlan, readSynthesized(outdir));
}

describe("the architecture drawing places each resource in the subnets Terraform puts it in", () => {
  const example = model();
  const where = (id: string) => example.resources.filter((r) => r.id === id || r.id.startsWith(`${id}-`)).map((r) => r.subnetKey).sort();

  it("the internal ALB and the app servers in the app subnets, the NAT and the bastion in public-a", () => {
    expect(where("alb")).toEqual(["app-a", "app-b"]);
    expect(example.resources.find((r) => r.kind === "alb")!.label).toBe("ALB (internal)");
    expect(where("app")).toEqual(["app-a", "app-b"]);
    expect(where("nat")).toEqual(["public-a"]);
    expect(where("bastion")).toEqual(["public-a"]);
  });

  it("Client VPN in each data subnet, RDS primary and standby in two of them, Redis primary and replica", () => {
    expect(where("vpn")).toEqual(["data-a", "data-b", "data-c"]);
    expect(example.resources.filter((r) => r.kind === "rds").map((r) => r.label)).toEqual(["RDS postgres primary", "RDS standby"]);
    expect(example.resources.filter((r) => r.kind === "redis").map((r) => r.label)).toEqual(["Redis primary", "Redis replica"]);
  });

  it("draws each declared path as its own edges, with operators, engineers and office users as sources", () => {
    const paths = new Set(example.edges.map((e) => e.pathId));
    for (const id of ["web", "web-static", "ssm-shell:app", "eic-ssh", "vpn-database", "vpn-dns", "bastion-ssh", "tunnel-ssh:ssh.example.com", "tunnel-connects", "app-database", "app-s3", "app-internet", "forward-database"]) expect(paths).toContain(id);
    expect(example.actors.map((a) => a.id)).toEqual(expect.arrayContaining(["office", "operators", "engineers", "vpn-clients", "bastion-users"]));
    expect(example.actors.find((a) => a.id === "bastion-users")!.label).toBe("SSH from 203.0.113.0/24");
  });

  it("one NAT per AZ with per-az NAT; a feature turned off disappears", () => {
    const perAz = model((d) => {
      d.network.natGateways = "per-az";
      d.network.subnets.push({ tier: "public", az: "ap-northeast-2c", cidr: "172.16.3.0/24" });
    });
    expect(perAz.resources.filter((r) => r.kind === "nat").map((r) => r.id).sort()).toEqual(["nat-a", "nat-b", "nat-c"]);
    const bare = model((d) => { delete d.access; delete d.cloudflareTunnel; delete d.dataTier; });
    expect(bare.resources.map((r) => r.kind).sort()).toEqual(["alb", "alb", "app", "app", "nat"]);
    expect(bare.actors.map((a) => a.id)).not.toContain("operators");
  });

  it("shows the tunnel in local mode too, ending at the host that runs cloudflared", () => {
    const local = model((d) => (d.cloudflareTunnel.mode = "local"));
    expect(local.edges.filter((e) => e.family === "tunnel").map((e) => `${e.from}→${e.to}`)).toEqual(["engineers→cloudflare", "cloudflare→local-cloudflared", "local-cloudflared→cloudflare"]);
  });

  it("lays the AZs out as columns in letter order with aligned tops, one subnet box per planned subnet", () => {
    const layout = layoutArchitecture(example);
    const azs = layout.clusters.filter((c) => c.id.startsWith("az-"));
    expect(azs.map((c) => c.id)).toEqual(["az-a", "az-b", "az-c"]);
    expect(azs.map((c) => c.x)).toEqual([...azs.map((c) => c.x)].sort((a, b) => a - b));
    expect(new Set(azs.map((c) => c.y)).size).toBe(1);
    expect(new Set(azs.map((c) => c.h)).size).toBe(1);
    expect(layout.clusters.filter((c) => c.id.startsWith("subnet-")).map((c) => c.id).sort()).toEqual(example.subnets.map((s) => `subnet-${s.key}`).sort());
    // Tier rows: every AZ's subnet of a tier starts at the same height.
    for (const tier of ["public", "app", "data"]) expect(new Set(layout.clusters.filter((c) => c.cls.includes(`tier-${tier}`)).map((c) => c.y)).size).toBe(1);
    expect(layout.unplacedLabels).toBe(0);
    expect(layout.routes).toHaveLength(bundleEdges(example).length);
  });

  it("bundles paths sharing a hop into one line whose label lists them (the tunnel both ways)", () => {
    const bundles = bundleEdges(example);
    const pairs = bundles.map((b) => [b.from, b.to].sort().join(" "));
    expect(new Set(pairs).size).toBe(pairs.length);
    const tunnel = bundles.find((b) => b.edges.some((e) => e.pathId === "tunnel-connects"))!;
    expect(tunnel.both).toBe(true);
    expect(tunnel.lines).toEqual(expect.arrayContaining(["SSH 22 over the tunnel", "out TCP/UDP 7844"]));
    expect(bundles.flatMap((b) => b.edges)).toHaveLength(example.edges.length);
  });

  it("routes every line orthogonally, clear of every box, and into a foreign AZ never", () => {
    const layout = layoutArchitecture(example);
    const nodes = new Map(layout.nodes.map((n) => [n.id, n]));
    const azBoxes = layout.clusters.filter((c) => c.id.startsWith("az-"));
    const problems: string[] = [];
    for (const { bundle, points } of layout.routes) {
      const allowed = [bundle.from, bundle.to].map((id) => nodes.get(id)?.az).filter(Boolean).map((az) => `az-${az!.slice(-1)}`);
      for (let k = 1; k < points.length; k++) {
        const [a, b] = [points[k - 1], points[k]];
        if (a[0] !== b[0] && a[1] !== b[1]) problems.push(`${bundle.id}: diagonal ${a} → ${b}`);
        for (let t = 0; t <= 1; t += 0.05) {
          const x = a[0] + (b[0] - a[0]) * t, y = a[1] + (b[1] - a[1]) * t;
          for (const node of layout.nodes) if (node.id !== bundle.from && node.id !== bundle.to && x > node.x && x < node.x + node.w && y > node.y && y < node.y + node.h) problems.push(`${bundle.id} through ${node.id}`);
          for (const az of azBoxes) if (!allowed.includes(az.id) && x > az.x && x < az.x + az.w && y > az.y && y < az.y + az.h) problems.push(`${bundle.id} crosses ${az.id} at ${x},${y}`);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it("renders offline to well-formed SVG whose labels use a monospace family with Courier's advance", async () => {
    const svg = renderArchitectureSvg(example);
    expect(svg.startsWith("<?xml")).toBe(true);
    const tags = svg.replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, "").match(/<\/?[a-zA-Z][^>]*>/g) ?? [];
    const open: string[] = [];
    for (const tag of tags) {
      if (tag.endsWith("/>")) continue;
      const name = /^<\/?([a-zA-Z]+)/.exec(tag)![1];
      if (tag.startsWith("</")) expect(open.pop()).toBe(name);
      else open.push(name);
    }
    expect(open).toEqual([]);
    expect(svg).toContain(`font-family="${MONOSPACE.replace(/"/g, "")}"`);
    for (const label of ["RDS postgres primary", "EIC endpoint", "Client VPN ENI", "CloudFront + WAF", "Cloudflare Access + Tunnel", "S3 gateway endpoint"]) expect(svg).toContain(`>${label.replace(/&/g, "&amp;")}</text>`);
  });
});

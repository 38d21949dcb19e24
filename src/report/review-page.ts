import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config/load";
import type { EnvironmentProof } from "../verify/proof";
import type { AccessPath } from "./access-matrix";
import { buildArchitecture } from "./architecture";
import { BROKEN_COLOR, FAMILY_STYLES, idPart, renderArchitectureSvg } from "./architecture-svg";
import type { SynthesizedStack } from "../synthesized/terraform-json";
import { CostEstimate, costLine, dollars, estimateMonthlyCost } from "../cost/estimate";
import { NOT_ESTIMATED, describeAssumptions } from "../cost/assumptions";
import { PRICES_TAKEN } from "../cost/prices";

const escape = (text: unknown) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function table(id: string, head: string[], rows: unknown[][]): string {
  return [
    `<table id="${id}">`,
    `<thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`),
    "</tbody></table>",
  ].join("\n");
}

/** "Monthly cost": totals per access path and shared part, every line item, the usage assumed and the price sources. */
function costSection(estimate: CostEstimate): string[] {
  const head = ['<h2 id="monthly-cost">Monthly cost</h2>', `<p class="summary" id="cost-total">${escape(costLine(estimate))}</p>`];
  if (estimate.missing) return [...head, `<p>No estimate: ${escape(estimate.missing)}.</p>`];
  const money = (amount: number | undefined) => (amount === undefined ? "no price" : dollars(amount, true));
  const sources = [...new Map(estimate.items.filter((item) => item.price).map((item) => [item.price!.source, item.price!])).values()];
  return [
    ...head,
    `<p class="meta">On-demand prices for ${escape(estimate.regionName)} (${escape(estimate.region)}) from the public AWS pricing pages, taken ${PRICES_TAKEN} (src/cost/prices.ts); a price marked unconfirmed was not seen on a public page and should be checked there.</p>`,
    "<h3>Per access path</h3>",
    table("cost-by-path", ["access path or shared part", "kind", "USD / month"], [
      ...estimate.groups.map((g) => [g.name, g.kind, money(g.monthly)]),
      ["total", "", money(estimate.total)],
    ]),
    "<h3>Line items</h3>",
    table("cost-items", ["access path or shared part", "resource", "what", "quantity", "unit price (USD)", "USD / month", "price"], estimate.items.map((item) => [
      item.group.name,
      item.resource,
      item.what,
      `${Number(item.quantity.toFixed(2)).toLocaleString("en-US")} ${item.unit}`,
      item.price ? `${item.price.usd} / ${item.price.unit}` : "no price kept",
      money(item.monthly),
      item.price ? `${item.price.confirmation}${item.price.note ? `: ${item.price.note}` : ""}` : `add it to src/cost/prices.ts`,
    ])),
    "<h3>Usage assumed</h3>",
    `<ul id="cost-assumptions">${describeAssumptions(estimate.assumptions).map((a) => `<li>${escape(a)}</li>`).join("")}</ul>`,
    `<p>Not estimated: ${escape(NOT_ESTIMATED.join("; "))}.</p>`,
    "<h3>Price sources</h3>",
    `<ul id="cost-sources">${sources.map((p) => `<li>${escape(p.source)}</li>`).join("")}</ul>`,
  ];
}

const verdictClass = (text: string) => (/^(BROKEN|UNPROVEN|VIOLATION|broken|unproven)/.test(text) ? "bad" : /^(holds|ok|public entry)/.test(text) ? "good" : "");

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #57606a; margin-bottom: 16px; }
figure#architecture { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; }
figure#architecture .viewport { overflow: hidden; touch-action: none; }
figure#architecture svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure#architecture.zoomed svg { cursor: grab; }
figure#architecture figcaption { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 13px; color: #57606a; margin-bottom: 6px; }
figure#architecture button { font: inherit; min-width: 32px; padding: 2px 8px; border: 1px solid #d0d7de; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
h3 { font-size: 15px; margin: 16px 0 6px; }
#cost-by-path td:last-child, #cost-items td:nth-child(6) { text-align: right; white-space: nowrap; }
td.good { color: #1a7f37; } td.bad { color: #cf222e; font-weight: 600; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 24px; font-size: 13px; }
ul.legend svg { vertical-align: middle; margin-right: 6px; }
ul.legend b { font-weight: 600; }
.summary { font-size: 14px; }
`;

/**
 * Zoom and pan for the drawing, inline (the page loads nothing; the CSP admits this script by its
 * hash only). The drawing is fitted to the page width; zooming narrows the SVG's viewBox, so what
 * is shown is always inside the figure. Buttons, Ctrl/⌘ + wheel, drag to pan, double-click to zoom.
 */
const ZOOM_SCRIPT = `(function () {
  var figure = document.getElementById("architecture");
  var svg = figure && figure.querySelector("svg");
  if (!svg) return;
  var full = svg.viewBox.baseVal, W = full.width, H = full.height;
  var view = { x: 0, y: 0, z: 1 };
  function apply() {
    view.z = Math.min(8, Math.max(1, view.z));
    var w = W / view.z, h = H / view.z;
    view.x = Math.min(W - w, Math.max(0, view.x));
    view.y = Math.min(H - h, Math.max(0, view.y));
    svg.setAttribute("viewBox", view.x + " " + view.y + " " + w + " " + h);
    figure.classList.toggle("zoomed", view.z > 1);
  }
  function zoomAt(factor, fx, fy) {
    var w = W / view.z, h = H / view.z;
    var px = view.x + fx * w, py = view.y + fy * h;
    view.z *= factor;
    view.x = px - fx * (W / view.z);
    view.y = py - fy * (H / view.z);
    apply();
  }
  function fraction(event) {
    var r = svg.getBoundingClientRect();
    return [(event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height];
  }
  figure.addEventListener("click", function (event) {
    var kind = event.target && event.target.getAttribute && event.target.getAttribute("data-zoom");
    if (kind === "in") zoomAt(1.5, 0.5, 0.5);
    else if (kind === "out") zoomAt(1 / 1.5, 0.5, 0.5);
    else if (kind === "fit") { view = { x: 0, y: 0, z: 1 }; apply(); }
  });
  svg.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    var f = fraction(event);
    zoomAt(event.deltaY < 0 ? 1.25 : 0.8, f[0], f[1]);
  }, { passive: false });
  svg.addEventListener("dblclick", function (event) {
    var f = fraction(event);
    zoomAt(event.shiftKey ? 0.5 : 2, f[0], f[1]);
  });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (view.z <= 1) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    view.x = drag.vx - ((event.clientX - drag.x) / r.width) * (W / view.z);
    view.y = drag.vy - ((event.clientY - drag.y) / r.height) * (H / view.z);
    apply();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("pointercancel", function () { drag = null; });
})();`;

/**
 * `reports/<env>/index.html`: one self-contained page (no network needed) a reviewer opens: the
 * architecture drawing from the synthesized stacks with every access path and its proof verdict,
 * the CIDR plan, the access matrix, resource counts, the monthly cost estimate (src/cost/) and guardrail suppressions. Writes
 * `architecture.svg` beside it, and `architecture.png` when a Chromium is given to draw it.
 */
export async function writeReviewPage(
  env: EnvironmentConfig,
  stacks: readonly SynthesizedStack[],
  proof: EnvironmentProof | undefined,
  dir: string,
  options: { matrix?: readonly AccessPath[]; chromium?: string } = {},
): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const model = buildArchitecture(env.name, env.cidrPlan, stacks, proof);
  const svg = renderArchitectureSvg(model);
  const inlineSvg = svg.replace(/^[\s\S]*?(<svg\b)/, "$1");
  const paths = proof?.paths ?? [];
  const counts = Object.fromEntries(stacks.map((s) => [s.name, Object.values(s.json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0)]));
  const suppressions = stacks.flatMap((s) => s.annotations.filter((a) => /suppressed/.test(a.message)).map((a) => [s.name, a.constructPath, a.message]));
  const reviewData = {
    environment: env.name,
    subnets: model.subnets.map((s) => ({ key: s.key, cidr: s.cidr })),
    paths: paths.filter((p) => p.kind === "path" && model.edges.some((e) => e.pathId === p.id)).map((p) => ({ id: p.id, cssId: idPart(p.id), title: p.title, verdict: p.verdict })),
    resources: counts,
  };
  const held = paths.filter((p) => p.verdict === "holds").length;
  // Each family has its own line pattern and width as well as its colour (readable without colour).
  const legend = Object.values(FAMILY_STYLES)
    .map((style) => {
      const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : "";
      return `<li><svg width="56" height="12" aria-hidden="true"><line x1="0" y1="6" x2="56" y2="6" stroke="${style.color}" stroke-width="${style.width}"${dash}/></svg><b>${escape(style.pattern)}</b>: ${escape(style.meaning)}</li>`;
    })
    .concat(`<li><svg width="56" height="12" aria-hidden="true"><line x1="0" y1="6" x2="56" y2="6" stroke="${BROKEN_COLOR}" stroke-width="2"/></svg><b>red, label starts BROKEN or UNPROVEN</b>: a path whose proof does not hold</li>`)
    .join("\n");
  const script = ZOOM_SCRIPT;
  const scriptHash = crypto.createHash("sha256").update(script).digest("base64");
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>Review: ${escape(env.name)}</title>`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'">`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escape(env.name)}: what can reach what</h1>`,
    `<p class="meta">Region ${escape(model.region)}, VPC ${escape(model.vpcCidr)}, AZs ${escape(model.availabilityZones.join(", "))}. Drawn from the synthesized Terraform JSON; every path proved by <code>npm run verify</code> before apply.</p>`,
    `<p class="summary">${proof ? `${held} of ${paths.length} proofs hold.` : "Not verified (npm run verify needs the dev dependencies)."}</p>`,
    '<figure id="architecture">',
    '<figcaption><span>Drawing:</span><button type="button" data-zoom="in" aria-label="zoom in">+</button><button type="button" data-zoom="out" aria-label="zoom out">−</button><button type="button" data-zoom="fit">fit</button><span>drag to pan, Ctrl + wheel to zoom</span><a href="architecture.svg" target="_blank" rel="noopener">open the drawing at full size (architecture.svg)</a></figcaption>',
    `<div class="viewport">${inlineSvg}</div>`,
    "</figure>",
    `<ul class="legend">${legend}</ul>`,
    "<h2>Paths and their proofs</h2>",
    table("paths", ["path", "kind", "verdict", "first hop that does not hold"], paths.map((p) => [p.title, p.kind, p.verdict, p.brokenHop ? `${p.brokenHop.name}: ${p.brokenHop.detail}` : ""])),
    "<h2>CIDR plan</h2>",
    table("cidr-plan", ["tier", "AZ", "CIDR", "addresses", "usable (size − 5)"], env.cidrPlan.subnets.map((s) => [s.tier, s.az, s.cidr, s.size.toLocaleString("en-US"), s.usable.toLocaleString("en-US")])),
    "<h2>Access matrix</h2>",
    table("access-matrix", ["stack", "source", "destination", "port", "via", "guardrails", "proof"], (options.matrix ?? []).map((p) => [p.stack, p.source, p.destination, p.port, p.via, p.verdict, p.proof ?? "not verified"])),
    "<h2>Resources per stack</h2>",
    table("resources", ["stack", "resources"], Object.entries(counts)),
    ...costSection(estimateMonthlyCost(env.name, stacks)),
    "<h2>Guardrail suppressions</h2>",
    suppressions.length ? table("suppressions", ["stack", "construct", "finding and reason"], suppressions) : "<p>None.</p>",
    `<script type="application/json" id="review-data">${JSON.stringify(reviewData).replace(/</g, "\\u003c")}</script>`,
    `<script>${script}</script>`,
    "</body></html>",
    "",
  ].join("\n");
  const files = [path.join(dir, "index.html"), path.join(dir, "architecture.svg")];
  fs.writeFileSync(files[0], html.replace(/<td>(BROKEN|UNPROVEN|VIOLATION|broken|unproven|holds|ok|public entry)/g, (_m, v) => `<td class="${verdictClass(v)}">${v}`));
  fs.writeFileSync(files[1], svg);
  if (options.chromium) {
    const { renderPng } = require("./browser") as typeof import("./browser");
    const png = path.join(dir, "architecture.png");
    await renderPng(options.chromium, files[1], png);
    files.push(png);
  }
  return files;
}

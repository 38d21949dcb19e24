import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { EnvironmentConfig, loadEnvironmentFile } from "../src/config/load";
import { svgSize, withBrowser } from "../src/report/browser";
import { readSynthesized } from "../src/synthesized/read-synthesized";
import { writeReports } from "../src/report/write-reports";
import { verifyEnvironment } from "../src/verify/verify";
import { browserOrSkip } from "./helpers/browser";
import { synthesizeVariant } from "./helpers/verify";

/**
 * The review page (reports/<env>/index.html) opened from file:// in headless Chromium: nothing
 * fetched from the network, no script errors, every subnet and declared path drawn and visible,
 * no node label overflowing its shape, the tables filled. One browser for the whole file.
 */
const chromium = browserOrSkip();
const describeBrowser = chromium ? describe : describe.skip;

interface ReviewData {
  environment: string;
  subnets: { key: string; cidr: string }[];
  paths: { id: string; title: string; verdict: string }[];
  resources: Record<string, number>;
}

interface Variant {
  readonly name: string;
  readonly edit: (doc: Record<string, any>) => void;
}

const VARIANTS: readonly Variant[] = [
  { name: "the bundled example", edit: () => {} },
  {
    name: "a network-only environment",
    edit: (doc) => {
      delete doc.webTier;
      delete doc.dataTier;
      delete doc.access;
      delete doc.cloudflareTunnel;
    },
  },
  {
    name: "a two-AZ environment",
    edit: (doc) => {
      doc.network.availabilityZones = doc.network.availabilityZones.slice(0, 2);
      doc.network.subnets = doc.network.subnets.filter((s: { az: string }) => doc.network.availabilityZones.includes(s.az));
    },
  },
  {
    name: "a four-AZ environment",
    edit: (doc) => {
      doc.network.availabilityZones.push("ap-northeast-2d");
      doc.network.subnets.push({ tier: "public", az: "ap-northeast-2d", cidr: "172.16.4.0/24" }, { tier: "app", az: "ap-northeast-2d", cidr: "172.16.64.0/20" }, { tier: "data", az: "ap-northeast-2d", cidr: "172.16.176.0/20" });
    },
  },
  {
    name: "every feature on (per-AZ NAT, interface endpoints, the EIC database tunnel)",
    edit: (doc) => {
      doc.network.natGateways = "per-az";
      doc.network.subnets.push({ tier: "public", az: "ap-northeast-2c", cidr: "172.16.3.0/24" });
      doc.access.sessionManager.interfaceEndpoints = true;
      doc.access.instanceConnect.databaseTunnel = true;
      doc.dataTier.database.port = 3389; // the endpoint reaches 22 and 3389 only
    },
  },
];

/** The page width the drawing's measurements are taken at. */
const PAGE_WIDTH = 1400;

/** `path-<id>` with every non-alphanumeric replaced by `-`: the class of a path's edge groups. */
const pathClass = (id: string) => `path-${id.replace(/[^A-Za-z0-9]/g, "-")}`;
const azLetter = (az: string) => az.slice(-1);

interface Produced {
  readonly file: string;
  readonly env: EnvironmentConfig;
  readonly files: readonly string[];
}

/**
 * Synthesizes the edited example, proves it, and writes its reports as `npm run report` does
 * (writeReports: the review page with the access matrix, architecture.svg, and architecture.png
 * drawn by `chromium`); returns index.html among them.
 */
async function producePage(variant: Variant): Promise<Produced> {
  const outdir = synthesizeVariant(variant.edit);
  const env = loadEnvironmentFile(path.join(path.dirname(outdir), "environments", "example.yaml"));
  const proof = await verifyEnvironment(outdir, env.name);
  const dir = path.join(path.dirname(outdir), "reports", env.name);
  const files = await writeReports(env, readSynthesized(outdir), dir, proof, chromium);
  return { file: path.join(dir, "index.html"), env, files };
}

interface OpenedPage {
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly failedRequests: string[];
  readonly requests: string[];
  readonly data: ReviewData;
}

async function openPage(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: PAGE_WIDTH, height: 900 } });
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  page.on("requestfailed", (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const json = await page.locator("script#review-data").textContent();
  return { page, consoleErrors, failedRequests, requests, data: JSON.parse(json ?? "null") as ReviewData };
}

/** Size of the whole document: what a full-page screenshot captures. */
async function fullPageSize(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => {
    const root = (globalThis as any).document.documentElement;
    return { width: root.scrollWidth as number, height: root.scrollHeight as number };
  });
}

/**
 * Visible, with a non-empty box inside the document (what a full-page screenshot captures) and
 * not cut off by a scrolling or clipping ancestor (a figure with overflow: auto, say).
 */
async function placementProblem(page: Page, selector: string, what: string): Promise<string | undefined> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return `${what}: no element ${selector}`;
  if (!(await element.isVisible())) return `${what}: not visible`;
  const size = await fullPageSize(page);
  const placement = await element.evaluate((el: any) => {
    // Runs in the page (this project compiles without DOM types).
    const view = (globalThis as any).window;
    const r = el.getBoundingClientRect();
    const box = { x: r.left + view.scrollX, y: r.top + view.scrollY, width: r.width, height: r.height };
    const clippedBy: string[] = [];
    for (let up = el.parentElement; up && up !== view.document.documentElement; up = up.parentElement) {
      const style = view.getComputedStyle(up);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const c = up.getBoundingClientRect();
      if (r.left < c.left + up.clientLeft - 1 || r.top < c.top + up.clientTop - 1 || r.left + r.width > c.left + up.clientLeft + up.clientWidth + 1 || r.top + r.height > c.top + up.clientTop + up.clientHeight + 1) {
        clippedBy.push(`${up.tagName.toLowerCase()}${up.id ? `#${up.id}` : ""} (overflow ${style.overflowX}/${style.overflowY}, ${Math.round(up.clientWidth)}x${Math.round(up.clientHeight)} px)`);
      }
    }
    return { box, clippedBy };
  });
  const { box } = placement;
  const insidePage = box.width > 0 && box.height > 0 && box.x >= -1 && box.y >= -1 && box.x + box.width <= size.width + 1 && box.y + box.height <= size.height + 1;
  const at = `box x=${Math.round(box.x)} y=${Math.round(box.y)} ${Math.round(box.width)}x${Math.round(box.height)}`;
  if (!insidePage) return `${what}: ${at} is not inside the page (${size.width}x${size.height})`;
  if (placement.clippedBy.length > 0) return `${what}: ${at} is cut off by ${placement.clippedBy.join(", ")}`;
  return undefined;
}

/** Labels that stick out of their node's shape: [node, text, text box, shape box]. */
async function overflowingLabels(page: Page): Promise<{ node: string; text: string; label: number[]; shape: number[] }[]> {
  return page.evaluate(() => {
    // Runs in the page (this project compiles without DOM types).
    const doc = (globalThis as any).document;
    const rect = (el: any) => {
      const r = el.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom] as number[];
    };
    const problems: { node: string; text: string; label: number[]; shape: number[] }[] = [];
    for (const node of Array.from(doc.querySelectorAll("#architecture svg g.node")) as any[]) {
      const name = node.id || node.querySelector("title")?.textContent || "?";
      const shapes = (Array.from(node.querySelectorAll("polygon, path, ellipse, rect")) as any[]).map(rect);
      // The outline is the largest shape (HTML-like labels draw inner cells too).
      const shape = shapes.sort((a, b) => (b[2] - b[0]) * (b[3] - b[1]) - (a[2] - a[0]) * (a[3] - a[1]))[0];
      if (!shape) {
        problems.push({ node: name, text: "(node has no polygon, path, ellipse or rect)", label: [], shape: [] });
        continue;
      }
      for (const text of Array.from(node.querySelectorAll("text")) as any[]) {
        const label = rect(text);
        if (label[2] - label[0] <= 0 && label[3] - label[1] <= 0) continue;
        const tolerance = 1;
        if (label[0] < shape[0] - tolerance || label[1] < shape[1] - tolerance || label[2] > shape[2] + tolerance || label[3] > shape[3] + tolerance) {
          problems.push({ node: name, text: text.textContent, label: label.map(Math.round), shape: shape.map(Math.round) });
        }
      }
    }
    return problems;
  });
}

interface DrawingMeasurements {
  azs: { id: string; left: number; top: number }[];
  minFontPx: number;
  texts: number;
  lines: number;
  /** An edge line's sampled point inside a text's box: [edge, text]. */
  textOnLine: string[];
  /** Two texts whose boxes overlap. */
  textOnText: string[];
  /** An edge label's box over a node's box. */
  labelOnBox: string[];
  /** A line inside an AZ column that is neither end's AZ. */
  foreignAz: string[];
  /** Two edge groups for the same pair of boxes. */
  duplicateHops: string[];
}

/**
 * What the drawing looks like as shown (client pixels): AZ columns, the smallest text, and every
 * intersection of text with lines (each path sampled every 2 px along getTotalLength), text with
 * text, edge labels with boxes, and lines with AZ columns they do not belong to.
 */
async function measureDrawing(page: Page): Promise<DrawingMeasurements> {
  return page.evaluate(() => {
    // Runs in the page (this project compiles without DOM types).
    const view = globalThis as any;
    const svg = view.document.querySelector("figure#architecture svg");
    const box = (el: any) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const name = (el: any) => `${el.closest("g[id]")?.id ?? "?"} "${el.textContent}"`;
    const overlap = (a: any, b: any, shrink: number) => a.left + shrink < b.right && b.left + shrink < a.right && a.top + shrink < b.bottom && b.top + shrink < a.bottom;
    const texts = (Array.from(svg.querySelectorAll("text")) as any[]).filter((t) => t.closest("g[id]") && t.textContent.trim() !== "");
    const textBoxes = texts.map((t) => ({ t, b: box(t) }));
    const minFontPx = Math.min(...texts.map((t) => parseFloat(view.getComputedStyle(t).fontSize) * t.getScreenCTM().a));
    const azs = (Array.from(svg.querySelectorAll("g.cluster.az")) as any[]).map((g) => ({ id: g.id as string, ...box(g.querySelector("rect")) }));
    const edges = Array.from(svg.querySelectorAll("g.edge")) as any[];
    const textOnLine: string[] = [];
    const foreignAz: string[] = [];
    let lines = 0;
    for (const edge of edges) {
      const allowed = [edge.dataset.fromAz, edge.dataset.toAz].filter(Boolean).map((az: string) => `az-${az.slice(-1)}`);
      for (const path of Array.from(edge.querySelectorAll("path")) as any[]) {
        lines++;
        const m = path.getScreenCTM();
        const total = path.getTotalLength();
        for (let at = 0; at <= total; at += 2) {
          const p = path.getPointAtLength(at);
          const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
          for (const { t, b } of textBoxes) if (x > b.left && x < b.right && y > b.top && y < b.bottom) textOnLine.push(`${edge.id} × ${name(t)}`);
          for (const az of azs) if (!allowed.includes(az.id) && x > az.left + 1 && x < az.right - 1 && y > az.top + 1 && y < az.bottom - 1) foreignAz.push(`${edge.id} in ${az.id}`);
        }
      }
    }
    const textOnText: string[] = [];
    for (let i = 0; i < textBoxes.length; i++) for (let j = i + 1; j < textBoxes.length; j++) if (overlap(textBoxes[i].b, textBoxes[j].b, 0.5)) textOnText.push(`${name(textBoxes[i].t)} × ${name(textBoxes[j].t)}`);
    const nodeBoxes = (Array.from(svg.querySelectorAll("g.node")) as any[]).map((g) => ({ id: g.id, b: box(g.querySelector("rect")) }));
    const labelOnBox: string[] = [];
    for (const label of Array.from(svg.querySelectorAll("g.edge g.edge-label")) as any[]) {
      const b = box(label);
      for (const node of nodeBoxes) if (overlap(b, node.b, 0)) labelOnBox.push(`${label.closest("g.edge").id} × ${node.id}`);
    }
    const pairs = edges.map((e) => [e.dataset.from, e.dataset.to].sort().join(" ↔ "));
    const duplicateHops = pairs.filter((p, i) => pairs.indexOf(p) !== i);
    return { azs: azs.map((a) => ({ id: a.id, left: a.left, top: a.top })), minFontPx, texts: texts.length, lines, textOnLine: [...new Set(textOnLine)], textOnText, labelOnBox, foreignAz: [...new Set(foreignAz)], duplicateHops };
  });
}

function pngInfo(file: string): { signature: boolean; width: number; height: number; bytes: number } {
  const bytes = fs.readFileSync(file);
  const signature = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { signature, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bytes: bytes.length };
}

describeBrowser("review page in headless Chromium", () => {
  let browser: Browser;
  let release: () => void = () => {};
  let closed: Promise<void> | undefined;

  beforeAll(async () => {
    // One browser for the file, launched (and closed, whatever happens) by withBrowser.
    browser = await new Promise<Browser>((resolve, reject) => {
      closed = withBrowser(chromium!, (launched) => {
        resolve(launched);
        return new Promise<void>((done) => (release = done));
      });
      closed.catch(reject);
    });
  });

  afterAll(async () => {
    release();
    await closed;
  });

  describe.each(VARIANTS)("$name", (variant) => {
    let opened: OpenedPage;
    let produced: Produced;

    beforeAll(async () => {
      produced = await producePage(variant);
      opened = await openPage(browser, produced.file);
    });

    afterAll(async () => {
      await opened?.page.close();
    });

    test("loads with no console errors and nothing from the network", async () => {
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.failedRequests).toEqual([]);
      expect(opened.requests.length).toBeGreaterThan(0);
      expect(opened.requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    });

    test("review-data describes this environment's subnets", () => {
      expect(opened.data.environment).toBe(produced.env.name);
      const planned = produced.env.cidrPlan.subnets.map((s) => ({ key: s.key, cidr: s.cidr }));
      expect(opened.data.subnets.map((s) => ({ key: s.key, cidr: s.cidr }))).toEqual(expect.arrayContaining(planned));
      expect(opened.data.subnets).toHaveLength(planned.length);
    });

    test("every subnet is drawn, visible, and shows its CIDR", async () => {
      const { page, data } = opened;
      await expect(page.locator("figure#architecture svg").count()).resolves.toBe(1);
      const problems: string[] = [];
      for (const subnet of data.subnets) {
        const selector = `figure#architecture svg g#subnet-${subnet.key}`;
        const problem = await placementProblem(page, selector, `subnet ${subnet.key}`);
        if (problem) problems.push(problem);
        else if (!((await page.locator(selector).textContent()) ?? "").includes(subnet.cidr)) problems.push(`subnet ${subnet.key}: does not show ${subnet.cidr}`);
      }
      expect(problems).toEqual([]);
    });

    test("every declared path has a visible edge", async () => {
      const { page, data } = opened;
      if (variant.name === "the bundled example") expect(data.paths.length).toBeGreaterThan(0);
      const missing: string[] = [];
      for (const p of data.paths) {
        const edges = page.locator(`figure#architecture svg g.edge.${pathClass(p.id)}`);
        let visible = false;
        for (let i = 0; i < (await edges.count()) && !visible; i++) {
          const box = await edges.nth(i).boundingBox();
          visible = (await edges.nth(i).isVisible()) && box !== null && (box.width > 0 || box.height > 0);
        }
        if (!visible) missing.push(`${p.id} (.${pathClass(p.id)})`);
      }
      expect(missing).toEqual([]);
    });

    test("no node label overflows its shape", async () => {
      await expect(opened.page.locator("figure#architecture svg g.node").count()).resolves.toBeGreaterThan(0);
      expect(await overflowingLabels(opened.page)).toEqual([]);
    });

    describe(`the drawing at ${PAGE_WIDTH} px wide`, () => {
      let measured: DrawingMeasurements;
      beforeAll(async () => {
        measured = await measureDrawing(opened.page);
      });

      test("AZ columns read a, b, c … left to right, tops aligned", () => {
        const letters = [...new Set(produced.env.cidrPlan.subnets.map((s) => s.az))].sort().map((az) => `az-${azLetter(az)}`);
        const leftToRight = [...measured.azs].sort((a, b) => a.left - b.left).map((a) => a.id);
        expect(leftToRight).toEqual(letters);
        const tops = measured.azs.map((a) => a.top);
        expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(0.5);
      });

      test("every text is at least 11 px high on screen", () => {
        expect(measured.texts).toBeGreaterThan(10);
        expect(measured.minFontPx).toBeGreaterThanOrEqual(11);
      });

      test("no line runs through a text, no text overlaps another, no edge label covers a box", () => {
        if (opened.data.paths.length > 0) expect(measured.lines).toBeGreaterThan(0);
        expect(measured.textOnLine).toEqual([]);
        expect(measured.textOnText).toEqual([]);
        expect(measured.labelOnBox).toEqual([]);
      });

      test("a line enters only the AZs of its two ends, and each hop is one line", () => {
        expect(measured.foreignAz).toEqual([]);
        expect(measured.duplicateHops).toEqual([]);
      });
    });

    test("zoom and pan in the page, and a link to the full-size drawing beside it", async () => {
      const { page } = opened;
      const viewBox = () => page.locator("figure#architecture svg").getAttribute("viewBox");
      const fitted = await viewBox();
      await page.locator('figure#architecture button[data-zoom="in"]').click();
      const zoomed = (await viewBox())!.split(" ").map(Number);
      expect(zoomed[2]).toBeLessThan(Number(fitted!.split(" ")[2]));
      const svg = await page.locator("figure#architecture svg").boundingBox();
      await page.mouse.move(svg!.x + svg!.width / 2, svg!.y + svg!.height / 3);
      await page.mouse.down();
      await page.mouse.move(svg!.x + svg!.width / 2 - 120, svg!.y + svg!.height / 3 - 60, { steps: 4 });
      await page.mouse.up();
      expect((await viewBox())!.split(" ").map(Number)[0]).toBeGreaterThan(zoomed[0]);
      await page.locator('figure#architecture button[data-zoom="fit"]').click();
      expect(await viewBox()).toBe(fitted);
      const href = await page.locator('figure#architecture a[href="architecture.svg"]').getAttribute("href");
      expect(fs.existsSync(path.join(path.dirname(produced.file), href!))).toBe(true);
    });

    test("the legend tells the families apart without colour (each its own dash pattern or width)", async () => {
      const styles = await opened.page.locator("ul.legend li svg line").evaluateAll((lines) => lines.map((l) => `${l.getAttribute("stroke-dasharray") ?? "solid"} ${l.getAttribute("stroke-width")}`));
      expect(styles.length).toBeGreaterThanOrEqual(6);
      expect(new Set(styles.slice(0, 6)).size).toBe(6);
    });

    test("paths sharing a hop are one line whose label lists them", async () => {
      const tunnel = opened.page.locator("figure#architecture svg g.edge.path-tunnel-connects");
      if ((await tunnel.count()) === 0) return;
      const text = (await tunnel.locator("g.edge-label").textContent()) ?? "";
      expect(text).toContain("out TCP/UDP 7844");
      expect((await tunnel.getAttribute("class"))!.split(" ").filter((c) => c.startsWith("path-"))).toHaveLength(2);
    });

    test("NAT gateways: one node per AZ with a public subnet (per-az), else one", async () => {
      const publicAzs = [...new Set(produced.env.cidrPlan.subnets.filter((s) => s.tier === "public").map((s) => s.az))].sort();
      const expected = produced.env.network.natGateways === "per-az" ? publicAzs.map((az) => `nat-${azLetter(az)}`) : [`nat-${azLetter(publicAzs[0])}`];
      const ids = await opened.page.locator('figure#architecture svg g.node[id^="nat-"]').evaluateAll((nodes) => nodes.map((n) => n.id).sort());
      expect(ids).toEqual(expected);
      const problems: string[] = [];
      for (const id of expected) problems.push((await placementProblem(opened.page, `figure#architecture svg g.node#${id}`, id)) ?? "");
      expect(problems.filter(Boolean)).toEqual([]);
    });

    test("the CIDR plan, access matrix and resource tables are filled", async () => {
      const { page, data } = opened;
      for (const id of ["cidr-plan", "access-matrix", "resources"]) {
        await expect(page.locator(`table#${id}`).count()).resolves.toBe(1);
        await expect(page.locator(`table#${id} tr`).count()).resolves.toBeGreaterThan(0);
      }
      const cidrPlan = (await page.locator("table#cidr-plan").textContent()) ?? "";
      for (const subnet of data.subnets) expect(cidrPlan).toContain(subnet.cidr);
      await expect(page.locator("table#cidr-plan tr:has(td)").count()).resolves.toBeGreaterThanOrEqual(data.subnets.length);
      const resourceTable = (await page.locator("table#resources").textContent()) ?? "";
      expect(Object.keys(data.resources).length).toBeGreaterThan(0);
      for (const [stack, count] of Object.entries(data.resources)) {
        expect(resourceTable).toContain(stack);
        expect(resourceTable).toContain(String(count));
      }
      if (data.paths.length > 0) await expect(page.locator("table#access-matrix tr:has(td)").count()).resolves.toBeGreaterThan(0);
    });

    test("architecture.svg and architecture.png (rendered by renderPng) are written beside the page", () => {
      const dir = path.dirname(produced.file);
      for (const name of ["index.html", "architecture.svg", "architecture.png"]) expect(produced.files).toContain(path.join(dir, name));
      const svg = svgSize(fs.readFileSync(path.join(dir, "architecture.svg"), "utf8"));
      const png = pngInfo(path.join(dir, "architecture.png"));
      expect(png.signature).toBe(true);
      expect(png.bytes).toBeGreaterThan(10_000);
      // The drawing's own proportions (pt converted to px, scaled by the device factor).
      expect(png.width / png.height).toBeCloseTo(svg.width / svg.height, 1);
      expect(png.width).toBeGreaterThanOrEqual(Math.min(svg.width, 4000) - 1);
    });

    test("a full-page screenshot is a real PNG", async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pa-review-shot-"));
      const file = path.join(folder, "review.png");
      await opened.page.screenshot({ path: file, fullPage: true });
      const png = pngInfo(file);
      const size = await fullPageSize(opened.page);
      expect(png.signature).toBe(true);
      expect(png.bytes).toBeGreaterThan(10_000);
      expect(png.width).toBeGreaterThanOrEqual(Math.min(size.width, 1280));
      expect(png.height).toBeGreaterThanOrEqual(size.height);
    });
  });
});

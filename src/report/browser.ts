import * as fs from "node:fs";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";

/** Where Debian, Ubuntu and Google install Chromium; the first that exists is used. */
export const CHROMIUM_CANDIDATES: readonly string[] = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/**
 * Flags for a headless Chromium on a machine with no network: without the background-networking
 * ones Chromium keeps dialing Google's services, and the closed network refuses the connections.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Largest PNG side in CSS pixels (before the device scale factor). */
export const MAX_PNG_SIDE = 4000;

/**
 * The Chromium to drive: `envValue` (PRIVATE_ACCESS_CHROMIUM, read by the caller) when set,
 * else the first of the usual install paths that exists; undefined when there is none.
 */
export function findChromium(envValue?: string): string | undefined {
  if (envValue !== undefined && envValue.trim() !== "") return envValue;
  return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/**
 * Launches headless Chromium, hands it to `fn`, and always closes it. playwright-core is a dev
 * dependency and is loaded here, lazily, so synth never needs it.
 */
export async function withBrowser<T>(chromiumPath: string, fn: (browser: Browser) => Promise<T>): Promise<T> {
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** A length attribute of the root `<svg>` in CSS pixels (Graphviz writes pt; 1pt = 4/3 px). */
export function lengthInPx(value: string | undefined): number | undefined {
  const match = /^\s*([0-9]*\.?[0-9]+)\s*(pt|px|in|cm|mm|pc)?\s*$/.exec(value ?? "");
  if (!match) return undefined;
  const n = Number(match[1]);
  const perUnit: Record<string, number> = { px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };
  return n * perUnit[match[2] ?? "px"];
}

/** Width and height of an SVG document in px, from the root element's attributes (or its viewBox). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root) throw new Error("not an SVG document: no <svg> element");
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, "i").exec(root)?.[1] ?? new RegExp(`\\s${name}\\s*=\\s*'([^']*)'`, "i").exec(root)?.[1];
  const viewBox = attr("viewBox")?.trim().split(/[\s,]+/).map(Number);
  const width = lengthInPx(attr("width")) ?? (viewBox?.length === 4 ? viewBox[2] : undefined);
  const height = lengthInPx(attr("height")) ?? (viewBox?.length === 4 ? viewBox[3] : undefined);
  if (!width || !height || !Number.isFinite(width) || !Number.isFinite(height)) throw new Error("the <svg> element has no usable width/height or viewBox");
  return { width, height };
}

/**
 * Renders an SVG file to a PNG of the drawing's own size, scaled down (aspect kept) when a side
 * would pass MAX_PNG_SIDE px; at device scale 2 for crisp text, or 1 when the drawing is large.
 */
export async function renderPng(chromiumPath: string, svgFile: string, pngFile: string): Promise<void> {
  const size = svgSize(fs.readFileSync(svgFile, "utf8"));
  const scale = Math.min(1, MAX_PNG_SIDE / Math.max(size.width, size.height));
  const width = Math.max(1, Math.round(size.width * scale));
  const height = Math.max(1, Math.round(size.height * scale));
  const deviceScaleFactor = Math.max(width, height) > 2000 ? 1 : 2;
  await withBrowser(chromiumPath, async (browser) => {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor });
    await page.goto(pathToFileURL(svgFile).href, { waitUntil: "load" });
    // The root element's size in px, so pt units and the cap both land on the viewport exactly
    // (the viewBox, which Graphviz always writes, scales the drawing to it).
    await page.evaluate(([w, h]) => {
      // Runs in the page (no DOM types in this project's lib).
      const root = (globalThis as any).document.documentElement;
      if (!root.getAttribute("viewBox")) root.setAttribute("viewBox", `0 0 ${root.getAttribute("width") ?? w} ${root.getAttribute("height") ?? h}`.replace(/pt/g, ""));
      root.setAttribute("width", `${w}px`);
      root.setAttribute("height", `${h}px`);
    }, [width, height] as const);
    await page.screenshot({ path: pngFile, type: "png", clip: { x: 0, y: 0, width, height } });
  });
}

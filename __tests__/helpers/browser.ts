import * as fs from "node:fs";
import { findChromium } from "../../src/report/browser";

/**
 * The headless Chromium for browser tests: PRIVATE_ACCESS_CHROMIUM, else the usual install paths.
 * In CI (CI=true) a missing Chromium fails the test run; on a laptop without one this warns and
 * returns undefined, and the browser tests skip.
 */
export function browserOrSkip(): string | undefined {
  const named = process.env.PRIVATE_ACCESS_CHROMIUM;
  const found = findChromium(named);
  const missing = !found
    ? "no Chromium at /usr/bin/chromium, /usr/bin/chromium-browser or /usr/bin/google-chrome (install Debian's chromium package, or set PRIVATE_ACCESS_CHROMIUM)"
    : !fs.existsSync(found)
      ? `PRIVATE_ACCESS_CHROMIUM=${found} does not exist`
      : undefined;
  if (!missing) return found;
  if (process.env.CI === "true") throw new Error(`CI=true but headless Chromium is unavailable: ${missing}`);
  console.warn(`skipping browser tests: ${missing}`);
  return undefined;
}

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { readSynthesized } from "../synthesized/read-synthesized";
import { writeReports } from "../report/write-reports";
import { stackNames } from "../stacks/aws-stack";
import type { EnvironmentProof } from "../verify/proof";
import { verifyEnvironment } from "../verify/verify";
import { findChromium } from "../report/browser";
import { GuardrailViolations, synthesize } from "./synth";

/**
 * The heavy half of `npm run report` (./report.ts reads the arguments, then loads this through
 * ./bundle-load: from dist/bundle/report.cjs when it is fresh, else this file's plain build).
 */
export async function report(options: { env?: string; out?: string }): Promise<number> {
  try {
    // The PNG of the drawing needs a browser to render it: Chromium from PRIVATE_ACCESS_CHROMIUM or the usual places.
    const chromium = findChromium(process.env.PRIVATE_ACCESS_CHROMIUM);
    if (!chromium) console.warn("report: no Chromium found (set PRIVATE_ACCESS_CHROMIUM): writing the page and the SVG, not the PNG");
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-report-"));
    const result = synthesize({ environmentsDir: "environments", selection: options.env ? [options.env] : [], outdir: scratch, offline: false });
    for (const env of result.environments) {
      const names = Object.values(stackNames(env));
      let proof: EnvironmentProof | undefined;
      try {
        proof = await verifyEnvironment(scratch, env.name);
      } catch (error) {
        console.warn(`${env.name}: access matrix without proof verdicts (${(error as Error).message})`);
      }
      const files = await writeReports(env, readSynthesized(scratch, names), path.join(options.out ?? "reports", env.name), proof, chromium);
      console.log(`${env.name}: ${files.join(", ")}`);
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    return 0;
  } catch (error) {
    if (error instanceof ConfigErrors || error instanceof GuardrailViolations) console.error(error.message);
    else console.error(`report: ${(error as Error).message}`);
    return 1;
  }
}

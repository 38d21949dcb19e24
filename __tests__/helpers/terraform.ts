import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareOfflineTerraform, OfflineTerraform } from "../../src/terraform/offline";

/**
 * Offline terraform for plan-integration tests. In CI (CI=true) a missing terraform or provider
 * mirror fails the test run; on a laptop without them the plan tests skip, saying why.
 */
export function offlineTerraformOrSkip(): { terraform?: OfflineTerraform; reason?: string } {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-tf-"));
  const setup = prepareOfflineTerraform(workDir);
  if (setup.ok) return { terraform: setup.terraform };
  if (process.env.CI === "true") {
    throw new Error(`CI=true but offline terraform is unavailable: ${setup.missing}`);
  }
  console.warn(`skipping plan-integration tests: ${setup.missing}`);
  return { reason: setup.missing };
}

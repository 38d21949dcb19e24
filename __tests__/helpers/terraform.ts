import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareOfflineTerraform, OfflineTerraform } from "../../src/terraform/offline";
import { noteAtEnd } from "./end-notes";

/**
 * Offline terraform for plan-integration tests. The provider mirror is PRIVATE_ACCESS_PROVIDER_MIRROR
 * or else found on this machine (src/terraform/provider-mirror.ts). In CI (CI=true) a missing
 * terraform or provider mirror fails the test run; on a laptop without them the plan tests skip,
 * and the run's last lines say why and how to make them run.
 */
export function offlineTerraformOrSkip(): { terraform?: OfflineTerraform; reason?: string } {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-tf-"));
  const setup = prepareOfflineTerraform(workDir);
  if (setup.ok) {
    const { version, mirror, mirrorFound } = setup.terraform;
    const how = { named: "PRIVATE_ACCESS_PROVIDER_MIRROR", implied: "Terraform's implied mirror folder", searched: "found on this machine" }[mirrorFound];
    noteAtEnd("offline-plans", `offline plans ran: terraform ${version}, provider mirror ${mirror} (${how})`);
    return { terraform: setup.terraform };
  }
  if (process.env.CI === "true") {
    noteAtEnd("offline-plans", `offline plans FAILED (CI=true): ${setup.missing}; ${setup.fix}`);
    throw new Error(`CI=true but offline terraform is unavailable: ${setup.missing}; ${setup.fix}`);
  }
  console.warn(`skipping plan-integration tests: ${setup.missing}`);
  noteAtEnd("offline-plans", `offline plans skipped: ${setup.missing}; ${setup.fix}`);
  return { reason: setup.missing };
}

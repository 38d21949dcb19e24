import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../src/stacks/app";
import { StandaloneStack } from "../src/stacks/standalone-stack";
import { withoutCreationStacks } from "../src/stacks/creation-stacks";
import { exampleWith } from "./helpers/environment";
import { loadStateBackendConfig } from "../terraform-state-backend/config";

const ROOT = path.join(__dirname, "..");

/** Every file under `dir`, relative path → contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out[rel] = fs.readFileSync(path.join(dir, rel), "utf8");
    }
  };
  walk("");
  return out;
}

function synthInto(outdir: string, prepareAsCdktfDoes: boolean, keepCreationStacks: boolean): Record<string, string> {
  StandaloneStack.prepareAsCdktfDoes = prepareAsCdktfDoes;
  try {
    const environments = [exampleWith(), exampleWith((doc) => {
      doc.webTier.domain = "app2.example.com";
      doc.cloudflareTunnel.ingress[0].hostname = "ssh2.example.com";
      doc.access.sessionManager.preferences = "unmanaged";
    }, "second")];
    const stateBackend = loadStateBackendConfig(path.join(ROOT, "terraform-state-backend", "backend.yaml"));
    withoutCreationStacks(keepCreationStacks, () => buildApp(environments, outdir, { offline: false, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "../../.." }, stateBackend).app.synth());
    return tree(outdir);
  } finally {
    StandaloneStack.prepareAsCdktfDoes = false;
  }
}

describe("synth shortcuts change nothing in the output", () => {
  it("skipping cdktf's preparing pass and its token creation stacks gives byte-identical output for every stack", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pa-speed-"));
    try {
      const asCdktf = synthInto(path.join(scratch, "cdktf"), true, true);
      const fast = synthInto(path.join(scratch, "fast"), false, false);
      expect(Object.keys(asCdktf).filter((file) => file.endsWith("cdk.tf.json")).sort()).toEqual([
        "stacks/example-aws/cdk.tf.json",
        "stacks/example-cloudflare/cdk.tf.json",
        "stacks/second-aws/cdk.tf.json",
        "stacks/second-cloudflare/cdk.tf.json",
        "stacks/state-backend/cdk.tf.json",
      ]);
      expect(fast).toEqual(asCdktf);
      // The stacks share nothing through Terraform: no remote state was needed.
      expect(Object.values(fast).some((text) => text.includes("terraform_remote_state"))).toBe(false);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("restores V8's stack traces after synth (errors elsewhere keep theirs)", () => {
    const before = Error.prepareStackTrace;
    withoutCreationStacks(false, () => expect(new Error("inside").stack).toBe(""));
    expect(Error.prepareStackTrace).toBe(before);
    expect(new Error("after").stack).toContain("after");
  });
});

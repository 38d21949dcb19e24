import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { buildApp } from "../src/stacks/app";
import { StandaloneStack } from "../src/stacks/standalone-stack";
import { hclUsesWriteOnlyArguments, usesWriteOnlyArguments } from "../src/stacks/required-version";
import { exampleWith } from "./helpers/environment";

class Plain extends StandaloneStack {}

/** Write-only arguments (`*_wo`) need Terraform >= 1.11: every stack using one says so, found at synth. */
describe("terraform.required_version follows write-only arguments", () => {
  it("is declared by exactly the example's stacks that synthesize a write-only argument (the Cloudflare stack's token parameter)", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-required-version-"));
    try {
      buildApp([exampleWith()], outdir, { offline: false, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "../../.." }).app.synth();
      const stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
      const seen = stacks.map((stack) => {
        const text = fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
        const tf = JSON.parse(text);
        return { stack, writeOnly: /"\w+_wo":/.test(text), requiredVersion: tf.terraform.required_version };
      });
      expect(seen).toEqual([
        { stack: "example-aws", writeOnly: false, requiredVersion: undefined },
        { stack: "example-cloudflare", writeOnly: true, requiredVersion: ">= 1.11" },
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("comes from the stack's own configuration, for any resource, and keeps a version a stack already declares", () => {
    const stack = new Plain(Testing.app(), "s");
    new SsmParameter(stack, "plain", { name: "/a", type: "String", value: "public" });
    expect(JSON.parse(Testing.synth(stack)).terraform?.required_version).toBeUndefined();
    new SsmParameter(stack, "secret", { name: "/b", type: "SecureString", valueWo: "${var.x}", valueWoVersion: 1 });
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe(">= 1.11");
    stack.addOverride("terraform.required_version", ">= 1.12");
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe(">= 1.12");
  });

  it("finds write-only arguments in nested blocks too, and not in names that only contain _wo", () => {
    expect(usesWriteOnlyArguments({ resource: { t: { a: { block: [{ password_wo: "x" }] } } } })).toBe(true);
    expect(usesWriteOnlyArguments({ resource: { t: { a: { value_wo_version: 1, two_words: "x" } } } })).toBe(false);
    expect(hclUsesWriteOnlyArguments('resource "x" "y" {\n  value_wo = var.t\n}')).toBe(true);
    expect(hclUsesWriteOnlyArguments('resource "x" "y" {\n  value_wo_version = 1\n}')).toBe(false);
  });

  it("is in the HCL output too (SYNTH_HCL_OUTPUT=true)", () => {
    const stack = new Plain(Testing.app(), "h");
    new SsmParameter(stack, "secret", { name: "/b", type: "SecureString", valueWo: "${var.x}", valueWoVersion: 1 });
    expect(stack.toHclTerraform().hcl).toMatch(/\nterraform \{\n  required_version = ">= 1\.11"\n\}\n$/);
  });
});

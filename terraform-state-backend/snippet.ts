import type { StateBackendConfig } from "./config";

/** What to paste after bootstrapping: the environment-file `backend:` block and the HCL equivalent. */
export function backendSnippet(config: StateBackendConfig, kmsKeyArn = "<kms_key_arn output of the state-backend stack>"): { environmentFile: string; backendYaml: string } {
  // The full key ARN: the bucket policy compares the upload's key id header against it.
  const alias = kmsKeyArn;
  const environmentFile = [
    "backend:",
    "  type: s3",
    `  bucket: ${config.bucketName}`,
    `  region: ${config.region}`,
    `  keyPrefix: ${config.project}`,
    `  locking: ${config.locking}`,
    ...(config.locking === "dynamodb" ? [`  dynamodbTable: ${config.dynamodbTable}`] : []),
    `  kmsKeyId: ${alias}`,
    "",
  ].join("\n");
  // The bootstrap's own backend, committed in backend.yaml (synth writes it; no override file).
  const backendYaml = `ownState: { type: s3, kmsKeyArn: ${alias} }\n`;
  return { environmentFile, backendYaml };
}

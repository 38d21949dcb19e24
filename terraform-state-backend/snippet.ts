import type { StateBackendConfig } from "./config";

/** What to paste after bootstrapping: the environment-file `backend:` block and the HCL equivalent. */
export function backendSnippet(config: StateBackendConfig, kmsKeyArn = "<kms_key_arn output of the state-backend stack>"): { environmentFile: string; hcl: string } {
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
  const hcl = [
    'terraform {',
    '  backend "s3" {',
    `    bucket     = "${config.bucketName}"`,
    `    key        = "${config.project}/state-backend.tfstate"`,
    `    region     = "${config.region}"`,
    "    encrypt    = true",
    `    kms_key_id = "${alias}"`,
    config.locking === "dynamodb" ? `    dynamodb_table = "${config.dynamodbTable}"` : "    use_lockfile = true",
    "  }",
    "}",
    "",
  ].join("\n");
  return { environmentFile, hcl };
}

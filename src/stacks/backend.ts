import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/schema";

export interface BackendContext {
  readonly project: string;
  readonly environment: string;
  readonly stackName: string;
  /** Local state file, relative to the stack's folder in cdktf.out (kept out of cdktf.out itself). */
  readonly localStatePath: string;
}

/** Writes the state backend an environment file asked for into one stack. */
export function applyBackend(stack: TerraformStack, backend: BackendConfig, context: BackendContext): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: context.localStatePath });
      return;
    case "s3": {
      const keyPrefix = backend.keyPrefix ?? context.project;
      new S3Backend(stack, {
        bucket: backend.bucket,
        region: backend.region,
        key: `${keyPrefix}/${context.environment}/${context.stackName}.tfstate`,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
        dynamodbTable: backend.locking === "dynamodb" ? backend.dynamodbTable : undefined,
      });
      if (backend.locking === "lockfile") {
        // cdktf 0.21's S3BackendConfig has no useLockfile; S3-native locking needs Terraform >= 1.10.
        stack.addOverride("terraform.backend.s3.use_lockfile", true);
      }
      return;
    }
    case "terraform-cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix}${context.stackName}`, backend.project),
      });
      return;
  }
}

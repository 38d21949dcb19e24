import { ConfigErrors } from "../config/errors";
import { loadStateBackendConfig } from "../../terraform-state-backend/config";
import { backendSnippet } from "../../terraform-state-backend/snippet";
import { parseArgs } from "./args";

/** `npm run backend-snippet [-- --kms-key-arn ARN]`: what to paste after bootstrapping remote state. */
try {
  const { options } = parseArgs(process.argv.slice(2));
  const snippet = backendSnippet(loadStateBackendConfig("terraform-state-backend/backend.yaml"), options["kms-key-arn"]);
  console.log("# environments/<env>.yaml\n" + snippet.environmentFile);
  console.log("# terraform-state-backend's own state, after `terraform init -migrate-state` (backend.tf in its stack folder)\n" + snippet.hcl);
} catch (error) {
  console.error(error instanceof ConfigErrors ? error.message : `backend-snippet: ${(error as Error).message}`);
  process.exitCode = 1;
}

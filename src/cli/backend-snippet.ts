import { ConfigErrors } from "../config/errors";
import { loadStateBackendConfig } from "../../terraform-state-backend/config";
import { backendSnippet } from "../../terraform-state-backend/snippet";
import { CommandSpec, runCommand, stringOption } from "./command";

export const BACKEND_SNIPPET_COMMAND: CommandSpec = {
  name: "backend-snippet",
  summary: "Print what to paste after bootstrapping remote state: the environment file's backend block and the bootstrap's own backend.",
  options: [{ name: "kms-key-arn", type: "string", description: "the state key's ARN (the state-backend stack's kms_key_arn output)" }],
};

/** `npm run backend-snippet [-- --kms-key-arn ARN]`: what to paste after bootstrapping remote state. */
runCommand(BACKEND_SNIPPET_COMMAND, process.argv.slice(2), (args) => {
  try {
    const snippet = backendSnippet(loadStateBackendConfig("terraform-state-backend/backend.yaml"), stringOption(args, "kms-key-arn"));
    console.log("# environments/<env>.yaml\n" + snippet.environmentFile);
    console.log("# terraform-state-backend/backend.yaml: the bootstrap's own state in its bucket (then npm run synth and terraform init -migrate-state in its folder)\n" + snippet.backendYaml);
    return 0;
  } catch (error) {
    console.error(error instanceof ConfigErrors ? error.message : `backend-snippet: ${(error as Error).message}`);
    return 1;
  }
}).then((code) => (process.exitCode = code));

import { CONNECT_TARGETS } from "../connect/plan";
import { commandBundle, loadBundled } from "./bundle-load";
import { CommandSpec, runCommand } from "./command";

/**
 * `npm run connect -- <env> <target>`: this file reads the arguments; the rest (./connect-run) loads
 * only then, from dist/bundle/connect.cjs when it is fresh (PRIVATE_ACCESS_BUNDLE=0: the plain
 * build; see ./bundle-load).
 */
export const CONNECT_COMMAND: CommandSpec = {
  name: "connect",
  summary: "Open a declared access path of an applied environment: ids come from the stack's Terraform outputs, every command passes --region, and the exact command is printed before it runs.",
  words: [
    { name: "<env>", description: "the environment (environments/<env>.yaml, applied)" },
    { name: "<target>", description: `${CONNECT_TARGETS.join(" | ")}` },
  ],
  options: [
    { name: "via", type: { oneOf: ["ssm", "eic"] }, description: "Session Manager or the EC2 Instance Connect Endpoint", defaultText: "ssm" },
    { name: "instance", type: { oneOf: ["app", "bastion"] }, description: "shell: which instance", defaultText: "app" },
    { name: "index", type: "integer", min: 0, description: "shell/db/cache: which in-service app server (0 = first)", defaultText: "0" },
    { name: "local-port", type: "integer", min: 1, max: 65535, description: "db/cache: the local port", defaultText: "the service's port" },
    { name: "user", type: "string", description: "vpn: whose profile to write" },
    { name: "outputs", type: "string", description: "read the stack's outputs from this file (terraform output -json; - for standard input) instead of running terraform" },
    { name: "out", type: "string", description: "the synthesized output folder", defaultText: "cdktf.out" },
    { name: "print", type: "boolean", description: "only print the commands; run nothing" },
  ],
  examples: [
    "npm run connect -- example shell",
    "npm run connect -- example shell --via eic",
    "npm run connect -- example shell --instance bastion",
    "npm run connect -- example db --local-port 15432",
    "npm run connect -- example db-token",
    "npm run connect -- example cache",
    "npm run connect -- example vpn --user alice",
  ],
};

/** Reads the arguments (help and usage mistakes need nothing else), then runs the heavy half, bundled when it is fresh. */
async function main(argv: readonly string[]): Promise<number> {
  return runCommand(CONNECT_COMMAND, argv, (args) => loadBundled<typeof import("./connect-run")>(commandBundle("connect")).runConnect(args));
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

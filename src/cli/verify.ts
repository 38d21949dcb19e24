import { commandBundle, loadBundled } from "./bundle-load";
import { CommandSpec, booleanOption, runCommand, stringOption } from "./command";

/**
 * `npm run verify [-- --env NAME] [-- --out DIR] [-- --json FILE] [-- --details true]`: proves every
 * declared access path of each environment from a synthesized output (default cdktf.out), and that
 * nothing undeclared is open. Exit 0 when everything holds, 1 when a path is broken or unproven,
 * 2 on bad input. PRIVATE_ACCESS_BUNDLE=0 runs the plain build (see ./bundle-load).
 */
export const VERIFY_COMMAND: CommandSpec = {
  name: "verify",
  summary: "Prove every declared access path of each environment from a synthesized output, and that nothing undeclared is open. Exit 0: all hold; 1: a path is broken or unproven; 2: bad input.",
  options: [
    { name: "env", type: "string", description: "environment(s) to verify, comma-separated", defaultText: "every environment in the output" },
    { name: "out", type: "string", description: "the synthesized output folder", defaultText: "cdktf.out" },
    { name: "json", type: "string", description: "also write the proofs as JSON to this file (- for standard output; the table then goes to standard error)" },
    { name: "details", type: "boolean", description: "print every hop of every path" },
  ],
  examples: ["npm run synth && npm run verify", "npm run verify -- --env example --details", "npm run verify -- --out review/cdktf.out --json proof.json"],
};

/** Reads the arguments (help and usage mistakes need nothing else), then runs the heavy half, bundled when it is fresh. */
async function main(argv: readonly string[]): Promise<number> {
  return runCommand(VERIFY_COMMAND, argv, async (args) => loadBundled<typeof import("./verify-run")>(commandBundle("verify", [0, 1])).verify(stringOption(args, "out") ?? "cdktf.out", stringOption(args, "env"), stringOption(args, "json"), booleanOption(args, "details")));
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

import { exitCodeOf, EnvironmentProof } from "../verify/proof";
import { proofJson, proofTable } from "../verify/report";
import { VerifyInputError, environmentsIn, verifyEnvironment } from "../verify/verify";
import { CommandSpec, STDIO, booleanOption, runCommand, stringOption, writeOutput } from "./command";

/**
 * `npm run verify [-- --env NAME] [-- --out DIR] [-- --json FILE] [-- --details true]`: proves every
 * declared access path of each environment from a synthesized output (default cdktf.out), and that
 * nothing undeclared is open. Exit 0 when everything holds, 1 when a path is broken or unproven,
 * 2 on bad input.
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

async function main(argv: readonly string[]): Promise<number> {
  return runCommand(VERIFY_COMMAND, argv, async (args) => verify(stringOption(args, "out") ?? "cdktf.out", stringOption(args, "env"), stringOption(args, "json"), booleanOption(args, "details")));
}

async function verify(outdir: string, env: string | undefined, json: string | undefined, details: boolean): Promise<number> {
  const options = { json };
  // With the JSON on standard output, the table goes to standard error so the JSON stays parseable.
  const say = json === STDIO ? (line: string) => console.error(line) : (line: string) => console.log(line);
  try {
    const known = environmentsIn(outdir);
    const names = env ? env.split(",").map((n) => n.trim()).filter(Boolean) : known;
    for (const name of names) if (!known.includes(name)) throw new VerifyInputError(`${outdir}: no environment named "${name}" (known: ${known.join(", ") || "none"})`);
    const proofs: EnvironmentProof[] = [];
    for (const name of names) {
      const started = Date.now();
      const proof = await verifyEnvironment(outdir, name);
      proofs.push(proof);
      for (const line of proofTable(proof, details)) say(line);
      say(`  (${Date.now() - started} ms)`);
    }
    if (options.json) writeOutput(options.json, proofJson(proofs));
    const code = exitCodeOf(proofs);
    const all = proofs.flatMap((p) => p.paths);
    say(`verified ${proofs.length} environment(s): ${all.filter((p) => p.verdict === "holds").length} of ${all.length} paths hold${options.json && options.json !== STDIO ? `; JSON in ${options.json}` : ""}`);
    return code;
  } catch (error) {
    if (error instanceof VerifyInputError) {
      console.error(`verify: ${error.message}`);
      return 2;
    }
    console.error(`verify: ${(error as Error).message}`);
    if (process.env.PRIVATE_ACCESS_DEBUG === "1") console.error(error);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

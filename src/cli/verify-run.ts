import { exitCodeOf, EnvironmentProof } from "../verify/proof";
import { proofJson, proofTable } from "../verify/report";
import { VerifyInputError, environmentsIn, verifyEnvironment } from "../verify/verify";
import { STDIO, writeOutput } from "./command";

/**
 * The heavy half of `npm run verify` (./verify.ts reads the arguments, then loads this through
 * ./bundle-load: from dist/bundle/verify.cjs when it is fresh, else this file's plain build).
 */
export async function verify(outdir: string, env: string | undefined, json: string | undefined, details: boolean): Promise<number> {
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

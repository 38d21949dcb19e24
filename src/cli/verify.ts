import * as fs from "node:fs";
import { exitCodeOf, EnvironmentProof } from "../verify/proof";
import { proofJson, proofTable } from "../verify/report";
import { VerifyInputError, environmentsIn, verifyEnvironment } from "../verify/verify";
import { parseArgs } from "./args";

/**
 * `npm run verify [-- --env NAME] [-- --out DIR] [-- --json FILE] [-- --details true]`: proves every
 * declared access path of each environment from a synthesized output (default cdktf.out), and that
 * nothing undeclared is open. Exit 0 when everything holds, 1 when a path is broken or unproven,
 * 2 on bad input.
 */
async function main(): Promise<number> {
  let options: Record<string, string>;
  try {
    options = parseArgs(process.argv.slice(2)).options;
  } catch (error) {
    console.error(`verify: ${(error as Error).message}`);
    return 2;
  }
  const outdir = options.out ?? "cdktf.out";
  try {
    const known = environmentsIn(outdir);
    const names = options.env ? options.env.split(",").map((n) => n.trim()).filter(Boolean) : known;
    for (const name of names) if (!known.includes(name)) throw new VerifyInputError(`${outdir}: no environment named "${name}" (known: ${known.join(", ") || "none"})`);
    const proofs: EnvironmentProof[] = [];
    for (const name of names) {
      const started = Date.now();
      const proof = await verifyEnvironment(outdir, name);
      proofs.push(proof);
      for (const line of proofTable(proof, options.details === "true")) console.log(line);
      console.log(`  (${Date.now() - started} ms)`);
    }
    if (options.json) fs.writeFileSync(options.json, proofJson(proofs));
    const code = exitCodeOf(proofs);
    const all = proofs.flatMap((p) => p.paths);
    console.log(`verified ${proofs.length} environment(s): ${all.filter((p) => p.verdict === "holds").length} of ${all.length} paths hold${options.json ? `; JSON in ${options.json}` : ""}`);
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

main().then((code) => (process.exitCode = code));

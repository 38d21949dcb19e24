import type { EnvironmentProof, PathProof } from "./proof";

const MARK = { holds: "holds", broken: "BROKEN", unproven: "UNPROVEN" } as const;

/** One line per path: verdict, title, hop count, and the first hop that does not hold with its reason. */
export function proofTable(proof: EnvironmentProof, details = false): string[] {
  const lines = [`${proof.environment} (${proof.stacks.join(", ")})`];
  const width = Math.max(...proof.paths.map((p) => p.title.length), 10);
  for (const p of proof.paths) {
    const kind = p.kind === "must-not" ? "must not" : "path    ";
    lines.push(`  ${MARK[p.verdict].padEnd(8)} ${kind} ${p.title.padEnd(width)} ${String(p.hops.length).padStart(2)} hops`);
    if (p.brokenHop) lines.push(`           ↳ ${p.brokenHop.name}: ${p.brokenHop.detail}`);
    if (details) for (const h of p.hops) lines.push(`           ${h.verdict === "holds" ? "✓" : "✗"} ${h.name}: ${h.detail}`);
  }
  const count = (v: PathProof["verdict"]) => proof.paths.filter((p) => p.verdict === v).length;
  lines.push(`  ${proof.paths.length} paths: ${count("holds")} hold, ${count("broken")} broken, ${count("unproven")} unproven`);
  return lines;
}

export function proofJson(proofs: readonly EnvironmentProof[]): string {
  return `${JSON.stringify({ environments: proofs }, null, 2)}\n`;
}

import type { EnvironmentProof, Hop, PathProof } from "./proof";

const MARK = { holds: "holds", broken: "BROKEN", unproven: "UNPROVEN" } as const;

/** The table's width: lines wrap here, except a word (an ARN) longer than the room left. */
export const TABLE_WIDTH = 120;

/** Words of `text` in lines of at most `width` characters, each after `indent` (the first after `first`). */
export function wrap(text: string, width: number, first: string, indent: string = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A detail's parts, one a line: what was asked, then the decision (`→ Allowed: ...`), then each
 * `;`-separated reason (outside parentheses and quotes).
 */
export function detailParts(detail: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < detail.length; i++) {
    const c = detail[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ";" && detail[i + 1] === " ") {
      parts.push(detail.slice(start, i + 1));
      start = i + 2;
      // The arrow escaped in the regular expression: the bundles are ASCII (scripts/bundle.js).
    } else if (!quoted && depth === 0 && detail.startsWith(" → ", i) && /^ \u2192 (Allowed|ImplicitlyDenied|ExplicitlyDenied)\b/.test(detail.slice(i))) {
      parts.push(detail.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(detail.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** Parts on lines under `indent`: short neighbours share a line; the decision starts its own; a long part wraps. */
function packParts(parts: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (line && !part.startsWith("→ ") && indent.length + line.length + 1 + part.length <= TABLE_WIDTH) {
      line += ` ${part}`;
      continue;
    }
    if (line) lines.push(...wrap(line, TABLE_WIDTH, indent, `${indent}  `));
    line = part;
  }
  if (line) lines.push(...wrap(line, TABLE_WIDTH, indent, `${indent}  `));
  return lines;
}

/**
 * A hop as `✓ name: detail` when that fits the width; else the name, and under it the detail,
 * indented, one part a line, each wrapped.
 */
function hopLines(mark: string, h: Hop): string[] {
  const head = `           ${mark} `;
  const one = `${head}${h.name}: ${h.detail}`;
  if (one.length <= TABLE_WIDTH) return [one];
  const under = " ".repeat(head.length + 2);
  return [
    ...wrap(h.name, TABLE_WIDTH, head, " ".repeat(head.length)),
    ...packParts(detailParts(h.detail), under),
  ];
}

/** One line per path: verdict, title, hop count, and the first hop that does not hold with its reason. */
export function proofTable(proof: EnvironmentProof, details = false): string[] {
  const lines = [`${proof.environment} (${proof.stacks.join(", ")})`];
  const width = Math.max(...proof.paths.map((p) => p.title.length), 10);
  for (const p of proof.paths) {
    const kind = p.kind === "must-not" ? "must not" : "path    ";
    const hops = `${String(p.hops.length).padStart(2)} ${p.hops.length === 1 ? "hop " : "hops"}`;
    const row = `  ${MARK[p.verdict].padEnd(8)} ${kind} ${p.title.padEnd(width)} ${hops}`;
    lines.push(row.length <= TABLE_WIDTH ? row : `  ${MARK[p.verdict].padEnd(8)} ${kind} ${p.title} ${hops.trim()}`);
    if (p.brokenHop) lines.push(...hopLines("↳", p.brokenHop));
    if (details) for (const h of p.hops) lines.push(...hopLines(h.verdict === "holds" ? "✓" : "✗", h));
  }
  const count = (v: PathProof["verdict"]) => proof.paths.filter((p) => p.verdict === v).length;
  lines.push(`  ${proof.paths.length} paths: ${count("holds")} hold, ${count("broken")} broken, ${count("unproven")} unproven`);
  return lines;
}

export function proofJson(proofs: readonly EnvironmentProof[]): string {
  return `${JSON.stringify({ environments: proofs }, null, 2)}\n`;
}

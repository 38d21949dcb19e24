/**
 * What the verifier reports: per declared path, its hops in order with a verdict each. A path
 * holds when every hop holds; the first hop that does not names what breaks it.
 */
export type Verdict = "holds" | "broken" | "unproven";

export interface Hop {
  readonly name: string;
  readonly verdict: Verdict;
  /** The rule, statement or resource that makes the hop hold, or what breaks it. */
  readonly detail: string;
}

export interface PathProof {
  /** Stable id, e.g. `ssm-shell:app`, `must-not:internet`. */
  readonly id: string;
  /** "path": must work; "must-not": must not work (negative proof). */
  readonly kind: "path" | "must-not";
  readonly title: string;
  readonly hops: readonly Hop[];
  readonly verdict: Verdict;
  /** The first hop that is not "holds". */
  readonly brokenHop?: Hop;
}

export interface EnvironmentProof {
  readonly environment: string;
  readonly stacks: readonly string[];
  readonly paths: readonly PathProof[];
}

export function hop(name: string, ok: boolean, detail: string): Hop {
  return { name, verdict: ok ? "holds" : "broken", detail };
}

export function unproven(name: string, detail: string): Hop {
  return { name, verdict: "unproven", detail };
}

export function path(id: string, title: string, hops: readonly Hop[], kind: "path" | "must-not" = "path"): PathProof {
  const first = hops.find((h) => h.verdict !== "holds");
  const verdict: Verdict = hops.some((h) => h.verdict === "broken") ? "broken" : first ? "unproven" : "holds";
  return { id, kind, title, hops, verdict, brokenHop: first };
}

/** Exit code: 0 when every path holds, 1 when any is broken or unproven. */
export function exitCodeOf(proofs: readonly EnvironmentProof[]): number {
  return proofs.every((env) => env.paths.every((p) => p.verdict === "holds")) ? 0 : 1;
}

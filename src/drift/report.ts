export type DriftStatus = "clean" | "drift" | "error" | "skipped";

export interface StackDrift {
  readonly stack: string;
  readonly status: DriftStatus;
  /** Resource addresses that would change (or drifted, in refresh-only mode). */
  readonly changed: string[];
  readonly seconds: number;
  readonly detail?: string;
}

/** 0 when everything is clean (or skipped), 2 when anything drifted, 1 when anything failed. */
export function driftExitCode(results: readonly StackDrift[]): 0 | 1 | 2 {
  if (results.some((r) => r.status === "error")) return 1;
  if (results.some((r) => r.status === "drift")) return 2;
  return 0;
}

export function driftTable(results: readonly StackDrift[]): string {
  const rows = results.map((r) => [r.stack, r.status, String(r.changed.length), `${r.seconds.toFixed(1)} s`, r.status === "error" ? (r.detail ?? "").split("\n")[0] : r.changed.join(", ")]);
  const header = ["stack", "status", "changed", "time", "addresses / error"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[] } }[];
  resource_drift?: { address: string }[];
}

/** Addresses a saved plan would change; in refresh-only mode, the addresses that drifted. */
export function changedAddresses(plan: PlanJson, refreshOnly: boolean): string[] {
  if (refreshOnly) return (plan.resource_drift ?? []).map((d) => d.address);
  return (plan.resource_changes ?? [])
    .filter((c) => !c.change.actions.every((action) => action === "no-op" || action === "read"))
    .map((c) => c.address);
}

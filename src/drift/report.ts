/**
 * What a drift run found, per stack, and how to show it: a compact table for the terminal, an
 * optional per-address section, a JSON report with every address and its actions, and the exit code.
 */
export type DriftStatus = "clean" | "drift" | "no-state" | "error" | "skipped";

/** One planned change, reduced to the kind the table counts. */
export type ChangeKind = "create" | "update" | "delete" | "replace" | "forget" | "other";

export interface AddressChange {
  readonly address: string;
  /** Terraform's own actions, e.g. `["update"]` or `["delete", "create"]`. */
  readonly actions: readonly string[];
  readonly kind: ChangeKind;
}

export type ChangeCounts = Record<ChangeKind, number>;

export interface StackDrift {
  readonly stack: string;
  readonly status: DriftStatus;
  /** Every address that would change (or drifted, in refresh-only mode), with its actions. */
  readonly changes: readonly AddressChange[];
  readonly counts: ChangeCounts;
  readonly seconds: number;
  /** One line: the first line of terraform's `Error:` block (error), or why the stack was skipped. */
  readonly error?: string;
  /** Terraform's error block(s), box drawing removed, at most {@link DETAIL_LINES} lines (errors only). */
  readonly detail?: string;
}

export const DETAIL_LINES = 40;

// ---------------------------------------------------------------------------------------------
// Exit codes. Decision (issue "operator-cli"): a stack without state is not drift, but it is not
// "clean" either — nothing has been applied there — so it gets its own exit code, 3, which a
// scheduled job can tell apart from drift (2) without reading the output. Precedence when stacks
// disagree: error (1) > drift (2) > no-state (3) > clean/skipped (0). Usage mistakes on the command
// line also exit 2 (the shared command framework), but print one line on stderr and no table.
// ---------------------------------------------------------------------------------------------
export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;
export const EXIT_NO_STATE = 3;

/** 1 if any stack failed, else 2 if any drifted, else 3 if any has no state yet, else 0. */
export function driftExitCode(results: readonly StackDrift[]): 0 | 1 | 2 | 3 {
  if (results.some((r) => r.status === "error")) return EXIT_ERROR;
  if (results.some((r) => r.status === "drift")) return EXIT_DRIFT;
  if (results.some((r) => r.status === "no-state")) return EXIT_NO_STATE;
  return EXIT_CLEAN;
}

// ---------------------------------------------------------------------------------------------
// Reading the plan (`terraform show -json <planfile>`).
// ---------------------------------------------------------------------------------------------

interface JsonModule {
  readonly resources?: readonly { readonly mode?: string }[];
  readonly child_modules?: readonly JsonModule[];
}

export interface DriftPlanJson {
  readonly resource_changes?: readonly { readonly address: string; readonly mode?: string; readonly change: { readonly actions: readonly string[] } }[];
  readonly resource_drift?: readonly { readonly address: string; readonly change?: { readonly actions: readonly string[] } }[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
  /** Absent when the stack has no state at all. */
  readonly prior_state?: { readonly values?: { readonly root_module?: JsonModule } };
}

export function changeKind(actions: readonly string[]): ChangeKind | undefined {
  const set = [...actions].sort().join(",");
  switch (set) {
    case "":
    case "no-op":
    case "read":
      return undefined;
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "create,delete":
      return "replace";
    case "forget":
      return "forget";
    default:
      return "other";
  }
}

export function countChanges(changes: readonly AddressChange[]): ChangeCounts {
  const counts: ChangeCounts = { create: 0, update: 0, delete: 0, replace: 0, forget: 0, other: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}

function managedResourceCount(module: JsonModule | undefined): number {
  if (!module) return 0;
  const own = (module.resources ?? []).filter((r) => r.mode !== "data").length;
  return own + (module.child_modules ?? []).reduce((sum, child) => sum + managedResourceCount(child), 0);
}

/** True when the plan starts from nothing: no prior state, or one without managed resources. */
export function priorStateIsEmpty(plan: DriftPlanJson): boolean {
  return managedResourceCount(plan.prior_state?.values?.root_module) === 0;
}

/** Addresses a saved plan would change; in refresh-only mode, the addresses that drifted. */
export function planChanges(plan: DriftPlanJson, refreshOnly: boolean): AddressChange[] {
  const entries = refreshOnly
    ? (plan.resource_drift ?? []).map((d) => ({ address: d.address, actions: d.change?.actions ?? ["update"] }))
    : (plan.resource_changes ?? []).map((c) => ({ address: c.address, actions: c.change.actions }));
  const changes: AddressChange[] = [];
  for (const entry of entries) {
    const kind = changeKind(entry.actions);
    if (kind) changes.push({ address: entry.address, actions: [...entry.actions], kind });
  }
  if (!refreshOnly && changes.length === 0) {
    // A plan that only changes outputs still exits 2; name the outputs so the row is not empty.
    for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
      const kind = changeKind(change.actions);
      if (kind) changes.push({ address: `output.${name}`, actions: [...change.actions], kind });
    }
  }
  return changes;
}

/**
 * clean: nothing would change. no-state: the stack was never applied — the prior state is empty
 * and every change is a create. drift: anything else that would change.
 */
export function classifyPlan(plan: DriftPlanJson, refreshOnly: boolean): { status: "clean" | "drift" | "no-state"; changes: AddressChange[] } {
  const changes = planChanges(plan, refreshOnly);
  if (changes.length === 0) return { status: "clean", changes };
  if (!refreshOnly && priorStateIsEmpty(plan) && changes.every((c) => c.kind === "create")) return { status: "no-state", changes };
  return { status: "drift", changes };
}

// ---------------------------------------------------------------------------------------------
// Terraform's error text.
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
/** Terraform frames each diagnostic with ╷ │ ╵ when colour is on. */
// Escaped, as every non-ASCII character in a regular expression: the bundles are ASCII (scripts/bundle.js).
const BOX = /^[\u2502\u2577\u2575] ?/;

function plainLines(text: string): string[] {
  return text.replace(ANSI, "").split(/\r?\n/).map((line) => line.replace(BOX, "").trimEnd());
}

/**
 * The first line of terraform's first `Error: ...` diagnostic (without the `Error:` prefix), with
 * or without box drawing and colour codes; warnings before it are passed over. Looks through each
 * output in turn (stderr, then stdout); without any `Error:`, the first non-blank line.
 */
export function terraformErrorLine(...outputs: readonly string[]): string | undefined {
  for (const output of outputs) {
    for (const line of plainLines(output)) {
      const match = /^Error:\s*(\S.*)$/.exec(line.trim());
      if (match) return match[1].trim();
    }
  }
  for (const output of outputs) {
    const first = plainLines(output).find((l) => l.trim());
    if (first) return first.trim();
  }
  return undefined;
}

/** Terraform's error diagnostics (from the first `Error:` on), plain text, at most `maxLines` lines. */
export function terraformErrorDetail(output: string, maxLines = DETAIL_LINES): string {
  const lines = plainLines(output);
  const start = lines.findIndex((l) => /^Error:/.test(l.trim()));
  const kept = (start >= 0 ? lines.slice(start) : lines).map((l) => (l.length > 200 ? `${l.slice(0, 197)}...` : l));
  const text = kept.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  const all = text.split("\n");
  return all.length > maxLines ? [...all.slice(0, maxLines), `... (${all.length - maxLines} more lines)`].join("\n") : text;
}

// ---------------------------------------------------------------------------------------------
// Terminal output.
// ---------------------------------------------------------------------------------------------

export const TABLE_WIDTH = 100;
export const ERROR_WIDTH = 60;
const STACK_WIDTH = 28;

const SYMBOLS: readonly [ChangeKind, string][] = [
  ["create", "+"],
  ["update", "~"],
  ["delete", "-"],
  ["replace", "±"],
  ["forget", "!"],
  ["other", "?"],
];

const SYMBOL_OF = new Map(SYMBOLS);

/** `+12 ~3 -1 ±2` (create, update, delete, replace; `!` forget, `?` anything else); empty when none. */
export function countsText(counts: ChangeCounts): string {
  return SYMBOLS.filter(([kind]) => counts[kind] > 0)
    .map(([kind, symbol]) => `${symbol}${counts[kind]}`)
    .join(" ");
}

/** Cuts to `width` characters on one line, ending in "…" when cut. */
export function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

function noteOf(result: StackDrift): string {
  if (result.status === "error" || result.status === "skipped") return result.error ?? "";
  if (result.status === "no-state") return "not applied yet";
  return "";
}

/**
 * One row per stack: stack, status, counts by action, seconds, and a short note or error (at most
 * 60 characters, one line). Never wider than {@link TABLE_WIDTH} columns, whatever the number of
 * addresses: those are in the JSON report and in {@link driftDetails}.
 */
export function driftTable(results: readonly StackDrift[]): string {
  const header = ["stack", "status", "changes", "time", "note / error"];
  const rows = results.map((r) => [clip(r.stack, STACK_WIDTH), r.status, countsText(r.counts), `${r.seconds.toFixed(1)}s`, noteOf(r)]);
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const used = widths.reduce((sum, w) => sum + w + 2, 0);
  const noteWidth = Math.max(header[4].length, Math.min(ERROR_WIDTH, TABLE_WIDTH - used));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : clip(cell, noteWidth)))
      .join("  ")
      .trimEnd();
  return [line(header), line([...widths, noteWidth].map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** After the table with `--details`: every changed address per stack, one a line, with its action. */
export function driftDetails(results: readonly StackDrift[]): string {
  const sections: string[] = [];
  for (const result of results) {
    if (result.changes.length > 0) {
      sections.push(`${result.stack} (${result.status}, ${result.changes.length} address${result.changes.length === 1 ? "" : "es"}):`);
      for (const change of result.changes) sections.push(`  ${SYMBOL_OF.get(change.kind)} ${change.address}  (${change.actions.join(", ")})`);
    } else if (result.status === "error" && result.detail) {
      sections.push(`${result.stack} (error):`, ...result.detail.split("\n").map((l) => `  ${l}`.trimEnd()));
    }
  }
  return sections.length ? sections.join("\n") : "no changed addresses";
}

/** One line: how many stacks ended in each status, and what no-state means. */
export function driftSummary(results: readonly StackDrift[]): string {
  const order: DriftStatus[] = ["clean", "drift", "no-state", "error", "skipped"];
  const parts = order.map((s) => [s, results.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  const text = parts.map(([s, n]) => `${n} ${s}`).join(", ") || "no stacks";
  const noState = results.filter((r) => r.status === "no-state").length;
  return noState ? `${text} (no-state: not applied yet — every change is a create and there is no prior state)` : text;
}

/** The JSON report: every stack with every address and its actions. */
export function driftReportJson(results: readonly StackDrift[], meta: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ generatedAt: new Date().toISOString(), ...meta, exitCode: driftExitCode(results), results }, null, 2)}\n`;
}

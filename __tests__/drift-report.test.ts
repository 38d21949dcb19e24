import * as fs from "node:fs";
import * as path from "node:path";
import {
  AddressChange,
  DriftPlanJson,
  DriftStatus,
  StackDrift,
  classifyPlan,
  countChanges,
  countsText,
  driftDetails,
  driftExitCode,
  driftReportJson,
  driftSummary,
  driftTable,
  terraformErrorDetail,
  terraformErrorLine,
} from "../src/drift/report";

const FIXTURES = path.join(__dirname, "fixtures", "drift");
const plan = (name: string): DriftPlanJson => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as DriftPlanJson;
const stderr = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), "utf8");

function result(stack: string, status: DriftStatus, changes: AddressChange[] = [], extra: Partial<StackDrift> = {}): StackDrift {
  return { stack, status, changes, counts: countChanges(changes), seconds: 12.34, ...extra };
}

/** 163 changed addresses with long module paths: 150 updates, 7 creates, 4 replaces, 2 deletes. */
function bigDrift(): AddressChange[] {
  const changes: AddressChange[] = [];
  const add = (n: number, actions: string[], kind: AddressChange["kind"]) => {
    for (let i = 0; i < n; i++) changes.push({ address: `module.web_tier.module.instances["app-${kind}-${i}"].aws_security_group_rule.ingress_from_private_access_cidr_${i}`, actions, kind });
  };
  add(150, ["update"], "update");
  add(7, ["create"], "create");
  add(4, ["delete", "create"], "replace");
  add(2, ["delete"], "delete");
  return changes;
}

describe("status from the plan's JSON (terraform show -json, captured with terraform 1.11)", () => {
  it("no changes is clean", () => {
    expect(classifyPlan(plan("plan-clean.json"), false)).toEqual({ status: "clean", changes: [] });
  });

  it("a change against existing state is drift, with each address's actions", () => {
    expect(classifyPlan(plan("plan-drift.json"), false)).toEqual({ status: "drift", changes: [{ address: "aws_vpc.main", actions: ["update"], kind: "update" }] });
  });

  it("only creates and no prior_state is no-state, not drift", () => {
    const fixture = plan("plan-no-state.json");
    expect(fixture.prior_state).toBeUndefined();
    expect(classifyPlan(fixture, false)).toEqual({ status: "no-state", changes: [{ address: "aws_vpc.main", actions: ["create"], kind: "create" }] });
  });

  it("a prior state without managed resources (an empty remote state) is no-state too; data reads do not count", () => {
    const emptyPrior: DriftPlanJson = {
      prior_state: { values: { root_module: { resources: [{ mode: "data" }], child_modules: [{ resources: [] }] } } },
      resource_changes: [
        { address: "aws_vpc.main", mode: "managed", change: { actions: ["create"] } },
        { address: "data.aws_region.current", mode: "data", change: { actions: ["read"] } },
      ],
    };
    expect(classifyPlan(emptyPrior, false).status).toBe("no-state");
  });

  it("creates on top of existing state are drift (something is missing), and so is any non-create without state", () => {
    const creates: DriftPlanJson = { ...plan("plan-no-state.json"), prior_state: { values: { root_module: { child_modules: [{ resources: [{ mode: "managed" }] }] } } } };
    expect(classifyPlan(creates, false).status).toBe("drift");
    const forget: DriftPlanJson = { resource_changes: [{ address: "aws_vpc.main", change: { actions: ["create"] } }, { address: "aws_vpc.old", change: { actions: ["forget"] } }] };
    expect(classifyPlan(forget, false).status).toBe("drift");
  });

  it("counts create, update, delete and replace separately", () => {
    const { status, changes } = classifyPlan(plan("plan-mixed.json"), false);
    expect(status).toBe("drift");
    expect(changes.map((c) => [c.address, c.kind])).toEqual([
      ["aws_vpc.main", "replace"],
      ["aws_vpc.new", "create"],
      ["aws_vpc.old", "delete"],
      ["aws_vpc.tagged", "update"],
    ]);
    expect(countsText(countChanges(changes))).toBe("+1 ~1 -1 ±1");
  });

  it("refresh-only reads resource_drift, never no-state", () => {
    const refreshed: DriftPlanJson = {
      resource_changes: [],
      resource_drift: [
        { address: "aws_vpc.main", change: { actions: ["update"] } },
        { address: "aws_instance.gone", change: { actions: ["delete"] } },
      ],
    };
    const { status, changes } = classifyPlan(refreshed, true);
    expect(status).toBe("drift");
    expect(countsText(countChanges(changes))).toBe("~1 -1");
    expect(classifyPlan({ resource_drift: [] }, true).status).toBe("clean");
  });

  it("a plan that only changes outputs is drift and names the outputs", () => {
    expect(classifyPlan({ prior_state: plan("plan-drift.json").prior_state, output_changes: { vpc_id: { actions: ["update"] }, same: { actions: ["no-op"] } } }, false)).toEqual({
      status: "drift",
      changes: [{ address: "output.vpc_id", actions: ["update"], kind: "update" }],
    });
  });
});

describe("exit codes: 0 clean, 1 error, 2 drift, 3 no-state alone", () => {
  it.each<[DriftStatus[], number]>([
    [["clean", "skipped"], 0],
    [[], 0],
    [["clean", "no-state"], 3],
    [["no-state", "skipped"], 3],
    [["no-state", "drift"], 2],
    [["clean", "drift"], 2],
    [["drift", "error"], 1],
    [["no-state", "error"], 1],
  ])("%j exits %i", (statuses, code) => {
    expect(driftExitCode(statuses.map((s, i) => result(`s${i}`, s)))).toBe(code);
  });
});

describe("terraform's error line", () => {
  it("skips the warnings before the error (box drawing, as terraform prints with colour on)", () => {
    const sample = stderr("stderr-warning-then-error.txt");
    expect(sample.split("\n").find((l) => l.trim())).toBe("╷");
    expect(sample).toMatch(/│ Warning: Argument is deprecated/);
    expect(terraformErrorLine(sample)).toBe("expected cidr_block to contain a valid Value, got: not-a-cidr with err: invalid CIDR address: not-a-cidr");
  });

  it("reads colour codes and box drawing (terraform init, raw)", () => {
    const sample = stderr("stderr-init-colored.txt");
    expect(sample).toContain("\u001b[31m");
    expect(terraformErrorLine(sample)).toBe("Failed to query available provider packages");
    expect(terraformErrorDetail(sample).split("\n").slice(0, 3)).toEqual(["Error: Failed to query available provider packages", "", "Could not retrieve the list of available versions for provider"]);
  });

  it("reads plain `Error:` (-no-color), starting with a blank line", () => {
    expect(terraformErrorLine(stderr("stderr-plain-error.txt"))).toBe("Extraneous JSON object property");
    expect(terraformErrorDetail(stderr("stderr-plain-error.txt"))).toMatch(/^Error: Extraneous JSON object property\n\n {2}on cdk\.tf\.json line 1/);
  });

  it("looks in stdout when stderr has no error, and falls back to the first non-blank line", () => {
    expect(terraformErrorLine("", "Warning: x\n\nError: Backend initialization required\n")).toBe("Backend initialization required");
    expect(terraformErrorLine("\n  fork/exec terraform: no such file\n")).toBe("fork/exec terraform: no such file");
    expect(terraformErrorLine("", "")).toBeUndefined();
  });

  it("keeps the detail bounded", () => {
    const long = `Error: many\n${Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n")}`;
    const detail = terraformErrorDetail(long, 10).split("\n");
    expect(detail).toHaveLength(11);
    expect(detail[10]).toBe("... (91 more lines)");
  });
});

describe("the table", () => {
  const results = [
    result("network-aws", "clean"),
    result("web-tier-aws", "drift", bigDrift()),
    result("fresh-aws", "no-state", [{ address: "aws_vpc.main", actions: ["create"], kind: "create" }]),
    result("data-tier-aws", "error", [], {
      error: `plan: ${terraformErrorLine(stderr("stderr-warning-then-error.txt"))}`,
      detail: terraformErrorDetail(stderr("stderr-warning-then-error.txt")),
    }),
    result("cloudflare", "skipped", [], { seconds: 0, error: "no offline provider" }),
  ];

  it("fits 100 columns for a 163-address drift, one row per stack, counts by action", () => {
    const table = driftTable(results);
    const lines = table.split("\n");
    expect(lines).toHaveLength(2 + results.length);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^stack\s+status\s+changes\s+time\s+note \/ error$/);
    expect(lines[3]).toMatch(/^web-tier-aws\s+drift\s+\+7 ~150 -2 ±4\s+12\.3s$/);
    expect(lines[4]).toMatch(/^fresh-aws\s+no-state\s+\+1\s+12\.3s\s+not applied yet$/);
    expect(lines[2]).toMatch(/^network-aws\s+clean\s+12\.3s$/);
    expect(lines[6]).toMatch(/^cloudflare\s+skipped\s+0\.0s\s+no offline provider$/);
    expect(table).not.toContain("aws_security_group_rule");
  });

  it("shows the error itself, clipped to one line of at most 60 characters", () => {
    const row = driftTable(results).split("\n")[5];
    const note = row.replace(/^data-tier-aws\s+error\s+12\.3s\s+/, "");
    // As much of the error as fits in 100 columns, never more than 60 characters.
    expect(note).toMatch(/^plan: expected cidr_block to contain a valid Value, .*…$/);
    expect("plan: expected cidr_block to contain a valid Value, got: not-a-cidr with err: invalid CIDR address: not-a-cidr".startsWith(note.slice(0, -1))).toBe(true);
    expect(note.length).toBeLessThanOrEqual(60);
    expect(row.length).toBeLessThanOrEqual(100);
    const alone = driftTable([results[3]]).split("\n")[2];
    expect(alone.replace(/^data-tier-aws\s+error\s+12\.3s\s+/, "")).toHaveLength(60);
    expect(row).not.toContain("Warning");
  });

  it("stays within 100 columns with a long stack name and an error", () => {
    const table = driftTable([result("a-very-long-stack-name-that-goes-on-and-on-aws", "error", [], { error: "x".repeat(500) }), result("b", "drift", bigDrift())]);
    for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    expect(table).toContain("a-very-long-stack-name-that…");
  });

  it("--details lists every address per stack, one a line, with its action", () => {
    const details = driftDetails(results).split("\n");
    expect(details[0]).toBe("web-tier-aws (drift, 163 addresses):");
    expect(details.filter((l) => l.startsWith("  ") && l.includes("aws_security_group_rule"))).toHaveLength(163);
    expect(details).toContain('  ± module.web_tier.module.instances["app-replace-0"].aws_security_group_rule.ingress_from_private_access_cidr_0  (delete, create)');
    expect(details).toContain("fresh-aws (no-state, 1 address):");
    expect(details).toContain("  + aws_vpc.main  (create)");
    expect(details).toContain("data-tier-aws (error):");
    expect(details).toContain("  Error: expected cidr_block to contain a valid Value, got: not-a-cidr with err: invalid CIDR address: not-a-cidr");
  });

  it("summarizes statuses and says what no-state means", () => {
    expect(driftSummary(results)).toBe("1 clean, 1 drift, 1 no-state, 1 error, 1 skipped (no-state: not applied yet — every change is a create and there is no prior state)");
    expect(driftSummary([result("a", "clean")])).toBe("1 clean");
  });

  it("the JSON report keeps every address with its actions, and the exit code", () => {
    const report = JSON.parse(driftReportJson(results, { offline: true })) as { exitCode: number; offline: boolean; results: StackDrift[] };
    expect(report.exitCode).toBe(1);
    expect(report.offline).toBe(true);
    expect(report.results[1].changes).toHaveLength(163);
    expect(report.results[1].counts).toEqual({ create: 7, update: 150, delete: 2, replace: 4, forget: 0, other: 0 });
    expect(report.results[1].changes[160]).toEqual(expect.objectContaining({ actions: ["delete", "create"], kind: "replace" }));
  });
});

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { driftDetails, driftExitCode, driftTable } from "../src/drift/report";
import { detectDrift } from "../src/drift/run";
import { offlineTerraformOrSkip } from "./helpers/terraform";

const FIXTURES = path.join(__dirname, "fixtures", "drift");
const { terraform } = offlineTerraformOrSkip();
const describeDrift = terraform ? describe : describe.skip;

/**
 * Three stacks with the same configuration: one whose state matches it, one whose state says DNS
 * hostnames were turned off outside Terraform, and one never applied (no state file at all).
 */
function fixtureOutdir(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-drift-"));
  const state = fs.readFileSync(path.join(FIXTURES, "vpc-state.json"), "utf8");
  for (const [stack, stackState] of [
    ["clean-aws", state],
    ["drifted-aws", state.replace('"enable_dns_hostnames": true', '"enable_dns_hostnames": false')],
  ]) {
    const dir = path.join(outdir, "stacks", stack);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, "vpc.tf.json"), path.join(dir, "cdk.tf.json"));
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), stackState);
  }
  const fresh = path.join(outdir, "stacks", "fresh-aws");
  fs.mkdirSync(fresh, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, "vpc.tf.json"), path.join(fresh, "cdk.tf.json"));
  return outdir;
}

describeDrift("drift detection with real terraform, offline, against fixture state", () => {
  it("reports one stack clean, one drifted with the changed address and its action, one with no state; exit code 2", async () => {
    const outdir = fixtureOutdir();
    const results = await detectDrift({ outdir, stacks: ["clean-aws", "drifted-aws", "fresh-aws"], env: terraform!.env, noRefresh: true, parallel: 2 });
    expect(results.map((r) => [r.stack, r.status, r.changes, r.error])).toEqual([
      ["clean-aws", "clean", [], undefined],
      ["drifted-aws", "drift", [{ address: "aws_vpc.main", actions: ["update"], kind: "update" }], undefined],
      ["fresh-aws", "no-state", [{ address: "aws_vpc.main", actions: ["create"], kind: "create" }], undefined],
    ]);
    expect(results[1].counts.update).toBe(1);
    expect(driftExitCode(results)).toBe(2);
    const table = driftTable(results);
    expect(table).toMatch(/drifted-aws\s+drift\s+~1\s+\d+\.\ds\s*$/m);
    expect(table).toMatch(/fresh-aws\s+no-state\s+\+1\s+\d+\.\ds\s+not applied yet$/m);
    expect(table).not.toContain("aws_vpc.main");
    expect(driftDetails(results)).toContain("~ aws_vpc.main  (update)");
    // The saved plans are removed afterwards.
    for (const stack of ["drifted-aws", "fresh-aws"]) expect(fs.existsSync(path.join(outdir, "stacks", stack, "drift.tfplan"))).toBe(false);
  });

  it("a stack that was never applied alone exits 3 (no-state), not 2", async () => {
    const results = await detectDrift({ outdir: fixtureOutdir(), stacks: ["fresh-aws", "clean-aws"], env: terraform!.env, noRefresh: true, parallel: 2 });
    expect(results.map((r) => r.status)).toEqual(["no-state", "clean"]);
    expect(driftExitCode(results)).toBe(3);
  });

  it("reports a broken stack as an error with terraform's error line, exit code 1", async () => {
    const outdir = fixtureOutdir();
    fs.writeFileSync(path.join(outdir, "stacks", "clean-aws", "cdk.tf.json"), '{"resource": {"aws_vpc": {"x": {"cidr_block": 42, "bogus": true}}}}');
    const results = await detectDrift({ outdir, stacks: ["clean-aws", "drifted-aws"], env: terraform!.env, noRefresh: true, parallel: 1 });
    expect(results[0].status).toBe("error");
    expect(results[0].error).toMatch(/^(init|plan): (Extraneous JSON object property|Unsupported argument)/);
    expect(results[0].detail).toMatch(/bogus|Unsupported argument/);
    expect(driftTable(results).split("\n").every((line) => line.length <= 100)).toBe(true);
    expect(driftExitCode(results)).toBe(1);
    expect(fs.existsSync(path.join(outdir, "stacks", "drifted-aws", "drift.tfplan"))).toBe(false);
  });

  it("exits 0 when every stack is clean", async () => {
    const results = await detectDrift({ outdir: fixtureOutdir(), stacks: ["clean-aws"], env: terraform!.env, noRefresh: true });
    expect(driftExitCode(results)).toBe(0);
  });
});

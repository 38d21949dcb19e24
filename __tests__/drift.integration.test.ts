import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { driftExitCode, driftTable } from "../src/drift/report";
import { detectDrift } from "../src/drift/run";
import { offlineTerraformOrSkip } from "./helpers/terraform";

const FIXTURES = path.join(__dirname, "fixtures", "drift");
const { terraform } = offlineTerraformOrSkip();
const describeDrift = terraform ? describe : describe.skip;

/** Two stacks with the same configuration: one whose state matches it, one whose state says DNS hostnames were turned off outside Terraform. */
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
  return outdir;
}

describeDrift("drift detection with real terraform, offline, against fixture state", () => {
  it("reports one stack clean and one drifted with the changed address, exit code 2", async () => {
    const results = await detectDrift({ outdir: fixtureOutdir(), stacks: ["clean-aws", "drifted-aws"], env: terraform!.env, noRefresh: true, parallel: 2 });
    expect(results.map((r) => [r.stack, r.status, r.changed, r.detail])).toEqual([
      ["clean-aws", "clean", [], undefined],
      ["drifted-aws", "drift", ["aws_vpc.main"], undefined],
    ]);
    expect(driftExitCode(results)).toBe(2);
    expect(driftTable(results)).toMatch(/drifted-aws\s+drift\s+1 .*aws_vpc\.main/);
  });

  it("reports a broken stack as an error, exit code 1", async () => {
    const outdir = fixtureOutdir();
    fs.writeFileSync(path.join(outdir, "stacks", "clean-aws", "cdk.tf.json"), '{"resource": {"aws_vpc": {"x": {"cidr_block": 42, "bogus": true}}}}');
    const results = await detectDrift({ outdir, stacks: ["clean-aws", "drifted-aws"], env: terraform!.env, noRefresh: true, parallel: 1 });
    expect(results[0].status).toBe("error");
    expect(results[0].detail).toMatch(/bogus|Unsupported argument/);
    expect(driftExitCode(results)).toBe(1);
  });

  it("exits 0 when every stack is clean", async () => {
    const results = await detectDrift({ outdir: fixtureOutdir(), stacks: ["clean-aws"], env: terraform!.env, noRefresh: true });
    expect(driftExitCode(results)).toBe(0);
  });
});

describe("drift exit codes", () => {
  const r = (status: "clean" | "drift" | "error" | "skipped") => ({ stack: status, status, changed: [], seconds: 0 });
  it("maps statuses to 0 clean, 2 drift, 1 error (error wins)", () => {
    expect(driftExitCode([r("clean"), r("skipped")])).toBe(0);
    expect(driftExitCode([r("clean"), r("drift")])).toBe(2);
    expect(driftExitCode([r("drift"), r("error")])).toBe(1);
  });
});

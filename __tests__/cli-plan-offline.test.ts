import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeEnvironment } from "./helpers/cli";

const ROOT = path.join(__dirname, "..");
const CLI = path.join(ROOT, "dist", "src", "cli", "plan-offline.js");

/**
 * A scratch project with the example, a provider mirror folder, and a stand-in terraform on PATH
 * that answers each step at once (the real plans are in plan-example.integration.test.ts): what
 * the command says as it goes is under test here, not terraform.
 */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-plan-offline-"));
  writeEnvironment(dir, "example");
  const mirror = path.join(dir, "mirror");
  fs.mkdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const create = { address: "aws_vpc.main", mode: "managed", type: "aws_vpc", name: "main", change: { actions: ["create"], after: {} } };
  fs.writeFileSync(
    path.join(bin, "terraform"),
    `#!/bin/sh\ncase "$1" in\n  version) echo '{"terraform_version":"1.9.8"}' ;;\n  show) echo '${JSON.stringify({ resource_changes: [create, create] })}' ;;\nesac\nexit 0\n`,
    { mode: 0o755 },
  );
  return { dir, mirror, bin };
}

describe("npm run plan-offline", () => {
  it("shows each stack's steps as they start, says what it skipped and why, and ends with a summary", () => {
    const p = project();
    const run = spawnSync(process.execPath, [CLI], {
      cwd: p.dir,
      encoding: "utf8",
      env: { PATH: `${p.bin}${path.delimiter}${path.dirname(process.execPath)}`, HOME: p.dir, PRIVATE_ACCESS_PROVIDER_MIRROR: p.mirror },
    });
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split("\n")).toEqual([
      "synthesizing offline into cdktf.out.offline/ ...",
      "[1/1] example-aws: terraform init ...",
      "[1/1] example-aws: terraform validate ...",
      "[1/1] example-aws: terraform plan ...",
    ]);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^example-cloudflare: skipped: no offline Cloudflare provider/),
      expect.stringMatching(/^example-aws: plan ok, 2 to create \(init \d+\.\d s, validate \d+\.\d s, plan \d+\.\d s\)$/),
      expect.stringMatching(/^planned 1 stack\(s\) offline in \d+\.\d s: 2 resources to create; skipped 1 \(example-cloudflare\)$/),
    ]);
    expect(fs.existsSync(path.join(p.dir, "cdktf.out"))).toBe(false);
  });
});

import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
const workflow = (name: string) => parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", name), "utf8"));
const runLines = (wf: any) => Object.values(wf.jobs).flatMap((job: any) => job.steps.map((s: any) => s.run).filter(Boolean)) as string[];
const uses = (wf: any, action: string) => Object.values(wf.jobs).flatMap((job: any) => job.steps.filter((s: any) => s.uses?.startsWith(action)));

describe.each(["plan.yml", "drift.yml"])("%s", (name) => {
  const wf = workflow(name);

  it("calls only npm scripts that exist", () => {
    const called = runLines(wf).flatMap((line) => [...line.matchAll(/npm run ([\w-]+)/g)].map((m) => m[1]));
    expect(called.length).toBeGreaterThan(0);
    for (const script of called) expect(Object.keys(scripts)).toContain(script);
  });

  it("assumes an AWS role through OIDC, with no static keys", () => {
    expect(wf.permissions["id-token"]).toBe("write");
    const [aws] = uses(wf, "aws-actions/configure-aws-credentials");
    expect(aws.with["role-to-assume"]).toMatch(/^\$\{\{ vars\./);
    expect(JSON.stringify(wf)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });

  it("installs Terraform without the wrapper that mangles exit codes", () => {
    const [setup] = uses(wf, "hashicorp/setup-terraform");
    expect(setup.with.terraform_wrapper).toBe(false);
  });

  it("runs npm ci first", () => {
    expect(runLines(wf)[0]).not.toContain("npm run");
    expect(runLines(wf)).toContain("npm ci");
  });
});

describe("plan.yml", () => {
  const wf = workflow("plan.yml");
  it("runs on pull requests, tests, synthesizes, plans each stack and posts the summary", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const lines = runLines(wf).join("\n");
    expect(lines).toMatch(/npm test/);
    expect(lines).toMatch(/npm run synth/);
    expect(lines).toMatch(/terraform -chdir="\$dir" plan/);
    expect(lines).toMatch(/gh pr comment/);
  });

  it("builds the provider mirror the plan-integration tests need before npm test (CI=true fails without one)", () => {
    const steps = wf.jobs.plan.steps as any[];
    const mirror = steps.findIndex((s) => /providers mirror/.test(s.run ?? ""));
    const test = steps.findIndex((s) => s.run === "npm test");
    expect(mirror).toBeGreaterThan(-1);
    expect(mirror).toBeLessThan(test);
    expect(steps[mirror].run).toContain('PRIVATE_ACCESS_PROVIDER_MIRROR=$RUNNER_TEMP/provider-mirror" >> "$GITHUB_ENV"');
  });

  it("proves the access paths and uploads the review reports as an artifact linked from the comment", () => {
    const lines = runLines(wf).join("\n");
    expect(lines).toMatch(/npm run verify/);
    expect(lines).toMatch(/npm run report -- --out reports/);
    const [upload] = uses(wf, "actions/upload-artifact");
    expect(upload.with.path).toContain("reports/");
    expect(lines).toMatch(/artifact \*\*review-reports\*\*/);
  });
});

describe("drift.yml", () => {
  const wf = workflow("drift.yml");
  it("runs on a schedule without overlapping runs and keeps the report", () => {
    expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(wf.concurrency).toMatchObject({ group: "drift", "cancel-in-progress": false });
    expect(runLines(wf).join("\n")).toMatch(/npm run drift/);
    const [upload] = uses(wf, "actions/upload-artifact");
    expect(upload.if).toBe("always()");
  });
});

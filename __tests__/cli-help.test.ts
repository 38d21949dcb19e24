import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const COMMANDS = ["bench", "report", "verify", "connect", "drift", "pki", "ovpn", "plan-offline", "backend-snippet", "new-env"];

describe.each(COMMANDS)("npm run %s", (name) => {
  const cli = path.join(ROOT, "dist", "src", "cli", `${name}.js`);
  // A scratch folder: --help must do nothing, so nothing may appear in it.
  const run = (...args: string[]) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-help-"));
    const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    return { ...result, files: fs.readdirSync(cwd) };
  };

  it("answers --help with its usage, exit 0, and does nothing else", () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: npm run ${name} --`, "m"));
    expect(result.files).toEqual([]);
  });

  it("speaks of the product, never of issue numbers (help and everything the command prints)", () => {
    expect(run("--help").stdout).not.toMatch(/\bissues? #?\d+/i);
    const source = fs.readFileSync(path.join(ROOT, "src", "cli", `${name}.ts`), "utf8");
    const literals = source.match(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g) ?? [];
    expect(literals.filter((text) => /\bissues? #?\d+/i.test(text))).toEqual([]);
  });

  it("refuses an unknown option with one line and exit 2, before doing anything", () => {
    const result = run("--no-such-option", "x");
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/unknown (option|command) "?--no-such-option/)]);
    expect(result.files).toEqual([]);
  });
});

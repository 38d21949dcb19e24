import { helpText } from "../src/cli/command";
import { DRIFT_COMMAND, DriftArgs, driftCommand } from "../src/cli/drift";

/** Runs the command with a stand-in for synth + plans, capturing what it prints. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string[]; calls: DriftArgs[] }> {
  const calls: DriftArgs[] = [];
  const stderr: string[] = [];
  let stdout = "";
  const error = jest.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void stderr.push(parts.join(" ")));
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await driftCommand(argv, async (options) => {
      calls.push(options);
      return 0;
    });
    return { code, stdout, stderr, calls };
  } finally {
    error.mockRestore();
    write.mockRestore();
  }
}

describe("npm run drift: options", () => {
  it("defaults: every environment, 2 at a time, plan with refresh, online, no details", async () => {
    const { code, calls } = await run([]);
    expect(code).toBe(0);
    expect(calls).toEqual([{ env: undefined, parallel: 2, refreshOnly: false, offline: false, json: undefined, details: false }]);
  });

  it("reads every option; booleans alone or with true/false", async () => {
    const { calls } = await run(["--", "--env", "prod", "--parallel", "16", "--refresh-only", "--json", "r.json", "--details", "true", "--offline", "false"]);
    expect(calls).toEqual([{ env: "prod", parallel: 16, refreshOnly: true, offline: false, json: "r.json", details: true }]);
  });

  it("--help prints the usage, exit codes included, exits 0 and runs nothing", async () => {
    const { code, stdout, calls } = await run(["--offline", "--help"]);
    expect(code).toBe(0);
    expect(calls).toHaveLength(0);
    expect(stdout).toBe(helpText(DRIFT_COMMAND));
    for (const text of ["--env VALUE", "--parallel N", "--refresh-only", "--offline", "--json VALUE", "--details", "no-state", "3 no-state only (not applied yet)"]) expect(stdout).toContain(text);
  });

  it.each<[string[], string]>([
    [["--refresh-only", "--offline"], "drift: --refresh-only cannot be used with --offline (offline plans run with -refresh=false, so there is nothing to refresh)"],
    [["--offline=true", "--refresh-only", "true"], "drift: --refresh-only cannot be used with --offline (offline plans run with -refresh=false, so there is nothing to refresh)"],
    [["--offline", "yes"], 'drift: unexpected argument "yes"; see --help'],
    [["--offline=yes"], 'drift: --offline takes no value, or true or false; got "yes"'],
    [["--parallel", "0"], 'drift: --parallel must be a whole number from 1 to 16, got "0"'],
    [["--parallel", "17"], 'drift: --parallel must be a whole number from 1 to 16, got "17"'],
    [["--parallel", "two"], 'drift: --parallel must be a whole number from 1 to 16, got "two"'],
    [["--paralel", "4"], "drift: unknown option --paralel (did you mean --parallel?); see --help"],
    [["--detail"], "drift: unknown option --detail (did you mean --details?); see --help"],
    [["--env"], "drift: --env needs a value (VALUE)"],
    [["prod"], 'drift: unexpected argument "prod"; see --help'],
  ])("refuses %j up front with one line, exit 2", async (argv, message) => {
    const { code, stderr, calls } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toEqual([message]);
    expect(calls).toHaveLength(0);
  });

  it("refresh-only or offline alone are fine", async () => {
    expect((await run(["--refresh-only"])).calls[0]).toEqual(expect.objectContaining({ refreshOnly: true, offline: false }));
    expect((await run(["--offline"])).calls[0]).toEqual(expect.objectContaining({ refreshOnly: false, offline: true }));
  });
});

import { parseArgs } from "../src/cli/args";

describe("command-line options", () => {
  it("reads --name value pairs and words, and skips a repeated -- separator", () => {
    expect(parseArgs(["init", "--env", "example", "--", "--out", "dir"])).toEqual({ words: ["init"], options: { env: "example", out: "dir" } });
  });
  it("refuses an option without a value", () => {
    expect(() => parseArgs(["--env"])).toThrow("--env needs a value");
    expect(() => parseArgs(["--env", "--out", "x"])).toThrow("--env needs a value");
  });
});

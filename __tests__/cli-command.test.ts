import { CommandSpec, HelpRequested, UsageError, colourFor, helpText, paint, parseCommand, plainText } from "../src/cli/command";

const spec: CommandSpec = {
  name: "drift",
  summary: "plan every stack and report drift",
  words: [{ name: "<env>", description: "environment", optional: true }],
  options: [
    { name: "parallel", type: "integer", min: 1, max: 16, description: "stacks at a time", defaultText: "2" },
    { name: "offline", type: "boolean", description: "offline mode" },
    { name: "format", type: { oneOf: ["table", "json"] }, description: "output" },
    { name: "json", type: "string", description: "report file" },
  ],
};

describe("command-line options", () => {
  it("reads typed options, bare words, --name=value, and skips a repeated -- separator", () => {
    expect(parseCommand(spec, ["prod", "--parallel", "4", "--", "--offline", "--format=json", "--json", "r.json"])).toEqual({
      words: ["prod"],
      options: { parallel: 4, offline: true, format: "json", json: "r.json" },
    });
  });

  it("takes a boolean alone or with true/false, and refuses anything else", () => {
    expect(parseCommand(spec, ["--offline", "false"]).options.offline).toBe(false);
    expect(parseCommand(spec, ["--offline=true"]).options.offline).toBe(true);
    expect(() => parseCommand(spec, ["--offline=yes"])).toThrow('--offline takes no value, or true or false; got "yes"');
  });

  it.each<[string[], string]>([
    [["--paralel", "4"], "unknown option --paralel (did you mean --parallel?); see --help"],
    [["--parallel"], "--parallel needs a value (N)"],
    [["--parallel", "four"], '--parallel must be a whole number from 1 to 16, got "four"'],
    [["--parallel", "0"], '--parallel must be a whole number from 1 to 16, got "0"'],
    [["--format", "yaml"], '--format must be one of table, json, got "yaml"'],
    [["--json", "a", "--json", "b"], "--json is given twice"],
    [["a", "b"], 'unexpected argument "b"; see --help'],
  ])("refuses %j with one line", (argv, message) => {
    expect(() => parseCommand(spec, argv)).toThrow(new UsageError(message));
  });

  it("answers --help before anything else, and the help lists every option", () => {
    expect(() => parseCommand(spec, ["--paralel", "--help"])).toThrow(UsageError);
    expect(() => parseCommand(spec, ["--help", "--paralel"])).toThrow(HelpRequested);
    const help = helpText(spec);
    for (const name of ["--parallel N", "--offline", "--format table|json", "--json VALUE", "--help"]) expect(help).toContain(name);
  });
});

describe("colour", () => {
  it("only on a terminal, and never with NO_COLOR set (to anything but empty)", () => {
    expect(colourFor({ isTTY: true }, {})).toBe(true);
    expect(colourFor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colourFor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourFor({ isTTY: false }, {})).toBe(false);
    expect(colourFor({}, {})).toBe(false);
    expect(paint({ isTTY: false }, {}).red("x")).toBe("x");
    expect(paint({ isTTY: true }, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(paint({ isTTY: true }, {}).red("x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("plainText removes another program's escape sequences", () => {
    expect(plainText("\u001b[31m│\u001b[0m \u001b[0m\u001b[1m\u001b[31mError: \u001b[0mBackend")).toBe("│ Error: Backend");
  });
});

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * scripts/build-if-stale.js (the first half of `npm run synth`, `npm run verify` and every other
 * command) on a tiny fake project: a fake tsc records that it ran, so the real compiler never runs
 * here. Times are set explicitly (no sleeps).
 */
const SCRIPT = path.join(__dirname, "..", "scripts", "build-if-stale.js");
const OLD = new Date("2024-01-01T00:00:00Z");
const BUILT = new Date("2024-06-01T00:00:00Z");
const NEW = new Date("2024-12-01T00:00:00Z");

/** The fake tsc: writes its arguments to build-ran, rewrites dist/main.js, exits FAKE_TSC_EXIT. */
const FAKE_TSC = `
const fs = require("node:fs");
fs.writeFileSync("build-ran", JSON.stringify(process.argv.slice(2)));
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/main.js", "// built\\n");
process.exit(Number(process.env.FAKE_TSC_EXIT || 0));
`;

const SOURCES = ["main.ts", "src/cli/a.ts", "modules/vpc/b.ts", "terraform-state-backend/stack.ts", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

let root: string;
let fakeTsc: string;

function write(relative: string, text: string, time: Date): void {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, time, time);
}

/** Folders get the old time too: a folder changes when an entry is added or removed. */
function ageFolders(dir = root): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== "dist") ageFolders(path.join(dir, entry.name));
  }
  if (dir !== root) fs.utimesSync(dir, OLD, OLD);
}

function run(env: Record<string, string> = {}, args: string[] = []) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: os.tmpdir(),
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", BUILD_IF_STALE_ROOT: root, BUILD_IF_STALE_TSC: fakeTsc, ...env },
  });
  return { status: result.status, stderr: result.stderr, built: fs.existsSync(path.join(root, "build-ran")) };
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pa-build-if-stale-"));
  fakeTsc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pa-fake-tsc-")), "tsc.js");
  fs.writeFileSync(fakeTsc, FAKE_TSC);
  for (const file of SOURCES) write(file, "export {};\n", OLD);
  write("dist/main.js", "// old build\n", BUILT);
  ageFolders();
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(path.dirname(fakeTsc), { recursive: true, force: true });
});

it("does not build when dist/main.js is newer than every source", () => {
  expect(run()).toMatchObject({ status: 0, built: false });
});

it("builds with -p tsconfig.build.json when a .ts file is newer than dist/main.js", () => {
  write("modules/vpc/b.ts", "export const changed = 1;\n", NEW);
  ageFolders();
  const result = run();
  expect(result).toMatchObject({ status: 0, built: true });
  expect(JSON.parse(fs.readFileSync(path.join(root, "build-ran"), "utf8"))).toEqual(["-p", "tsconfig.build.json"]);
});

it.each(["main.ts", "src/cli/a.ts", "terraform-state-backend/stack.ts", "tsconfig.json", "tsconfig.build.json", "package-lock.json"])("builds when %s is newer", (file) => {
  fs.utimesSync(path.join(root, file), NEW, NEW);
  expect(run()).toMatchObject({ status: 0, built: true });
});

it("builds when dist/main.js is missing", () => {
  fs.rmSync(path.join(root, "dist"), { recursive: true });
  expect(run()).toMatchObject({ status: 0, built: true });
});

it("builds when a source file was deleted (its folder changed)", () => {
  fs.rmSync(path.join(root, "src", "cli", "a.ts"));
  expect(run()).toMatchObject({ status: 0, built: true });
});

it("ignores newer files that are not sources: node_modules, dist, cdktf.out, non-.ts files", () => {
  write("src/node_modules/x.ts", "", NEW);
  write("src/dist/x.ts", "", NEW);
  write("src/cdktf.out.offline/x.ts", "", NEW);
  write("src/notes.md", "", NEW);
  ageFolders();
  expect(run()).toMatchObject({ status: 0, built: false });
});

it("passes on the compiler's exit code and makes the next run build again", () => {
  write("src/cli/a.ts", "export const changed = 1;\n", NEW);
  ageFolders();
  expect(run({ FAKE_TSC_EXIT: "2" })).toMatchObject({ status: 2, built: true });
  // The failed compile still wrote dist/main.js; it is dated 1970 so it is not taken as up to date.
  expect(fs.statSync(path.join(root, "dist", "main.js")).mtimeMs).toBe(0);
  fs.rmSync(path.join(root, "build-ran"));
  expect(run()).toMatchObject({ status: 0, built: true });
  fs.rmSync(path.join(root, "build-ran"));
  expect(run()).toMatchObject({ status: 0, built: false });
});

describe("the synth bundle (scripts/bundle.js, the second half of npm run build)", () => {
  /** A fake bundler: records that it ran after the compile, exits FAKE_BUNDLE_EXIT. */
  const FAKE_BUNDLER = `
const fs = require("node:fs");
fs.writeFileSync("bundle-ran", fs.existsSync("build-ran") ? "after tsc" : "before tsc");
process.exit(Number(process.env.FAKE_BUNDLE_EXIT || 0));
`;
  const bundled = () => (fs.existsSync(path.join(root, "bundle-ran")) ? fs.readFileSync(path.join(root, "bundle-ran"), "utf8") : undefined);

  beforeEach(() => {
    write("scripts/bundle.js", FAKE_BUNDLER, OLD);
    ageFolders();
  });

  it("runs after a compile, not when nothing changed", () => {
    expect(run()).toMatchObject({ status: 0, built: false });
    expect(bundled()).toBeUndefined();
    fs.utimesSync(path.join(root, "main.ts"), NEW, NEW);
    expect(run()).toMatchObject({ status: 0, built: true });
    expect(bundled()).toBe("after tsc");
  });

  it("does not run when the compile failed", () => {
    fs.utimesSync(path.join(root, "main.ts"), NEW, NEW);
    expect(run({ FAKE_TSC_EXIT: "2" })).toMatchObject({ status: 2, built: true });
    expect(bundled()).toBeUndefined();
  });

  it("a failed bundle is a warning: the build succeeded and the command runs (on the plain build)", () => {
    fs.utimesSync(path.join(root, "main.ts"), NEW, NEW);
    const result = run({ FAKE_BUNDLE_EXIT: "1" });
    expect(result).toMatchObject({ status: 0, built: true });
    expect(result.stderr).toContain("build-if-stale: the synth bundle was not made; synth runs the plain build");
    expect(bundled()).toBe("after tsc");
  });
});

describe("a command's own output (node scripts/build-if-stale.js dist/src/cli/verify.js)", () => {
  const VERIFY = "dist/src/cli/verify.js";

  it("does not build when it and dist/main.js are newer than every source", () => {
    write(VERIFY, "// built\n", BUILT);
    expect(run({}, [VERIFY])).toMatchObject({ status: 0, built: false });
  });

  it("builds when it is missing, saying so with BUILD_IF_STALE_VERBOSE=1", () => {
    const result = run({ BUILD_IF_STALE_VERBOSE: "1" }, [VERIFY]);
    expect(result).toMatchObject({ status: 0, built: true });
    expect(result.stderr).toBe(`build-if-stale: ${VERIFY} is missing: building\n`);
  });

  it("builds when it is older than a source, though dist/main.js is newer", () => {
    write(VERIFY, "// built\n", OLD);
    fs.utimesSync(path.join(root, "src", "cli", "a.ts"), BUILT, BUILT);
    expect(run({}, [VERIFY])).toMatchObject({ status: 0, built: true });
  });
});

describe("preloaded in the command's own process (node -r ./scripts/build-if-stale.js dist/src/cli/verify.js)", () => {
  const VERIFY = "dist/src/cli/verify.js";
  /** The fake command: says it ran as the main module, with its arguments. */
  const COMMAND = 'console.log(`ran main=${require.main === module} ${process.argv.slice(2).join(" ")}`);\n';

  function preloaded(env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, ["-r", SCRIPT, path.join(root, VERIFY), "example", "--json", "x.json"], {
      cwd: os.tmpdir(),
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", BUILD_IF_STALE_ROOT: root, BUILD_IF_STALE_TSC: fakeTsc, ...env },
    });
    return { status: result.status, stdout: result.stdout, built: fs.existsSync(path.join(root, "build-ran")) };
  }

  it("runs the command at once, as the main module with its arguments, when nothing changed", () => {
    write(VERIFY, COMMAND, BUILT);
    expect(preloaded()).toEqual({ status: 0, stdout: "ran main=true example --json x.json\n", built: false });
  });

  it("builds first when a source changed, then runs the command", () => {
    write(VERIFY, COMMAND, BUILT);
    fs.utimesSync(path.join(root, "src", "cli", "a.ts"), NEW, NEW);
    expect(preloaded()).toEqual({ status: 0, stdout: "ran main=true example --json x.json\n", built: true });
  });

  it("exits with the compiler's code and does not run the command when the build fails", () => {
    write(VERIFY, COMMAND, BUILT);
    fs.utimesSync(path.join(root, "src", "cli", "a.ts"), NEW, NEW);
    expect(preloaded({ FAKE_TSC_EXIT: "2" })).toEqual({ status: 2, stdout: "", built: true });
  });
});

describe("package.json and cdktf.json: every command shares the one staleness check", () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", file), "utf8"));
  const scripts = read("package.json").scripts as Record<string, string>;
  const commands = Object.entries(scripts).filter(([, line]) => /\bdist\//.test(line));

  it.each(["synth", "verify", "connect", "report", "pki", "plan-offline", "drift", "docs", "ovpn", "backend-snippet", "bench"])("%s runs compiled code", (name) => {
    expect(commands.map(([command]) => command)).toContain(name);
  });

  it.each(commands)("%s: node -r ./scripts/build-if-stale.js <its compiled file>, never npm run build", (_name, line) => {
    expect(line).toMatch(/^node -r \.\/scripts\/build-if-stale\.js dist\/(main|src\/cli\/[\w-]+)\.js$/);
  });

  it("cdktf synth runs the same (cdktf.json's app)", () => {
    expect(read("cdktf.json").app).toBe("node -r ./scripts/build-if-stale.js dist/main.js");
  });

  it("npm test still type-checks and builds in full before jest", () => {
    expect(scripts.test).toBe("npm run --silent typecheck && npm run --silent build && jest");
    expect(scripts.build).toBe("tsc -p tsconfig.build.json && node scripts/bundle.js");
  });
});

/**
 * Pathological YAML is refused before the YAML library sees it: the depth estimate (src/config/yaml-depth.ts)
 * and the size cap. The bad-input corpus checks the messages; this checks the estimate itself and the
 * file loader's size check (which refuses before reading).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigErrors } from "../src/config/errors";
import { MAX_ENVIRONMENT_BYTES, MAX_YAML_DEPTH, loadEnvironmentFile } from "../src/config/load";
import { yamlDepthExceeds } from "../src/config/yaml-depth";

/** The smallest limit the text stays within. */
function estimatedDepth(text: string): number {
  let depth = 0;
  while (yamlDepthExceeds(text, depth)) depth++;
  return depth;
}

describe("the nesting estimate", () => {
  it.each([
    ["a scalar map", "a: 1\nb: two\n", 1],
    ["a block map in a map", "a:\n  b: 1\n  c: 2\nd: 3\n", 2],
    ["a list in maps", "a:\n  b:\n    - c\n    - d\n", 3],
    ["compact lists", "- - - x\n", 3],
    ["flow collections", "a: [1, [2, {b: [3]}]]\n", 5],
    // 4 deep; a line that starts with a flow collection also counts as a block line (over by one, never under).
    ["JSON on one line", '{"a": {"b": [1, 2, {"c": "]]]"}]}}', 5],
    ["brackets in quotes, plain scalars and comments", 'a: "[[[["\nb: x[1 # [[[\nc: \'{{\'\n', 1],
    ["brackets in a literal block scalar", "a: |\n  [[[[\n    {{{{\n  - - - -\nb: 1\n", 1],
    ["a flow list over several lines", "a: [\n  1,\n  [2, 3],\n]\nb: 1\n", 3],
  ])("%s", (_what, text, depth) => {
    expect(estimatedDepth(text)).toBe(depth);
  });

  it("keeps the bundled example well within the limit", () => {
    const example = fs.readFileSync(path.join(__dirname, "..", "environments", "example.yaml"), "utf8");
    expect(estimatedDepth(example)).toBeLessThanOrEqual(8);
    expect(MAX_YAML_DEPTH).toBeGreaterThanOrEqual(32);
  });

  it("stops at the limit without reading the rest (linear, no recursion)", () => {
    const started = performance.now();
    expect(yamlDepthExceeds(`${"[".repeat(200_000)}`, MAX_YAML_DEPTH)).toBe(true);
    expect(yamlDepthExceeds(`a: ${"- ".repeat(200_000)}x`, MAX_YAML_DEPTH)).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("the size cap", () => {
  it("refuses a file over the cap from its size, with one line naming it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-limits-"));
    const file = path.join(dir, "big.yaml");
    try {
      fs.writeFileSync(file, `project: private-access\n# ${"x".repeat(MAX_ENVIRONMENT_BYTES)}\n`);
      let thrown: unknown;
      try {
        loadEnvironmentFile(file);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigErrors);
      expect((thrown as ConfigErrors).message).toBe(`${file}: is 257 KiB, more than the 256 KiB an environment file may be: not read`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

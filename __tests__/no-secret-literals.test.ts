import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../src/cli/synth";
import { EXAMPLE_FILE, exampleWith } from "./helpers/environment";
import { synthAws } from "./helpers/synth";

/** Patterns of secrets that must never be literals in synthesized JSON. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ["a password attribute", /"(password|master_password|passwords|password_wo)"\s*:/],
  ["an auth token attribute", /"auth_token"\s*:/],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["an AWS access key id", /\bA(KIA|SIA)[0-9A-Z]{16}\b/],
  ["an AWS secret key attribute", /"(secret_key|access_key|token)"\s*:\s*"[^$]/],
  ["a tunnel secret attribute", /"(tunnel_secret|secret)"\s*:\s*"[^$]/],
];

const variants: [string, (doc: any) => void][] = [
  ["the example", () => {}],
  ["the example with MySQL and one cache node", (d) => { Object.assign(d.dataTier.database, { engine: "mysql", engineVersion: "8.4", port: 3306 }); d.dataTier.cache.nodes = 1; }],
  ["the example with the edge off", (d) => (d.webTier.edge.enabled = false)],
];

describe("no secret appears as a literal in any synthesized stack", () => {
  it.each(variants)("%s, online and offline", (_name, edit) => {
    const env = exampleWith(edit);
    for (const offline of [false, true]) {
      const { stack, json } = synthAws(env, offline);
      for (const [what, pattern] of SECRET_PATTERNS) {
        const found = pattern.exec(json);
        expect({ stack: stack.node.id, what, found: found?.[0] }).toEqual({ stack: stack.node.id, what, found: undefined });
      }
    }
  });

  it("every stack the example synthesizes (AWS and Cloudflare, tunnel in local mode too)", () => {
    for (const mode of ["remote", "local"]) {
      const project = fs.mkdtempSync(path.join(os.tmpdir(), "pa-secrets-"));
      fs.mkdirSync(path.join(project, "environments"));
      fs.writeFileSync(path.join(project, "environments", "example.yaml"), fs.readFileSync(EXAMPLE_FILE, "utf8").replace("mode: remote", `mode: ${mode}`));
      const result = synthesize({ environmentsDir: path.join(project, "environments"), outdir: path.join(project, "cdktf.out"), offline: false });
      expect(result.stacks.map((s) => s.name)).toEqual(["example-aws", "example-cloudflare"]);
      for (const stack of result.stacks) {
        const json = fs.readFileSync(path.join(project, "cdktf.out", "stacks", stack.name, "cdk.tf.json"), "utf8");
        for (const [what, pattern] of SECRET_PATTERNS) expect({ stack: stack.name, what, found: pattern.exec(json)?.[0] }).toEqual({ stack: stack.name, what, found: undefined });
      }
    }
  });

  it("the scanner itself finds a planted password", () => {
    expect(SECRET_PATTERNS[0][1].test('{"password": "hunter2"}')).toBe(true);
    expect(SECRET_PATTERNS[2][1].test("-----BEGIN RSA PRIVATE KEY-----")).toBe(true);
  });
});

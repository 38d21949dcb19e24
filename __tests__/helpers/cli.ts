import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { exampleDocument } from "./environment";

/** Runs a command-line entry point, capturing what it prints. */
export async function cli(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(`${a.join(" ")}\n`));
  const error = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(`${a.join(" ")}\n`));
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  try {
    return { code: await run(argv), out: out.join(""), err: err.join("") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

/** Writes `<dir>/environments/<name>.yaml`: the bundled example with `edit` applied. */
export function writeEnvironment(dir: string, name: string, edit: (doc: Record<string, any>) => void = () => {}): string {
  const doc = exampleDocument();
  edit(doc);
  const file = path.join(dir, "environments", `${name}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, stringify(doc));
  return file;
}

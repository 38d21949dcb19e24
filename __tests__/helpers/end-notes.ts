import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Set by the global setup (jest.config.js) in the jest process before it starts workers; they inherit it. */
export const END_NOTES_VARIABLE = "PRIVATE_ACCESS_TEST_END_NOTES";

/**
 * A line the test run prints last, after jest's summary (what ran against what, or what was skipped
 * and how to make it run: a skip among hundreds of passing tests is easy to miss). One note per key:
 * test files that share a helper say it once. Without the global setup, nothing is recorded.
 */
export function noteAtEnd(key: string, line: string): void {
  const dir = process.env[END_NOTES_VARIABLE];
  if (!dir || !fs.existsSync(dir)) return;
  fs.writeFileSync(path.join(dir, `${key.replace(/[^\w.-]/g, "_")}.txt`), `${line}\n`);
}

/** jest globalSetup: a fresh folder for this run's notes. */
export function createEndNotes(): void {
  process.env[END_NOTES_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), "pa-end-notes-"));
}

/** jest globalTeardown (it runs after jest's summary): print the notes, remove the folder. */
export function printEndNotes(): void {
  const dir = process.env[END_NOTES_VARIABLE];
  if (!dir || !fs.existsSync(dir)) return;
  const notes = fs
    .readdirSync(dir)
    .sort()
    .map((file) => fs.readFileSync(path.join(dir, file), "utf8").trimEnd())
    .filter(Boolean);
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[END_NOTES_VARIABLE];
  if (notes.length > 0) process.stderr.write(`\n${notes.join("\n")}\n`);
}

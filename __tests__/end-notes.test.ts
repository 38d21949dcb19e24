import * as fs from "node:fs";
import { END_NOTES_VARIABLE, createEndNotes, noteAtEnd, printEndNotes } from "./helpers/end-notes";

/** The lines `npm test` prints after jest's summary (globalSetup/globalTeardown in jest.config.js). */
describe("end notes", () => {
  const runs = process.env[END_NOTES_VARIABLE];
  afterEach(() => {
    if (runs === undefined) delete process.env[END_NOTES_VARIABLE];
    else process.env[END_NOTES_VARIABLE] = runs;
    jest.restoreAllMocks();
  });

  it("prints each key's last note once, sorted, after the summary, and removes its folder", () => {
    createEndNotes();
    const dir = process.env[END_NOTES_VARIABLE]!;
    noteAtEnd("offline-plans", "offline plans skipped: first");
    noteAtEnd("offline-plans", "offline plans skipped: terraform is not on PATH; install Terraform");
    noteAtEnd("browser", "browser tests ran");
    const written: string[] = [];
    jest.spyOn(process.stderr, "write").mockImplementation((text) => (written.push(String(text)), true));
    printEndNotes();
    expect(written.join("")).toBe("\nbrowser tests ran\noffline plans skipped: terraform is not on PATH; install Terraform\n");
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("records nothing without the global setup", () => {
    delete process.env[END_NOTES_VARIABLE];
    expect(() => noteAtEnd("offline-plans", "x")).not.toThrow();
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    printEndNotes();
    expect(write).not.toHaveBeenCalled();
  });
});

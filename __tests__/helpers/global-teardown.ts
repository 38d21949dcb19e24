import { printEndNotes } from "./end-notes";

export default function globalTeardown(): void {
  printEndNotes();
}

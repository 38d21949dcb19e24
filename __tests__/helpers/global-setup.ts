import { createEndNotes } from "./end-notes";

export default function globalSetup(): void {
  createEndNotes();
}

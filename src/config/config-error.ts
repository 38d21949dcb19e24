// No imports: the synth cache's fast path reports bad input with these before loading zod.

/** A bad environment file: one line naming the file, the field path and the problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
    readonly code = "PA-CONFIG",
  ) {
    super(field ? `${file}: ${field} ${problem}` : `${file}: ${problem}`);
    this.name = "ConfigError";
  }
}

/** Several problems found in one pass; each is reported on its own line. */
export class ConfigErrors extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ConfigErrors";
  }
}

/**
 * cdktf records, for every token and lazy value it creates, the full stack trace of its creation
 * (`Error.captureStackTrace` with no depth limit, then formatted into strings); it reads them only
 * to explain a token that fails to resolve. Formatting those traces is the largest single cost of
 * synthesizing many environments, so while the app is built and synthesized V8 captures none
 * (`Error.captureStackTrace` and `Error.prepareStackTrace` are process-wide V8 hooks, restored
 * afterwards; cdktf's code is untouched).
 * `keep` (PRIVATE_ACCESS_DEBUG=1) leaves them on for debugging a failed resolution.
 */
export function withoutCreationStacks<T>(keep: boolean, run: () => T): T {
  if (keep) return run();
  const previous = { prepare: Error.prepareStackTrace, capture: Error.captureStackTrace };
  // cdktf captures into `{ stack: "" }` and returns [] when nothing was captured.
  Error.captureStackTrace = () => undefined;
  Error.prepareStackTrace = () => "";
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous.prepare;
    Error.captureStackTrace = previous.capture;
  }
}

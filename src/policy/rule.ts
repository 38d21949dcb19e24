import type { IConstruct } from "constructs";

/**
 * One guardrail: a pure check of one construct. It returns the problems it finds (one message
 * each) or an empty list when the construct complies or the rule does not apply to it.
 */
export interface GuardrailRule {
  /** Stable id users suppress by, e.g. `PA-NET-001`. */
  readonly id: string;
  /** One line: what the rule demands. */
  readonly title: string;
  /** Why it matters, for the README and for reviewers. */
  readonly explanation: string;
  check(construct: IConstruct): string[];
}

export interface Violation {
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
}

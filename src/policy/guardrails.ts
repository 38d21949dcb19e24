import type { IConstruct } from "constructs";
import { Annotations, IAspect } from "cdktf";
import type { GuardrailRule, Violation } from "./rule";
import { FACTS_KEY, RecordedFacts } from "../../modules/common/markers";

export interface GuardrailSuppression {
  readonly rule: string;
  /** A construct path, or a prefix ending in `/*`. */
  readonly path: string;
  readonly reason: string;
}

export interface SuppressedViolation extends Violation {
  readonly reason: string;
  /** Where the exception was made: the environment file's suppressions, or the module that built the resource. */
  readonly source: "environment file" | "module";
}

/** What the guardrails found during one synth; main reads it to decide the exit code. */
export class GuardrailReport {
  readonly violations: Violation[] = [];
  readonly suppressed: SuppressedViolation[] = [];
  private readonly used = new Set<GuardrailSuppression>();

  constructor(readonly suppressions: readonly GuardrailSuppression[] = []) {}

  /** Suppressions that matched nothing: usually a stale path after a refactor. */
  get unusedSuppressions(): GuardrailSuppression[] {
    return this.suppressions.filter((s) => !this.used.has(s));
  }

  /** Files a violation: excepted by the module that built it, suppressed by the file, or a violation. */
  record(violation: Violation, moduleException?: { readonly reason: string }): { readonly reason: string } | undefined {
    if (moduleException) {
      this.suppressed.push({ ...violation, reason: moduleException.reason, source: "module" });
      return moduleException;
    }
    const suppression = this.suppressions.find((s) => s.rule === violation.ruleId && pathMatches(s.path, violation.path));
    if (suppression) {
      this.used.add(suppression);
      this.suppressed.push({ ...violation, reason: suppression.reason, source: "environment file" });
    } else {
      this.violations.push(violation);
    }
    return suppression;
  }
}

/**
 * The one exception mechanism besides the file's suppressions: a module records, on the resource it
 * built, the rules it is exempt from and why (modules/common/markers.ts); the exception is reported
 * like a suppression, with its reason.
 */
function moduleExceptionTo(construct: IConstruct, ruleId: string): { readonly reason: string } | undefined {
  const entry = construct.node.metadata.find((m) => m.type === `${FACTS_KEY}:publicEntry`)?.data as RecordedFacts["publicEntry"] | undefined;
  return entry?.rules.includes(ruleId) ? { reason: entry.reason } : undefined;
}

export function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith("/*")) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

/**
 * Runs every rule on every construct at synth. A violation becomes an error annotation (which
 * aborts `app.synth()`) and a report entry; a suppressed one becomes a warning carrying its reason.
 */
export class Guardrails implements IAspect {
  constructor(
    private readonly rules: readonly GuardrailRule[],
    readonly report: GuardrailReport,
  ) {}

  visit(construct: IConstruct): void {
    for (const rule of this.rules) {
      for (const message of rule.check(construct)) {
        const violation = { ruleId: rule.id, path: construct.node.path, message };
        const suppression = this.report.record(violation, moduleExceptionTo(construct, rule.id));
        if (suppression) {
          Annotations.of(construct).addWarning(`[${rule.id}] suppressed: ${message} (reason: ${suppression.reason})`);
        } else {
          Annotations.of(construct).addError(`[${rule.id}] ${message}`);
        }
      }
    }
  }
}

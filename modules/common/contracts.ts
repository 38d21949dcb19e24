import type { ManagedSecurityGroup } from "../network/security-group";
import type { BootPart } from "./boot/boot-part";

/**
 * Small interfaces modules use to reach each other without importing each other's classes,
 * so each capability can be built, tested and switched off on its own.
 */

/** An IAM policy statement as modules hand it around (rendered with aws_iam_policy_document). */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: { test: string; variable: string; values: string[] }[];
}

/** Something whose instance role can be granted a statement (the app servers, the bastion). */
export interface PolicyGrantee {
  grant(statement: PolicyStatement): void;
}

/** Something whose boot takes extra parts, run in the order added, each on its own (the app servers). */
export interface BootPartSink {
  addBootPart(part: BootPart): void;
}

/** A service other groups may be admitted to: the service owns its group and its rules. */
export interface ReachableService {
  readonly port: number;
  readonly securityGroup: ManagedSecurityGroup;
  /** Admits `source` on `port`, and lets `source` reach it (both sides' rules, each described). */
  allowConnectionsFrom(source: ManagedSecurityGroup, description: string): void;
}

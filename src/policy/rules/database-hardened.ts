import type { IConstruct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import type { GuardrailRule } from "../rule";

const TLS_PARAMETERS: Record<string, string> = { "rds.force_ssl": "1", require_secure_transport: "ON" };

export const databaseHardened: GuardrailRule = {
  id: "PA-DATA-001",
  title: "RDS is private, encrypted, backed up for 7+ days, TLS-only, and keeps no password in the plan",
  explanation:
    "A public or unencrypted database, a missing backup or a password in Terraform state is how data tiers leak; RDS-managed passwords keep the secret out of state.",
  check(construct: IConstruct): string[] {
    if (construct instanceof DbParameterGroup) {
      const parameters = construct.parameterInput;
      const list = Array.isArray(parameters) ? parameters : [];
      const tls = list.some((p) => TLS_PARAMETERS[p.name] === p.value);
      return tls ? [] : ["parameter group does not force TLS (rds.force_ssl = 1 or require_secure_transport = ON)"];
    }
    if (!(construct instanceof DbInstance)) return [];
    const problems: string[] = [];
    if (construct.publiclyAccessibleInput !== false) problems.push("publicly_accessible is not false");
    if (construct.storageEncryptedInput !== true) problems.push("storage is not encrypted");
    if ((construct.backupRetentionPeriodInput ?? 0) < 7) problems.push(`backups are kept ${construct.backupRetentionPeriodInput ?? 0} days (at least 7)`);
    if (construct.passwordInput !== undefined) problems.push("a master password is set in the configuration (use manage_master_user_password)");
    if (!construct.parameterGroupNameInput) problems.push("uses the default parameter group, which does not force TLS");
    return problems;
  },
};

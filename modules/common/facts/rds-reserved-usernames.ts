/**
 * Master usernames RDS refuses. CreateDBInstance says only "Can't be a reserved word for the chosen
 * database engine", so this is the engine's reserved words plus the accounts RDS creates itself.
 * Checked at synth because RDS rejects the name only at apply, after the subnet group and parameter
 * group already exist.
 */

import type { RdsEngine } from "./engine-versions";

// Source: "CreateDBInstance - Amazon RDS" (API Reference), MasterUsername —
//   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
//   "Must be 1 to 16 letters, numbers, or underscores. First character must be a letter. Can't be a reserved word for
//   the chosen database engine." (the generic text; confirmed via the SDK docs generated from the API model).
// Source (PostgreSQL length 63): "CreateRelationalDatabase" (Lightsail) masterUsername, PostgreSQL: "1 to 63 letters or numbers".
// unconfirmed: that RDS for PostgreSQL itself allows 63 (the RDS console says so; not seen in a searched page), and that
//   RDS for MySQL 8.x allows 32 (we keep the documented 16 for MySQL to stay on the safe side).
export const MASTER_USERNAME_RULES = {
  postgres: { maxLength: 63, pattern: /^[A-Za-z][A-Za-z0-9_]*$/ },
  mysql: { maxLength: 16, pattern: /^[A-Za-z][A-Za-z0-9_]*$/ },
} as const satisfies Readonly<Record<RdsEngine, { maxLength: number; pattern: RegExp }>>;

// unconfirmed: accounts and roles RDS creates in every instance (seen in RDS user guides: "rdsadmin" owns the
// instance on both engines; "rdsrepladmin" is the MySQL replication user; rds_superuser, rds_replication,
// rds_password, rds_iam, rds_ad are RDS for PostgreSQL roles). Not confirmed against a single AWS list.
export const RDS_RESERVED_USERNAMES = {
  postgres: ["rdsadmin", "rdsrepladmin", "rds_superuser", "rds_replication", "rds_password", "rds_iam", "rds_ad", "rdstopmgr"],
  mysql: ["rdsadmin", "rdsrepladmin", "mysql.sys", "mysql.session", "mysql.infoschema"],
} as const satisfies Readonly<Record<RdsEngine, readonly string[]>>;

// Source: "SQL Key Words" (PostgreSQL documentation, Appendix C), the words marked reserved —
//   https://www.postgresql.org/docs/current/sql-keywords-appendix.html ; plus role names PostgreSQL itself refuses
//   ("public", "none", and names starting with "pg_", which are reserved for system roles: "CREATE ROLE" docs).
// unconfirmed: list written from memory of that appendix, not checked word by word against it.
export const POSTGRES_RESERVED_WORDS = [
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
  "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
  "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
  "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
  "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
  "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "system_user",
  "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
  "window", "with", "public", "none",
] as const;

// Source: "Keywords and Reserved Words" (MySQL 8.4 Reference Manual, 11.3) — https://dev.mysql.com/doc/refman/8.4/en/keywords.html
// unconfirmed: a partial list (the reserved words most likely to be picked as a user name), from memory.
export const MYSQL_RESERVED_WORDS = [
  "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "before", "between", "both", "by", "call",
  "cascade", "case", "change", "check", "column", "condition", "constraint", "create", "cross", "database",
  "databases", "default", "delete", "desc", "describe", "distinct", "drop", "else", "exists", "explain", "false",
  "fetch", "for", "foreign", "from", "grant", "group", "having", "if", "ignore", "in", "index", "insert", "interval",
  "into", "is", "join", "key", "keys", "kill", "like", "limit", "lock", "not", "null", "on", "option", "or", "order",
  "outer", "primary", "procedure", "read", "references", "rename", "replace", "require", "restrict", "revoke",
  "schema", "select", "set", "show", "system", "table", "then", "to", "trigger", "true", "union", "unique", "update",
  "usage", "use", "using", "values", "when", "where", "with", "write",
] as const;

/**
 * A short problem for a master username RDS would refuse for `engine`, or undefined.
 * Compared case-insensitively: PostgreSQL folds unquoted identifiers to lower case and MySQL keywords are
 * case-insensitive, so "RDSADMIN" and "Select" are refused too.
 */
export function masterUsernameProblem(engine: RdsEngine, name: string): string | undefined {
  return usernameProblem(engine, name, "master username", MASTER_USERNAME_RULES[engine]);
}

// Source (PostgreSQL 63): "Identifiers and Key Words" (PostgreSQL documentation, 4.1.1) — identifiers are truncated
//   to NAMEDATALEN-1 = 63 bytes. https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
// Source (MySQL 32): "Grant Tables" (MySQL 8.4 Reference Manual, 8.2.3) — "User names can be up to 32 characters long".
//   https://dev.mysql.com/doc/refman/8.4/en/grant-tables.html
// Lower case only: the IAM token names the user exactly (DBUser), and the one-time SQL the project prints
// (`CREATE USER operators`) is unquoted, which PostgreSQL folds to lower case.
export const OPERATOR_USERNAME_RULES = {
  postgres: { maxLength: 63, pattern: /^[a-z][a-z0-9_]*$/ },
  mysql: { maxLength: 32, pattern: /^[a-z][a-z0-9_]*$/ },
} as const satisfies Readonly<Record<RdsEngine, { maxLength: number; pattern: RegExp }>>;

/**
 * A short problem for the database user operators sign in as with an RDS IAM token, or undefined:
 * the identifier rules of the engine, the names RDS and the engine reserve, and never the master user
 * (whose password is the break-glass path, not a day-to-day login).
 */
export function operatorUsernameProblem(engine: RdsEngine, name: string, masterUsername: string): string | undefined {
  const problem = usernameProblem(engine, name, "operator user", OPERATOR_USERNAME_RULES[engine]);
  if (problem) return problem;
  if (name.toLowerCase() === masterUsername.toLowerCase()) return `operator user "${name}" is the master user; operators sign in as their own IAM-authenticated user`;
  return undefined;
}

function usernameProblem(engine: RdsEngine, name: string, label: string, rules: { maxLength: number; pattern: RegExp }): string | undefined {
  if (name.length === 0) return `the ${label} is empty`;
  if (name.length > rules.maxLength) return `${label} "${name}" is ${name.length} characters; ${engine} allows ${rules.maxLength}`;
  if (!rules.pattern.test(name)) {
    if (rules.pattern.source.includes("A-Z")) return `${label} "${name}" must start with a letter and hold only letters, digits and underscores`;
    return `${label} "${name}" must start with a lower-case letter and hold only lower-case letters, digits and underscores (the IAM token names the user exactly)`;
  }
  const lower = name.toLowerCase();
  if ((RDS_RESERVED_USERNAMES[engine] as readonly string[]).includes(lower)) return `${label} "${name}" is reserved by RDS for ${engine}`;
  if (engine === "postgres" && lower.startsWith("pg_")) return `${label} "${name}" starts with pg_, which PostgreSQL reserves for system roles`;
  if (lower.startsWith("rds_") || lower.startsWith("rdsadmin")) return `${label} "${name}" uses a prefix RDS reserves for its own accounts`;
  const words: readonly string[] = engine === "postgres" ? POSTGRES_RESERVED_WORDS : MYSQL_RESERVED_WORDS;
  if (words.includes(lower)) return `${label} "${name}" is a reserved word in ${engine}`;
  return undefined;
}

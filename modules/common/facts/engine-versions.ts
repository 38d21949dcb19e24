/**
 * Engine versions RDS and ElastiCache have released, so a typo ("16.99", "8.0.38") fails at synth
 * instead of at apply. A major alone ("16", "8.0") is always accepted: RDS then picks the default minor.
 *
 * These lists are what RDS has released, including minors RDS has since deprecated; RDS refuses to
 * create an instance on a deprecated minor, so a listed version is necessary, not sufficient.
 * The truth for an account and region is `aws rds describe-db-engine-versions --engine postgres`.
 * When RDS ships a new minor, add it here (a data change).
 */

export type RdsEngine = "postgres" | "mysql";
export type CacheEngine = "redis" | "valkey";

// Source: AWS CDK, packages/aws-cdk-lib/aws-rds/lib/instance-engine.ts (PostgresEngineVersion, MysqlEngineVersion),
//   https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-rds/lib/instance-engine.ts — the stored copy reaches
//   PostgreSQL 18.3, 17.9, 16.13, 15.17, 14.22, 13.23 and MySQL 8.4.10, 8.0.46 (mid-2026).
// Cross-check: "Release calendars for Amazon RDS for PostgreSQL" — https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
//   and "MySQL on Amazon RDS versions" — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html
//   (an AWS notice of May 2026 names 14.20, 15.15, 16.11, 17.7 as upgrade targets, consistent with this list).
// unconfirmed: minors released after the CDK snapshot (e.g. a PostgreSQL 18.4 or MySQL 8.4.11), if any by 2026-11.
// PostgreSQL 12 and older and MySQL 5.7 are left out: they are on RDS Extended Support only (paid), which we do not plan for.
export const RDS_ENGINE_VERSIONS = {
  postgres: {
    // PostgreSQL 13 left RDS standard support on 2026-02-28 (Extended Support since); kept so existing stacks still validate.
    "13": ["13.1", "13.2", "13.3", "13.4", "13.5", "13.6", "13.7", "13.8", "13.9", "13.10", "13.11", "13.12", "13.13", "13.14", "13.15", "13.16", "13.17", "13.18", "13.19", "13.20", "13.21", "13.22", "13.23"],
    "14": ["14.1", "14.2", "14.3", "14.4", "14.5", "14.6", "14.7", "14.8", "14.9", "14.10", "14.11", "14.12", "14.13", "14.14", "14.15", "14.16", "14.17", "14.18", "14.19", "14.20", "14.21", "14.22"],
    // RDS started PostgreSQL 15 at 15.2 (there was no RDS 15.0/15.1).
    "15": ["15.2", "15.3", "15.4", "15.5", "15.6", "15.7", "15.8", "15.9", "15.10", "15.11", "15.12", "15.13", "15.14", "15.15", "15.16", "15.17"],
    "16": ["16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "16.7", "16.8", "16.9", "16.10", "16.11", "16.12", "16.13"],
    "17": ["17.1", "17.2", "17.3", "17.4", "17.5", "17.6", "17.7", "17.8", "17.9"],
    "18": ["18.1", "18.2", "18.3"],
  },
  mysql: {
    // MySQL 8.0 left RDS standard support on 2026-07-31 (Extended Support since). The CDK list has no
    // 8.0.12/14/18/22/24/38: RDS skipped those community releases.
    "8.0": ["8.0.11", "8.0.13", "8.0.15", "8.0.16", "8.0.17", "8.0.19", "8.0.20", "8.0.21", "8.0.23", "8.0.25", "8.0.26", "8.0.27", "8.0.28", "8.0.29", "8.0.30", "8.0.31", "8.0.32", "8.0.33", "8.0.34", "8.0.35", "8.0.36", "8.0.37", "8.0.39", "8.0.40", "8.0.41", "8.0.42", "8.0.43", "8.0.44", "8.0.45", "8.0.46"],
    // RDS for MySQL 8.4 started at 8.4.3.
    "8.4": ["8.4.3", "8.4.4", "8.4.5", "8.4.6", "8.4.7", "8.4.8", "8.4.9", "8.4.10"],
  },
} as const satisfies Readonly<Record<RdsEngine, Readonly<Record<string, readonly string[]>>>>;

// Source: "Engine versions and upgrading in ElastiCache" — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
//   and "Supported engines and versions" — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html
//   Redis OSS: node-based clusters support 7.1, 7.0, 6.2 (and older 4.0.10+ we do not plan for).
//   Valkey: 7.2 (7.2.6), 8.0, 8.1, 8.2 (vector search), 9.0 (docs.amazonaws.cn English page); 9.1 appears in the zh_cn page.
// Terraform's aws_elasticache_replication_group takes "major.minor" for these (e.g. "7.1"); a patch is
// accepted by the API but not validated here.
export const CACHE_ENGINE_VERSIONS = {
  redis: ["6.2", "7.0", "7.1"],
  // unconfirmed: "9.1" is only seen in the Chinese-language ElastiCache guide.
  valkey: ["7.2", "8.0", "8.1", "8.2", "9.0", "9.1"],
} as const satisfies Readonly<Record<CacheEngine, readonly string[]>>;

function majorsOf(engine: RdsEngine): readonly string[] {
  return Object.keys(RDS_ENGINE_VERSIONS[engine]);
}

function minorsOf(engine: RdsEngine, major: string): readonly string[] | undefined {
  const table: Readonly<Record<string, readonly string[]>> = RDS_ENGINE_VERSIONS[engine];
  return Object.prototype.hasOwnProperty.call(table, major) ? table[major] : undefined;
}

/** The RDS major of a version: "16.4" → "16", "8.0.42" → "8.0"; the input itself when it is a major. */
export function rdsMajorOf(engine: RdsEngine, version: string): string {
  const parts = version.split(".");
  return engine === "postgres" ? parts[0] : parts.slice(0, 2).join(".");
}

/**
 * undefined when `version` is a major RDS offers ("16", "8.0") or a full version RDS has released;
 * otherwise a short problem, e.g. "16.99 is not a postgres version RDS offers (16: 16.1 … 16.13)".
 */
export function rdsVersionProblem(engine: RdsEngine, version: string): string | undefined {
  const major = rdsMajorOf(engine, version);
  const minors = minorsOf(engine, major);
  if (!minors) {
    return `${version} is not a ${engine} major version RDS offers (${majorsOf(engine).join(", ")})`;
  }
  if (version === major || minors.includes(version)) return undefined;
  return `${version} is not a ${engine} version RDS offers (${major}: ${minors[0]} … ${minors[minors.length - 1]})`;
}

/** The DB parameter group family for a version RDS offers: postgres16, mysql8.0. Undefined for an unknown major. */
export function rdsParameterGroupFamily(engine: RdsEngine, version: string): string | undefined {
  const major = rdsMajorOf(engine, version);
  return minorsOf(engine, major) ? `${engine}${major}` : undefined;
}

/** undefined when `version` ("7.1", or "7.1.0" whose major.minor is offered) is an ElastiCache version for `engine`. */
export function cacheVersionProblem(engine: CacheEngine, version: string): string | undefined {
  const offered: readonly string[] = CACHE_ENGINE_VERSIONS[engine];
  const majorMinor = version.split(".").slice(0, 2).join(".");
  if (/^\d+\.\d+(\.\d+)?$/.test(version) && offered.includes(majorMinor)) return undefined;
  return `${version} is not a ${engine} version ElastiCache offers (${offered.join(", ")})`;
}

/**
 * The ElastiCache parameter group family: redis7 for 7.x, redis6.x for 6.2, valkey7 / valkey8 / valkey9.
 * unconfirmed: from memory of the default parameter group names (default.redis7, default.redis6.x, default.valkey8),
 * not confirmed against "Parameter management in ElastiCache"; valkey9 is by analogy.
 */
export function cacheParameterGroupFamily(engine: CacheEngine, version: string): string | undefined {
  if (cacheVersionProblem(engine, version)) return undefined;
  const major = version.split(".")[0];
  if (engine === "redis" && major === "6") return "redis6.x";
  return `${engine}${major}`;
}

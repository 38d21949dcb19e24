import { z } from "zod";
import type { CidrPlan } from "../../../modules/network/cidr/plan";
import { ConfigError } from "../errors";

/** Major versions RDS offers that this project supports, per engine (one table, one place). */
export const ENGINE_VERSIONS = {
  postgres: ["13", "14", "15", "16", "17"],
  mysql: ["8.0", "8.4"],
} as const;

export const CACHE_ENGINE_VERSIONS = {
  redis: ["7.0", "7.1"],
  valkey: ["7.2", "8.0"],
} as const;

/** Enhanced-monitoring intervals RDS accepts (0 turns it off). */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

const database = z.strictObject({
  enabled: z.boolean().default(true),
  engine: z.enum(["postgres", "mysql"]).default("postgres"),
  /** A major version ("16") or a full one ("16.4"). */
  engineVersion: z.string().regex(/^\d+(\.\d+){0,2}$/, 'must be a version such as "16" or "16.4" (quote it in YAML)').default("16"),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.medium").default("db.t4g.medium"),
  allocatedStorageGiB: z.number().int().min(20).max(65536).default(20),
  maxAllocatedStorageGiB: z.number().int().min(20).max(65536).default(100),
  /** @default the engine's port (5432 or 3306); seed 003 moves it to 3389 for the EIC Endpoint. */
  port: z.number().int().optional(),
  databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and hold letters, digits and _ only").default("app"),
  masterUsername: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, "must start with a letter, at most 16 letters, digits and _").default("app_admin"),
  multiAz: z.boolean().default(false),
  backupRetentionDays: z.number().int().min(7, "must be at least 7 days").max(35).default(7),
  deletionProtection: z.boolean().default(true),
  performanceInsights: z.boolean().default(true),
  monitoringIntervalSeconds: z
    .number()
    .int()
    .refine((n) => (MONITORING_INTERVALS as readonly number[]).includes(n), { message: `must be one of ${MONITORING_INTERVALS.join(", ")}` })
    .default(60),
  logRetentionInDays: z.number().int().default(365),
});

const cache = z.strictObject({
  enabled: z.boolean().default(true),
  engine: z.enum(["redis", "valkey"]).default("redis"),
  engineVersion: z.string().regex(/^\d+\.\d+$/, 'must be a version such as "7.1" (quote it in YAML)').default("7.1"),
  nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.t4g.small").default("cache.t4g.small"),
  /** Primary plus replicas; more than one turns on Multi-AZ with automatic failover. */
  nodes: z.number().int().min(1).max(6).default(2),
  automaticFailover: z.boolean().optional(),
  port: z.number().int().min(1024).max(65535).default(6379),
  snapshotRetentionDays: z.number().int().min(1).max(35).default(7),
  logRetentionInDays: z.number().int().default(365),
});

export const dataTierSchema = z.strictObject({
  database: database.optional(),
  cache: cache.optional(),
});

export type DataTierConfig = z.output<typeof dataTierSchema>;
export type DatabaseConfig = NonNullable<DataTierConfig["database"]>;

export const DEFAULT_PORTS = { postgres: 5432, mysql: 3306 } as const;

export function databasePort(db: DatabaseConfig): number {
  return db.port ?? DEFAULT_PORTS[db.engine];
}

export function crossCheckDataTier(file: string, data: DataTierConfig | undefined, plan: CidrPlan, appPort: number | undefined): ConfigError[] {
  if (!data) return [];
  const errors: ConfigError[] = [];
  const at = (field: string, problem: string) => errors.push(new ConfigError(file, `dataTier.${field}`, problem, "PA-CONFIG-DATA"));
  const dataAzs = new Set(plan.subnets.filter((s) => s.tier === "data").map((s) => s.az)).size;
  const db = data.database;
  if (db?.enabled) {
    const majors: readonly string[] = ENGINE_VERSIONS[db.engine];
    const major = db.engine === "mysql" ? db.engineVersion.split(".").slice(0, 2).join(".") : db.engineVersion.split(".")[0];
    if (!majors.includes(major)) at("database.engineVersion", `"${db.engineVersion}" is not a supported ${db.engine} version (${majors.join(", ")})`);
    const port = databasePort(db);
    if (port < 1150 || port > 65535) at("database.port", `${port} is outside 1150-65535, the ports RDS accepts`);
    else if (appPort !== undefined && port === appPort) at("database.port", `${port} collides with webTier.appPort`);
    if (db.maxAllocatedStorageGiB <= db.allocatedStorageGiB) {
      at("database.maxAllocatedStorageGiB", `${db.maxAllocatedStorageGiB} must be larger than allocatedStorageGiB ${db.allocatedStorageGiB} (it is the autoscaling ceiling)`);
    }
    if (dataAzs < 2) at("database", `needs data subnets in at least two AZs for its subnet group (RDS requires two); network has ${dataAzs}`);
  }
  const cache = data.cache;
  if (cache?.enabled) {
    const versions: readonly string[] = CACHE_ENGINE_VERSIONS[cache.engine];
    if (!versions.includes(cache.engineVersion)) at("cache.engineVersion", `"${cache.engineVersion}" is not a supported ${cache.engine} version (${versions.join(", ")})`);
    if (cache.automaticFailover === true && cache.nodes < 2) at("cache.automaticFailover", `needs at least 2 nodes, cache.nodes is ${cache.nodes}`);
    if (cache.automaticFailover === false && cache.nodes > 1) {
      at("cache.automaticFailover", `is off with ${cache.nodes} nodes: replicas without failover leave the primary a single point of failure; turn it on or use 1 node`);
    }
    if (cache.nodes > 1 && dataAzs < 2) at("cache.nodes", `${cache.nodes} nodes with Multi-AZ need data subnets in two AZs; network has ${dataAzs}`);
    if (dataAzs < 1) at("cache", "needs at least one data subnet");
    if (appPort !== undefined && cache.port === appPort) at("cache.port", `${cache.port} collides with webTier.appPort`);
    if (db?.enabled && cache.port === databasePort(db)) at("cache.port", `${cache.port} collides with dataTier.database.port`);
  }
  return errors;
}

import { z } from "zod";
import { masterUsernameProblem, operatorUsernameProblem } from "../common/facts/rds-reserved-usernames";
import { rdsVersionProblem } from "../common/facts/engine-versions";
import { logRetentionDays, rdsInstanceClass } from "../common/settings/fields";
import type { PlacementProblem } from "../common/settings/parse";

/** Enhanced-monitoring intervals RDS accepts (0 turns it off). CreateDBInstance MonitoringInterval. */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

export const DEFAULT_PORTS = { postgres: 5432, mysql: 3306 } as const;

/** The `dataTier.database` section: RDS in the data subnets. */
export const databaseSettings = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: "build the database" }),
    engine: z.enum(["postgres", "mysql"]).default("postgres").meta({ description: "RDS engine" }),
    engineVersion: z
      .string()
      .regex(/^\d+(\.\d+){0,2}$/, 'must be a version such as "16" or "16.4" (quote it in YAML)')
      .default("16")
      .meta({ type: "version string", description: "a major version (`\"16\"`, `\"8.0\"`) or a full one RDS offers (`\"16.4\"`), checked against the project's table of RDS versions" }),
    instanceClass: rdsInstanceClass("db.t4g.medium").default("db.t4g.medium").meta({ description: "the instance class (Graviton by default)" }),
    allocatedStorageGiB: z.number().int().min(20).max(65536).default(20).meta({ type: "GiB", description: "gp3 storage at creation" }),
    maxAllocatedStorageGiB: z.number().int().min(20).max(65536).default(100).meta({ type: "GiB", description: "storage autoscaling ceiling (larger than allocatedStorageGiB)" }),
    port: z.number().int().optional().meta({
      type: "1150-65535",
      default: "engine default (5432 / 3306)",
      description: "3389 lets the EC2 Instance Connect Endpoint (ports 22 and 3389 only) tunnel to it (`access.instanceConnect.databaseTunnel`); must not equal the app or cache port",
    }),
    databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and hold letters, digits and _ only").default("app").meta({ type: "identifier", description: "initial database" }),
    masterUsername: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, "must start with a letter, at most 16 letters, digits and _")
      .default("app_admin")
      .meta({ type: "identifier, not reserved", description: "its password is generated, stored and rotated by RDS in Secrets Manager; names RDS reserves (`rdsadmin` …) are refused" }),
    operatorUsername: z
      .string()
      .default("operators")
      .meta({
        type: "identifier, not reserved",
        description:
          "the database user operators sign in as with a 15-minute IAM token (`npm run connect -- <env> db` prints the one-time SQL that creates it); the `database_operator_policy_arn` output allows `rds-db:connect` as this user only; lower case, not the master user",
      }),
    multiAz: z.boolean().default(false).meta({ description: "standby in another AZ (on in the example)" }),
    backupRetentionDays: z.number().int().min(7, "must be at least 7 days").max(35).default(7).meta({ description: "automated backups (at least a week)" }),
    deletionProtection: z.boolean().default(true).meta({ description: "a final snapshot is always taken" }),
    performanceInsights: z.boolean().default(true).meta({ description: "KMS-encrypted, 7 days" }),
    monitoringIntervalSeconds: z
      .number()
      .int()
      .refine((n) => (MONITORING_INTERVALS as readonly number[]).includes(n), { message: `must be one of ${MONITORING_INTERVALS.join(", ")}` })
      .default(60)
      .meta({ type: MONITORING_INTERVALS.join(", "), description: "enhanced monitoring (0 = off)" }),
    logRetentionInDays: logRetentionDays(365).meta({ description: "exported engine logs" }),
  })
  .superRefine((db, ctx) => {
    const version = rdsVersionProblem(db.engine, db.engineVersion);
    if (version) ctx.addIssue({ code: "custom", path: ["engineVersion"], message: version });
    const user = masterUsernameProblem(db.engine, db.masterUsername);
    if (user) ctx.addIssue({ code: "custom", path: ["masterUsername"], message: user });
    const operator = operatorUsernameProblem(db.engine, db.operatorUsername, db.masterUsername);
    if (operator) ctx.addIssue({ code: "custom", path: ["operatorUsername"], message: operator });
    const port = databasePort(db);
    if (port < 1150 || port > 65535) ctx.addIssue({ code: "custom", path: ["port"], message: `${port} is outside 1150-65535, the ports RDS accepts` });
    if (db.maxAllocatedStorageGiB <= db.allocatedStorageGiB) {
      ctx.addIssue({ code: "custom", path: ["maxAllocatedStorageGiB"], message: `${db.maxAllocatedStorageGiB} must be larger than allocatedStorageGiB ${db.allocatedStorageGiB} (it is the autoscaling ceiling)` });
    }
  });

export type DatabaseSettings = z.output<typeof databaseSettings>;

/** RDS needs a subnet group spanning two AZs. */
export function databasePlacementProblems(dataAzs: number): PlacementProblem[] {
  return dataAzs < 2 ? [{ path: [], problem: `needs data subnets in at least two AZs for its subnet group (RDS requires two); network has ${dataAzs}` }] : [];
}
export type DatabaseSettingsInput = z.input<typeof databaseSettings>;

export function databasePort(db: Pick<DatabaseSettings, "port" | "engine">): number {
  return db.port ?? DEFAULT_PORTS[db.engine];
}

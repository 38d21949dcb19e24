/**
 * The RDS DB instance classes a PostgreSQL or MySQL DB instance can be created on, so a typo
 * ("db.t4g.mediun") fails at synth instead of at apply. No maintained package lists them: the AWS
 * SDK's RDS model takes any string, so this is data from the RDS User Guide.
 *
 * The truth for an account, region and engine version is
 * `aws rds describe-orderable-db-instance-options --engine postgres --engine-version 16.4`.
 * When RDS adds a class (a new family or size), add it here (a data change).
 */

// Source: "Supported DB engines for DB instance classes", Amazon RDS User Guide —
//   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html
//   (from the docs on 2026-12-03, read from a stored copy of the page's tables; the page lists families up
//   to db.m8g / db.r8g). Kept: every class whose MySQL or PostgreSQL cell is not "No" or "Deprecated".
// Left out on purpose:
//   - db.c6gd: "for Multi-AZ DB cluster deployments only"; this project creates a DB instance.
//   - db.m4, db.r4, db.t2 (deprecated for both engines), db.m3 and db.r3 (MySQL 5.x-era classes, deprecated
//     elsewhere; the project's MySQL is 8.0 / 8.4).
//   - Oracle- and SQL Server-only classes (db.z1d, db.x1, db.x1e, db.x2iezn, the *.tpcN.memNx classes, the
//     *.metal classes).
// unconfirmed: classes RDS launched after the stored copy (e.g. a db.m8gd or db.r8gd for RDS, which Aurora has).
const SIZES_TO_16X = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;
const SIZES_TO_24X = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] as const;
const SIZES_TO_32X = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"] as const;
const SIZES_TO_48X = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"] as const;
const BURSTABLE = ["micro", "small", "medium", "large", "xlarge", "2xlarge"] as const;

/** Family → sizes, as the page's tables list them for MySQL and PostgreSQL. */
export const RDS_INSTANCE_CLASS_SIZES: Readonly<Record<string, readonly string[]>> = {
  // General purpose
  "db.m8g": SIZES_TO_48X,
  "db.m7i": SIZES_TO_48X,
  "db.m7g": SIZES_TO_16X,
  "db.m6g": SIZES_TO_16X,
  "db.m6gd": SIZES_TO_16X,
  "db.m6i": SIZES_TO_32X,
  "db.m6id": SIZES_TO_32X,
  "db.m6idn": SIZES_TO_32X,
  "db.m6in": SIZES_TO_32X,
  "db.m5": SIZES_TO_24X,
  "db.m5d": SIZES_TO_24X,
  // Memory optimized
  "db.r8g": SIZES_TO_48X,
  "db.r7i": SIZES_TO_48X,
  "db.r7g": SIZES_TO_16X,
  "db.r6g": SIZES_TO_16X,
  "db.r6gd": SIZES_TO_16X,
  "db.r6i": SIZES_TO_32X,
  "db.r6id": SIZES_TO_32X,
  // db.r6idn has no large.
  "db.r6idn": SIZES_TO_32X.filter((size) => size !== "large"),
  "db.r6in": SIZES_TO_32X,
  "db.r5": SIZES_TO_24X,
  "db.r5b": SIZES_TO_24X,
  "db.r5d": SIZES_TO_24X,
  "db.x2g": SIZES_TO_16X,
  "db.x2idn": ["16xlarge", "24xlarge", "32xlarge"],
  "db.x2iedn": ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"],
  // Burstable
  "db.t4g": BURSTABLE,
  "db.t3": BURSTABLE,
};

/** Every class above, sorted: "db.m5.large" … */
export const RDS_INSTANCE_CLASSES: readonly string[] = Object.entries(RDS_INSTANCE_CLASS_SIZES)
  .flatMap(([family, sizes]) => sizes.map((size) => `${family}.${size}`))
  .sort();

/**
 * The ElastiCache node types a Valkey or Redis OSS replication group can be created on, so a typo
 * ("cache.t4g.smal") fails at synth instead of at apply. No maintained package lists them all: the
 * AWS SDK's ElastiCache model takes any string (its documentation comment names node types, but
 * stops at the 7th generation and leaves out cache.r6gd and cache.c7gn), so this is data from the
 * ElastiCache User Guide.
 *
 * The truth for an account and region is `aws elasticache describe-reserved-cache-nodes-offerings`
 * or the console. When ElastiCache adds a node type, add it here (a data change).
 */

// Source: "Supported node types" — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
//   and the "Valkey node-type specific parameters" table (maxmemory per node type) of "Engine specific parameters" —
//   https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
//   (from the docs on 2026-12-03, read from a stored copy of the pages). The list is that table's node types;
//   the Redis OSS table has the same ones up to the 7th generation (no m8g, r8g, c8gn) plus previous-generation
//   types (t1, m1, m2, m3, c1, r3) that new clusters cannot use, so those are left out.
// cache.t2.* is kept: ElastiCache is moving T2 to previous generation (no new clusters), the page says, so an
//   apply may still refuse it; the message for an unknown type points here.
// unconfirmed: whether Redis OSS (not Valkey) runs on cache.m8g / cache.r8g / cache.c8gn.
export const CACHE_NODE_TYPES: readonly string[] = [
  // Burstable
  "cache.t2.micro", "cache.t2.small", "cache.t2.medium",
  "cache.t3.micro", "cache.t3.small", "cache.t3.medium",
  "cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium",
  // General purpose
  "cache.m4.large", "cache.m4.xlarge", "cache.m4.2xlarge", "cache.m4.4xlarge", "cache.m4.10xlarge",
  "cache.m5.large", "cache.m5.xlarge", "cache.m5.2xlarge", "cache.m5.4xlarge", "cache.m5.12xlarge", "cache.m5.24xlarge",
  "cache.m6g.large", "cache.m6g.xlarge", "cache.m6g.2xlarge", "cache.m6g.4xlarge", "cache.m6g.8xlarge", "cache.m6g.12xlarge", "cache.m6g.16xlarge",
  "cache.m7g.large", "cache.m7g.xlarge", "cache.m7g.2xlarge", "cache.m7g.4xlarge", "cache.m7g.8xlarge", "cache.m7g.12xlarge", "cache.m7g.16xlarge",
  "cache.m8g.large", "cache.m8g.xlarge", "cache.m8g.2xlarge", "cache.m8g.4xlarge", "cache.m8g.8xlarge", "cache.m8g.12xlarge", "cache.m8g.16xlarge",
  // Memory optimized
  "cache.r4.large", "cache.r4.xlarge", "cache.r4.2xlarge", "cache.r4.4xlarge", "cache.r4.8xlarge", "cache.r4.16xlarge",
  "cache.r5.large", "cache.r5.xlarge", "cache.r5.2xlarge", "cache.r5.4xlarge", "cache.r5.12xlarge", "cache.r5.24xlarge",
  "cache.r6g.large", "cache.r6g.xlarge", "cache.r6g.2xlarge", "cache.r6g.4xlarge", "cache.r6g.8xlarge", "cache.r6g.12xlarge", "cache.r6g.16xlarge",
  "cache.r7g.large", "cache.r7g.xlarge", "cache.r7g.2xlarge", "cache.r7g.4xlarge", "cache.r7g.8xlarge", "cache.r7g.12xlarge", "cache.r7g.16xlarge",
  "cache.r8g.large", "cache.r8g.xlarge", "cache.r8g.2xlarge", "cache.r8g.4xlarge", "cache.r8g.8xlarge", "cache.r8g.12xlarge", "cache.r8g.16xlarge",
  // Memory optimized with data tiering
  "cache.r6gd.xlarge", "cache.r6gd.2xlarge", "cache.r6gd.4xlarge", "cache.r6gd.8xlarge", "cache.r6gd.12xlarge", "cache.r6gd.16xlarge",
  // Network optimized
  "cache.c7gn.large", "cache.c7gn.xlarge", "cache.c7gn.2xlarge", "cache.c7gn.4xlarge", "cache.c7gn.8xlarge", "cache.c7gn.12xlarge", "cache.c7gn.16xlarge",
  "cache.c8gn.large", "cache.c8gn.xlarge", "cache.c8gn.2xlarge", "cache.c8gn.4xlarge", "cache.c8gn.8xlarge", "cache.c8gn.12xlarge", "cache.c8gn.16xlarge",
];

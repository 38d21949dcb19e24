import { z } from "zod";
import { cacheVersionProblem } from "../common/facts/engine-versions";
import { cacheNodeType, logRetentionDays } from "../common/settings/fields";
import type { PlacementProblem } from "../common/settings/parse";

/** The `dataTier.cache` section: ElastiCache in the data subnets. */
export const cacheSettings = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: "build the cache" }),
    engine: z.enum(["redis", "valkey"]).default("redis").meta({ description: "ElastiCache engine" }),
    engineVersion: z.string().regex(/^\d+\.\d+$/, 'must be a version such as "7.1" (quote it in YAML)').default("7.1").meta({ type: "version", description: "checked against the project's table of ElastiCache versions" }),
    nodeType: cacheNodeType("cache.t4g.small").default("cache.t4g.small").meta({ description: "the node type of every node" }),
    nodes: z.number().int().min(1).max(6).default(2).meta({ type: "1-6", description: "primary plus replicas; more than one turns on Multi-AZ with automatic failover" }),
    automaticFailover: z.boolean().optional().meta({ default: "follows `nodes`", description: "failover needs 2+ nodes, and replicas need failover: set it only to state what `nodes` implies" }),
    port: z.number().int().min(1024).max(65535).default(6379).meta({ type: "1024-65535", description: "the port clients connect to (TLS required)" }),
    snapshotRetentionDays: z.number().int().min(1).max(35).default(7).meta({ type: "1-35", description: "days of daily snapshots kept" }),
    logRetentionInDays: logRetentionDays(365).meta({ description: "slow log" }),
  })
  .superRefine((cache, ctx) => {
    const version = cacheVersionProblem(cache.engine, cache.engineVersion);
    if (version) ctx.addIssue({ code: "custom", path: ["engineVersion"], message: version });
    if (cache.automaticFailover === true && cache.nodes < 2) ctx.addIssue({ code: "custom", path: ["automaticFailover"], message: `needs at least 2 nodes, cache.nodes is ${cache.nodes}` });
    if (cache.automaticFailover === false && cache.nodes > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["automaticFailover"],
        message: `is off with ${cache.nodes} nodes: replicas without failover leave the primary a single point of failure; turn it on or use 1 node`,
      });
    }
  });

export type CacheSettings = z.output<typeof cacheSettings>;
export type CacheSettingsInput = z.input<typeof cacheSettings>;

/** Replicas go to other AZs (Multi-AZ), and the cache needs somewhere to live. */
export function cachePlacementProblems(cache: Pick<CacheSettings, "nodes">, dataSubnets: number, dataAzs: number): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  if (cache.nodes > 1 && dataAzs < 2) problems.push({ path: ["nodes"], problem: `${cache.nodes} nodes with Multi-AZ need data subnets in two AZs; network has ${dataAzs}` });
  if (dataSubnets < 1) problems.push({ path: [], problem: "needs at least one data subnet" });
  return problems;
}

/** Failover (and Multi-AZ) follow the node count; the setting may only agree with it. */
export function automaticFailoverOf(cache: CacheSettings): boolean {
  return cache.automaticFailover ?? cache.nodes > 1;
}

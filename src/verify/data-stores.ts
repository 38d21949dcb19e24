import type { ProofContext } from "./context";
import { Hop, hop } from "./proof";
import type { ResourceRef } from "./stack-model";

/** The subnets a database or cache really lives in: its subnet group's, never subnets found by a tag. */
export function storeSubnetCidrs(ctx: ProofContext, store: ResourceRef): string[] {
  const { aws } = ctx;
  const [type, name] = store.type === "aws_db_instance" ? ["aws_db_subnet_group", store.config.db_subnet_group_name] : ["aws_elasticache_subnet_group", store.config.subnet_group_name];
  const group = aws.referenced(name) ?? aws.all(type).find((g) => g.config.name === name);
  return ((group?.config.subnet_ids ?? []) as unknown[]).map((id) => aws.referenced(id, ["id"])?.config.cidr_block).filter((c): c is string => typeof c === "string");
}

/**
 * An ElastiCache user can sign in only when it is in a user group the replication group uses:
 * IAM lets a user dropped from the group mint a token, and the cache refuses it.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
 */
export function cacheUserInGroupHop(ctx: ProofContext, cache: ResourceRef, user: ResourceRef): Hop {
  const { aws } = ctx;
  const groups = ((cache.config.user_group_ids ?? []) as unknown[]).map((id) => aws.referenced(id)).filter((g): g is ResourceRef => g !== undefined);
  const member = groups.find((g) => ((g.config.user_ids ?? []) as unknown[]).some((id) => aws.pointsAt(id, user)));
  const name = `${user.config.user_name} is in a user group the cache uses`;
  if (member) return hop(name, true, `user group ${member.config.user_group_id} holds ${user.config.user_name}`);
  return hop(name, false, groups.length ? `the cache's user group(s) ${groups.map((g) => g.config.user_group_id).join(", ")} do not hold ${user.config.user_name}: the cache refuses its token` : "the cache uses no user group of this stack");
}

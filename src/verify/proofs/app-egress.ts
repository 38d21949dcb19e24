import type { ProofContext } from "../context";
import { bucketPolicy, keyPolicy, roleIdentityPolicies } from "../instances";
import { Endpoint, S3_PUBLIC_RANGE, internetRoute, routeFrom, networkAllows } from "../network";
import { Hop, PathProof, hop, path } from "../proof";
import type { ResourceRef } from "../stack-model";
import { endpointOf } from "./admin-access";
import { cacheUserInGroupHop, storeSubnetCidrs } from "../data-stores";

/** What the app servers reach: database, cache, their bucket through the S3 endpoint, the internet through NAT. */
export async function appEgressPaths(ctx: ProofContext): Promise<PathProof[]> {
  const app = ctx.appServers;
  if (!app) return [];
  const { aws } = ctx;
  const proofs: PathProof[] = [];
  const principal = ctx.roleArn(app);
  const policies = ctx.rolePolicies(app);

  const database = aws.all("aws_db_instance")[0];
  if (database) {
    const port = Number(database.config.port);
    const check = networkAllows(aws, endpointOf(app), { label: "the database", groups: ids(ctx, database.config.vpc_security_group_ids), cidrs: storeSubnetCidrs(ctx, database) }, "tcp", port);
    proofs.push(path("app-database", `app servers → database:${port}`, [
      hop("the database is private", database.config.publicly_accessible !== true, `publicly_accessible = ${database.config.publicly_accessible ?? false}`),
      hop(`app servers → database on ${port}`, check.ok, check.detail),
    ]));
  }
  const cache = aws.all("aws_elasticache_replication_group")[0];
  if (cache) {
    const port = Number(cache.config.port);
    const check = networkAllows(aws, endpointOf(app), { label: "the cache", groups: ids(ctx, cache.config.security_group_ids), cidrs: storeSubnetCidrs(ctx, cache) }, "tcp", port);
    const hops: Hop[] = [hop(`app servers → cache on ${port}`, check.ok, check.detail)];
    const user = aws.all("aws_elasticache_user").find((u) => u.config.authentication_mode?.type === "iam");
    if (user) {
      // IAM authentication: elasticache:Connect on both the replication group and the user.
      for (const target of [cache, user]) {
        hops.push(await ctx.iamHop(`app servers may elasticache:Connect (${target.type === "aws_elasticache_user" ? "as the IAM user" : "to the replication group"})`, {
          principal, action: "elasticache:Connect", resource: aws.attribute(target.address, "arn"), resourceAccount: ctx.account, context: {}, identityPolicies: policies,
        }));
      }
      hops.push(cacheUserInGroupHop(ctx, cache, user));
    }
    proofs.push(path("app-cache", `app servers → cache:${port}`, hops));
  }

  const bucket = ctx.outputResource("app_bucket");
  if (bucket) proofs.push(await bucketPath(ctx, bucket, principal, policies));

  if (ctx.env.network.natGateways !== "none") {
    const https = networkAllows(aws, endpointOf(app), { label: "the internet", groups: [], cidrs: ["0.0.0.0/0"] }, "tcp", 443);
    const hops = app.subnets.map((s) => {
      const r = internetRoute(aws, s, app.publicIp);
      return hop(`${s.config.tags?.Name ?? s.address} routes out through NAT`, r.ok, r.detail);
    });
    proofs.push(path("app-internet", "app servers → internet (HTTPS, through NAT)", [...hops, hop("app servers may send HTTPS out", https.ok, https.detail)]));
  }
  return proofs;
}

async function bucketPath(ctx: ProofContext, bucket: ResourceRef, principal: string, policies: ReturnType<ProofContext["rolePolicies"]>): Promise<PathProof> {
  const { aws } = ctx;
  const app = ctx.appServers!;
  const hops: Hop[] = [];
  const routes = app.subnets.map((s) => routeFrom(aws, s, "s3"));
  const viaEndpoint = routes.every((r) => r.target === "s3-gateway-endpoint");
  hops.push(hop("S3 traffic from the app subnets takes the gateway endpoint", viaEndpoint, routes.map((r) => r.detail).join("; ")));
  const endpoint = routes.find((r) => r.via)?.via;
  const objectArn = `${aws.attribute(bucket.address, "arn")}/config/app.json`;
  // Security groups filter gateway-endpoint traffic too: S3's addresses (its prefix list, or a public range).
  const s3: Endpoint = { label: "S3", groups: [], cidrs: [S3_PUBLIC_RANGE], prefixLists: endpoint ? [`\${${endpoint.address}.prefix_list_id}`] : [] };
  const https = networkAllows(aws, endpointOf(app), s3, "tcp", 443);
  hops.push(hop("app servers may send HTTPS to S3", https.ok, https.detail));
  const context: Record<string, string> = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalArn": principal };
  if (endpoint) context["aws:SourceVpce"] = aws.attribute(endpoint.address, "id");
  const policy = bucketPolicy(aws, bucket);
  const endpointPolicy = endpoint ? aws.policyFrom(endpoint.config.policy) : undefined;
  if (endpoint && endpointPolicy) {
    // A gateway endpoint's policy is a third gate: it must allow the request as well.
    hops.push(await ctx.iamHop("the endpoint's policy lets the request through", { principal, action: "s3:GetObject", resource: objectArn, resourceAccount: ctx.account, context, identityPolicies: [], resourcePolicy: { name: `endpoint policy of ${endpoint.config.tags?.Name ?? endpoint.address}`, policy: endpointPolicy as never } }));
  }
  hops.push(await ctx.iamHop("app servers may read their bucket (through the endpoint)", { principal, action: "s3:GetObject", resource: objectArn, resourceAccount: ctx.account, context, identityPolicies: policies, resourcePolicy: policy }));
  const encryption = aws.all("aws_s3_bucket_server_side_encryption_configuration").find((e) => aws.pointsAt(e.config.bucket, bucket));
  const key = aws.referenced(encryption?.config.rule?.[0]?.apply_server_side_encryption_by_default?.kms_master_key_id);
  if (key) {
    hops.push(await ctx.iamHop("app servers may decrypt its objects through S3", {
      principal, action: "kms:Decrypt", resource: aws.attribute(key.address, "arn"), resourceAccount: ctx.account, context: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` }, identityPolicies: policies, resourcePolicy: keyPolicy(aws, key),
    }));
  }
  const deployRole = ctx.outputResource("deploy_role_arn");
  if (!deployRole) hops.push(hop("someone may upload the app's files", false, "no deploy role (output deploy_role_arn): no principal can write the bucket, so nothing can be deployed to it"));
  if (deployRole) {
    const deployArn = aws.attribute(deployRole.address, "arn");
    const deployPolicies = roleIdentityPolicies(aws, deployRole).policies;
    hops.push(await ctx.iamHop("the deploy role may upload from outside the VPC (CI)", {
      principal: deployArn, action: "s3:PutObject", resource: objectArn, resourceAccount: ctx.account,
      context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalArn": deployArn, "s3:x-amz-server-side-encryption": "aws:kms" },
      identityPolicies: deployPolicies, resourcePolicy: policy,
    }));
  }
  return path("app-s3", "app servers → their bucket (S3 gateway endpoint); deploy role → bucket", hops);
}

function ids(ctx: ProofContext, value: unknown): string[] {
  return ((value ?? []) as unknown[]).map((g) => ctx.aws.referenced(g)?.address ?? String(g));
}

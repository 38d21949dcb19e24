import type { ProofContext } from "../context";
import { cacheUserInGroupHop, storeSubnetCidrs } from "../data-stores";
import { recordedFacts } from "../../../modules/common/markers";
import type { InstanceKind } from "../instances";
import { bucketPolicy, keyPolicy } from "../instances";
import { Endpoint, internetRoute, routeFrom, networkAllows } from "../network";
import { Hop, PathProof, hop, path, unproven } from "../proof";
import type { ResourceRef } from "../stack-model";
import { firstAddress } from "./addresses";

/** Session Manager shell to each kind of managed instance. */
export async function sessionManagerPaths(ctx: ProofContext): Promise<PathProof[]> {
  const ssm = ctx.env.access?.sessionManager;
  if (!ssm?.enabled) return [];
  const kinds = [ctx.appServers, ctx.env.access?.bastion?.enabled ? ctx.bastion : undefined].filter((k): k is InstanceKind => k !== undefined);
  const operator = ctx.operatorWith("ssm:StartSession");
  const proofs: PathProof[] = [];
  // A declared instance kind missing from the stack is a broken path, never a path left out.
  if (ctx.env.webTier?.enabled && !ctx.appServers) proofs.push(path("ssm-shell:app", "operator → Session Manager shell on the app servers", [hop("the app servers exist", false, "no Auto Scaling group registered with a target group")]));
  if (ctx.env.access?.bastion?.enabled && !ctx.bastion) proofs.push(path("ssm-shell:bastion", "operator → Session Manager shell on the bastion", [hop("the bastion exists", false, "no aws_instance with a public IP")]));
  for (const kind of kinds) {
    const hops: Hop[] = [];
    const instance = ctx.instanceArn(kind);
    if (!operator) hops.push(hop("an operator policy allows StartSession", false, "no customer-managed policy allows ssm:StartSession"));
    else {
      const tagContext = Object.fromEntries(Object.entries(kind.tags).map(([k, v]) => [`ssm:resourceTag/${k}`, v]));
      hops.push(await ctx.iamHop(`operator may start a session on ${kind.label} (tags it really carries: ${tagList(kind.tags)})`, {
        principal: operator.principal,
        action: "ssm:StartSession",
        resource: instance,
        resourceAccount: ctx.account,
        context: { ...tagContext, "aws:userid": operator.userid, "aws:PrincipalArn": operator.principal },
        identityPolicies: operator.policies,
      }));
      if (ssm.preferences !== "unmanaged") {
        hops.push(await ctx.iamHop("with the logged, encrypted preferences document", {
          principal: operator.principal,
          action: "ssm:StartSession",
          resource: `arn:${ctx.aws.partition}:ssm:${ctx.region}:${ctx.account}:document/SSM-SessionManagerRunShell`,
          resourceAccount: ctx.account,
          context: { "aws:userid": operator.userid },
          identityPolicies: operator.policies,
        }));
      }
    }
    hops.push(...(await agentHops(ctx, kind)));
    if (ssm.preferences !== "unmanaged") {
      if (operator) hops.push(...(await operatorSessionKeyHops(ctx, operator)));
      hops.push(...(await loggingHops(ctx, kind)));
    }
    proofs.push(path(`ssm-shell:${kindId(ctx, kind)}`, `operator → Session Manager shell on ${kind.label}`, hops));
  }
  return proofs;
}

function kindId(ctx: ProofContext, kind: InstanceKind): string {
  return kind === ctx.appServers ? "app" : kind === ctx.bastion ? "bastion" : kind.label;
}

function tagList(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(", ") : "none";
}

/** The SSM agent registers and opens its channels: the managed core policy, and a way out on 443. */
async function agentHops(ctx: ProofContext, kind: InstanceKind): Promise<Hop[]> {
  const hops: Hop[] = [];
  if (!kind.role) return [hop(`${kind.label} has an instance role`, false, "no instance profile: the SSM agent cannot register")];
  const principal = ctx.roleArn(kind);
  const policies = ctx.rolePolicies(kind);
  for (const action of ["ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel"]) {
    hops.push(await ctx.iamHop(`the SSM agent on ${kind.label} may ${action}`, { principal, action, resource: "*", resourceAccount: ctx.account, context: {}, identityPolicies: policies }));
  }
  // This region's endpoints, in every subnet the instances may launch in (every AZ, not the first).
  const endpoints = ctx.aws.all("aws_vpc_endpoint").filter((e) => e.config.service_name === `com.amazonaws.${ctx.region}.ssmmessages`);
  if (kind.subnets.length === 0) return [...hops, hop(`${kind.label} is placed in a subnet`, false, "no subnet")];
  if (endpoints.length > 0) {
    const endpointGroups = endpoints.flatMap((e) => ((e.config.security_group_ids ?? []) as unknown[]).map((g) => ctx.aws.referenced(g)?.address ?? String(g)));
    const endpointSubnets = endpoints.flatMap((e) => ((e.config.subnet_ids ?? []) as unknown[]).map((id) => ctx.aws.referenced(id)).filter((x): x is ResourceRef => x !== undefined));
    for (const subnet of kind.subnets) {
      // An interface endpoint answers from its network interfaces: one in the instance's own subnet or another subnet of the VPC.
      const cidrs = endpointSubnets.map((e) => e.config.cidr_block as string);
      const to: Endpoint = { label: "the Session Manager interface endpoints", groups: endpointGroups, cidrs };
      const check = networkAllows(ctx.aws, { ...endpointOf(kind), cidrs: [subnet.config.cidr_block] }, to, "tcp", 443);
      hops.push(hop(`${kind.label} in ${subnet.config.tags?.Name ?? subnet.address} reaches Session Manager (interface endpoints)`, check.ok && cidrs.length > 0, cidrs.length > 0 ? check.detail : "the endpoints name no subnet"));
    }
  } else {
    const check = networkAllows(ctx.aws, endpointOf(kind), { label: "Session Manager's public endpoints", groups: [], cidrs: ["0.0.0.0/0"] }, "tcp", 443);
    hops.push(hop(`${kind.label} may send HTTPS out`, check.ok, check.detail));
    for (const subnet of kind.subnets) {
      const route = internetRoute(ctx.aws, subnet, kind.publicIp);
      hops.push(hop(`${kind.label} in ${subnet.config.tags?.Name ?? subnet.address} has a route to Session Manager's endpoints`, route.ok, route.detail));
    }
  }
  return hops;
}

/** An instance kind as the network sees it: Amazon Linux opens connections from 32768-60999 (net.ipv4.ip_local_port_range). */
export function endpointOf(kind: InstanceKind): Endpoint {
  return { label: kind.label, groups: kind.groups, cidrs: kind.subnets.map((s) => s.config.cidr_block), ephemeralPorts: [32768, 60999] };
}

/**
 * With KMS session encryption the person starting the session needs kms:GenerateDataKey on the
 * session key, or the session fails at the handshake.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html
 */
async function operatorSessionKeyHops(ctx: ProofContext, operator: NonNullable<ReturnType<ProofContext["operatorWith"]>>): Promise<Hop[]> {
  const { aws } = ctx;
  const document = aws.all("aws_ssm_document").find((d) => d.config.document_type === "Session");
  const inputs = document ? parseDocumentInputs(ctx, document) : undefined;
  const sessionKey = inputs?.kmsKeyId ? aws.all("aws_kms_key").find((k) => aws.attribute(k.address, "key_id") === inputs.kmsKeyId || aws.attribute(k.address, "arn") === inputs.kmsKeyId) : undefined;
  if (!sessionKey) return [];
  return [await ctx.iamHop("operator may open the encrypted session (kms:GenerateDataKey on the session key)", {
    principal: operator.principal, action: "kms:GenerateDataKey", resource: aws.attribute(sessionKey.address, "arn"), resourceAccount: ctx.account, context: { "aws:userid": operator.userid }, identityPolicies: operator.policies, resourcePolicy: keyPolicy(aws, sessionKey),
  })];
}

/** The preferences demand KMS session encryption and encrypted S3 and CloudWatch logging: the agent does that work. */
async function loggingHops(ctx: ProofContext, kind: InstanceKind): Promise<Hop[]> {
  const { aws } = ctx;
  const document = aws.all("aws_ssm_document").find((d) => d.config.document_type === "Session");
  if (!document) return [unproven("session logging", "no Session document in this stack (preferences managed elsewhere)")];
  const inputs = parseDocumentInputs(ctx, document);
  if (!inputs) return [unproven("session logging", "the preferences document's content is not readable")];
  const principal = ctx.roleArn(kind);
  const policies = ctx.rolePolicies(kind);
  const hops: Hop[] = [];
  const sessionKey = aws.all("aws_kms_key").find((k) => aws.attribute(k.address, "key_id") === inputs.kmsKeyId || aws.attribute(k.address, "arn") === inputs.kmsKeyId);
  if (inputs.kmsKeyId && sessionKey) {
    hops.push(await ctx.iamHop(`${kind.label} may decrypt session data (kms:Decrypt on the session key)`, {
      principal, action: "kms:Decrypt", resource: aws.attribute(sessionKey.address, "arn"), resourceAccount: ctx.account, context: {}, identityPolicies: policies, resourcePolicy: keyPolicy(aws, sessionKey),
    }));
  }
  if (inputs.s3BucketName) {
    const bucket = aws.all("aws_s3_bucket").find((b) => aws.attribute(b.address, "bucket") === inputs.s3BucketName);
    if (bucket) {
      const objectArn = `${aws.attribute(bucket.address, "arn")}/${inputs.s3KeyPrefix ?? ""}session-0abc.log`;
      const viaEndpoint = kind.subnets[0] ? routeFrom(aws, kind.subnets[0], "s3") : undefined;
      const context: Record<string, string> = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "s3:x-amz-server-side-encryption": "aws:kms" };
      if (viaEndpoint?.target === "s3-gateway-endpoint") context["aws:SourceVpce"] = aws.attribute(viaEndpoint.via!.address, "id");
      hops.push(await ctx.iamHop(`${kind.label} may write session logs to S3`, {
        principal, action: "s3:PutObject", resource: objectArn, resourceAccount: ctx.account, context, identityPolicies: policies, resourcePolicy: bucketPolicy(aws, bucket),
      }));
      const encryption = aws.all("aws_s3_bucket_server_side_encryption_configuration").find((e) => aws.pointsAt(e.config.bucket, bucket));
      const bucketKey = aws.referenced(encryption?.config.rule?.[0]?.apply_server_side_encryption_by_default?.kms_master_key_id);
      if (bucketKey) {
        hops.push(await ctx.iamHop(`${kind.label} may encrypt log objects (kms:GenerateDataKey on the bucket key)`, {
          principal, action: "kms:GenerateDataKey", resource: aws.attribute(bucketKey.address, "arn"), resourceAccount: ctx.account, context: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` }, identityPolicies: policies, resourcePolicy: keyPolicy(aws, bucketKey),
        }));
        // S3 decrypts the parts of a multipart upload before completing it (large session logs).
        hops.push(await ctx.iamHop(`${kind.label} may complete multipart log uploads (kms:Decrypt on the bucket key through S3)`, {
          principal, action: "kms:Decrypt", resource: aws.attribute(bucketKey.address, "arn"), resourceAccount: ctx.account, context: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` }, identityPolicies: policies, resourcePolicy: keyPolicy(aws, bucketKey),
        }));
      }
      hops.push(await ctx.iamHop(`${kind.label} may check the log bucket's encryption`, {
        principal, action: "s3:GetEncryptionConfiguration", resource: aws.attribute(bucket.address, "arn"), resourceAccount: ctx.account, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" }, identityPolicies: policies, resourcePolicy: bucketPolicy(aws, bucket),
      }));
    }
  }
  if (inputs.cloudWatchLogGroupName) {
    const arn = `arn:${aws.partition}:logs:${ctx.region}:${ctx.account}:log-group:${inputs.cloudWatchLogGroupName}:log-stream:session-0abc`;
    hops.push(await ctx.iamHop(`${kind.label} may stream session logs to CloudWatch`, { principal, action: "logs:PutLogEvents", resource: arn, resourceAccount: ctx.account, context: {}, identityPolicies: policies }));
  }
  return hops;
}

function parseDocumentInputs(ctx: ProofContext, document: ResourceRef): Record<string, string> | undefined {
  try {
    return ctx.aws.jsonArgument(document.config.content).inputs;
  } catch {
    return undefined;
  }
}

/**
 * Operators reach the database and the cache from their laptop by Session Manager port forwarding
 * through an app server (what `npm run connect -- <env> db|cache` runs): the session document,
 * the instance, the app server's way to the service, and for the cache the IAM token.
 */
export async function portForwardingPaths(ctx: ProofContext): Promise<PathProof[]> {
  if (!ctx.env.access?.sessionManager?.enabled) return [];
  const app = ctx.appServers;
  const operator = ctx.operatorWith("ssm:StartSession");
  if (!app || !operator) {
    const missing = hop("an app server to forward through, and an operator policy that allows StartSession", false, !app ? "no app servers in the stack" : "no customer-managed policy allows ssm:StartSession");
    return [
      ...(ctx.env.dataTier?.database?.enabled ? [path("forward-database", "operator → Session Manager port forwarding → database", [missing])] : []),
      ...(ctx.env.dataTier?.cache?.enabled ? [path("forward-cache", "operator → Session Manager port forwarding → cache", [missing])] : []),
    ];
  }
  const { aws } = ctx;
  const document = `arn:${aws.partition}:ssm:${ctx.region}::document/AWS-StartPortForwardingSessionToRemoteHost`;
  const tags = Object.fromEntries(Object.entries(app.tags).map(([k, v]) => [`ssm:resourceTag/${k}`, v]));
  // The forward runs through the app server's SSM agent: it must be able to register and open its channel.
  const agent = await agentHops(ctx, app);
  const start = async (): Promise<Hop[]> => [
    ...agent,
    await ctx.iamHop("operator may start a session on an app server", { principal: operator.principal, action: "ssm:StartSession", resource: ctx.instanceArn(app), resourceAccount: ctx.account, context: { ...tags, "aws:userid": operator.userid }, identityPolicies: operator.policies }),
    await ctx.iamHop("with the port-forwarding document", { principal: operator.principal, action: "ssm:StartSession", resource: document, resourceAccount: ctx.account, context: { "aws:userid": operator.userid }, identityPolicies: operator.policies }),
  ];
  const proofs: PathProof[] = [];
  const database = aws.all("aws_db_instance")[0];
  if (database) {
    const port = Number(database.config.port);
    const groups = ((database.config.vpc_security_group_ids ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
    const check = networkAllows(aws, endpointOf(app), { label: "the database", groups, cidrs: storeSubnetCidrs(ctx, database) }, "tcp", port);
    const hops: Hop[] = [...(await start()), hop(`app server → database on ${port}`, check.ok, check.detail), ...(await databaseTokenHops(ctx, database))];
    proofs.push(path("forward-database", `operator → Session Manager port forwarding → database:${port} (IAM token)`, hops));
  }
  const cache = aws.all("aws_elasticache_replication_group")[0];
  if (cache) {
    const port = Number(cache.config.port);
    const groups = ((cache.config.security_group_ids ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
    const check = networkAllows(aws, endpointOf(app), { label: "the cache", groups, cidrs: storeSubnetCidrs(ctx, cache) }, "tcp", port);
    const hops: Hop[] = [...(await start()), hop(`app server → cache on ${port}`, check.ok, check.detail)];
    const cacheOperator = ctx.operatorWith("elasticache:Connect");
    const user = aws.all("aws_elasticache_user").find((u) => recordedFacts(u.config).role === "operator");
    if (!cacheOperator || !user) hops.push(hop("operators may mint an IAM token for the cache", false, "no operator policy allows elasticache:Connect, or no operator cache user"));
    else {
      for (const target of [cache, user]) {
        hops.push(await ctx.iamHop(`operator may elasticache:Connect (${target === cache ? "the replication group" : `as ${user.config.user_name}`})`, { principal: cacheOperator.principal, action: "elasticache:Connect", resource: aws.attribute(target.address, "arn"), resourceAccount: ctx.account, context: {}, identityPolicies: cacheOperator.policies }));
        if (target === user) hops.push(cacheUserInGroupHop(ctx, cache, user));
      }
    }
    proofs.push(path("forward-cache", `operator → Session Manager port forwarding → cache:${port} (IAM token)`, hops));
  }
  return proofs;
}

/**
 * IAM database authentication: the operator policy allows rds-db:connect as the operator user of this
 * instance (the dbuser ARN names its DbiResourceId), and not as another user (the master user).
 */
async function databaseTokenHops(ctx: ProofContext, database: ResourceRef): Promise<Hop[]> {
  const { aws } = ctx;
  const user = ctx.output("database_operator_user");
  const operator = ctx.operatorWith("rds-db:connect");
  if (!operator || !user) return [hop("operators may mint an IAM token for the database", false, !user ? "no database_operator_user output" : "no operator policy allows rds-db:connect")];
  const resourceId = aws.attribute(database.address, "resource_id");
  const dbuser = (name: string, id = resourceId) => `arn:${aws.partition}:rds-db:${ctx.region}:${ctx.account}:dbuser:${id}/${name}`;
  const request = (name: string, id?: string) => ({ principal: operator.principal, action: "rds-db:connect", resource: dbuser(name, id), resourceAccount: ctx.account, context: {}, identityPolicies: operator.policies });
  // Another user: the master user (whose password is break-glass), or a made-up one when it is not a literal.
  const master = typeof database.config.username === "string" ? database.config.username : undefined;
  const other = master && master !== user ? master : `${user}_other`;
  return [
    hop("the database accepts IAM authentication", database.config.iam_database_authentication_enabled === true, `iam_database_authentication_enabled = ${database.config.iam_database_authentication_enabled}`),
    await ctx.iamHop(`operator may rds-db:connect as ${user}`, request(user)),
    await ctx.iamHop(`operator may not rds-db:connect as ${other}`, request(other), "Denied"),
    await ctx.iamHop(`operator may not rds-db:connect as ${user} of another instance`, request(user, "db-ANOTHERINSTANCE0000000000"), "Denied"),
  ];
}

/** EC2 Instance Connect: SSH to the app servers (and the database tunnel when on). */
export async function instanceConnectPaths(ctx: ProofContext): Promise<PathProof[]> {
  const eic = ctx.env.access?.instanceConnect;
  const app = ctx.appServers;
  if (!eic?.enabled || !app) return [];
  const { aws } = ctx;
  const endpoint = aws.all("aws_ec2_instance_connect_endpoint")[0];
  const operator = ctx.operatorWith("ec2-instance-connect:OpenTunnel");
  if (!endpoint || !operator) return [path("eic-ssh", "operator → EIC endpoint → app servers:22", [hop("the endpoint and its operator policy exist", false, !endpoint ? "no aws_ec2_instance_connect_endpoint" : "no policy allows ec2-instance-connect:OpenTunnel")])];
  const endpointArn = aws.attribute(endpoint.address, "arn");
  const groups = ((endpoint.config.security_group_ids ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
  const subnet = aws.referenced(endpoint.config.subnet_id);
  const eicEndpoint: Endpoint = { label: "the EIC endpoint", groups, cidrs: subnet ? [subnet.config.cidr_block] : [] };
  const target = firstAddress(app.subnets[0]?.config.cidr_block);
  const tunnel = (port: number, ip: string | undefined, seconds: number) => ({
    principal: operator.principal,
    action: "ec2-instance-connect:OpenTunnel",
    resource: endpointArn,
    resourceAccount: ctx.account,
    context: { "ec2-instance-connect:remotePort": String(port), "ec2-instance-connect:privateIpAddress": ip ?? "0.0.0.0", "ec2-instance-connect:maxTunnelDuration": String(seconds) },
    identityPolicies: operator.policies,
  });
  const proofs: PathProof[] = [];
  const hops: Hop[] = [];
  hops.push(hop("the endpoint has its own security group", groups.length > 0, groups.length ? `groups ${groups.map((g) => aws.get(g)?.config.name ?? g).join(", ")}` : "no group: it would get the VPC's default group, which admits and sends nothing"));
  hops.push(await ctx.iamHop(`operator may open a tunnel to ${target}:22 for ${eic.maxTunnelDurationSeconds} s`, tunnel(22, target, eic.maxTunnelDurationSeconds)));
  hops.push(await ctx.iamHop(`operator may push a key for ${eic.osUsers[0]} to ${app.label} (tags it really carries)`, {
    principal: operator.principal,
    action: "ec2-instance-connect:SendSSHPublicKey",
    resource: ctx.instanceArn(app),
    resourceAccount: ctx.account,
    context: { "ec2:osuser": eic.osUsers[0], ...Object.fromEntries(Object.entries(app.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])) },
    identityPolicies: operator.policies,
  }));
  const ssh = networkAllows(aws, eicEndpoint, endpointOf(app), "tcp", 22);
  hops.push(hop("EIC endpoint → app servers on 22", ssh.ok, ssh.detail));
  hops.push(hop("22 is a port the endpoint tunnels to", true, "EC2 Instance Connect Endpoint tunnels to 22 and 3389 only"));
  proofs.push(path("eic-ssh", "operator → EIC endpoint → app servers:22", hops));

  const database = aws.all("aws_db_instance")[0];
  if (eic.databaseTunnel && database) {
    const port = Number(database.config.port);
    const dbGroups = ((database.config.vpc_security_group_ids ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
    const dataSubnet = ctx.aws.all("aws_subnet").find((s) => s.config.tags?.Tier === "data");
    const dbHops: Hop[] = [
      hop(`${port} is a port the endpoint tunnels to`, [22, 3389].includes(port), `the database listens on ${port}; the endpoint tunnels to 22 and 3389 only`),
      await ctx.iamHop(`operator may open a tunnel to the database on ${port}`, tunnel(port, firstAddress(dataSubnet?.config.cidr_block), eic.maxTunnelDurationSeconds)),
    ];
    const check = networkAllows(aws, eicEndpoint, { label: "the database", groups: dbGroups, cidrs: dataSubnet ? [dataSubnet.config.cidr_block] : [] }, "tcp", port);
    dbHops.push(hop(`EIC endpoint → database on ${port}`, check.ok, check.detail));
    proofs.push(path("eic-database", `operator → EIC endpoint → database:${port}`, dbHops));
  }
  return proofs;
}

/** The optional bastion: SSH from the listed networks, then on to the app servers. */
export async function bastionPaths(ctx: ProofContext): Promise<PathProof[]> {
  const settings = ctx.env.access?.bastion;
  if (!settings?.enabled) return [];
  const bastion = ctx.bastion;
  const { aws } = ctx;
  if (!bastion) return [path("bastion-ssh", "allowed networks → bastion:22", [hop("the bastion exists with a public IP", false, "no aws_instance with a public IP")])];
  const hops: Hop[] = [];
  const instance = bastion.launcher;
  const ami = instance.config.ami;
  const resolvable = !(typeof ami === "string" && ami.startsWith("resolve:ssm:"));
  hops.push(hop("the instance can be created and stays stable", resolvable, resolvable ? (bastion.launchTemplate ? "launched from a launch template (its resolve:ssm: image is resolved by EC2)" : `ami ${ami}`) : `aws_instance ami "${ami}": the provider calls DescribeImages with it (fails with a root_block_device, provider issue 43488) and replaces the instance on every apply (43364)`));
  const subnet = bastion.subnets[0];
  const route = subnet ? internetRoute(aws, subnet, bastion.publicIp) : { ok: false, detail: "no subnet" };
  hops.push(hop("it has a public IP and a route to the internet gateway", route.ok, route.detail));
  for (const cidr of settings.allowedCidrs) {
    const check = networkAllows(aws, { label: cidr, groups: [], cidrs: [cidr] }, endpointOf(bastion), "tcp", 22);
    hops.push(hop(`${cidr} → bastion on 22`, check.ok, check.detail));
  }
  const app = ctx.appServers;
  if (app) {
    const onward = networkAllows(aws, endpointOf(bastion), endpointOf(app), "tcp", 22);
    hops.push(hop("bastion → app servers on 22", onward.ok, onward.detail));
  }
  return [path("bastion-ssh", "allowed networks → bastion:22 → app servers:22", hops)];
}


import type { ProofContext } from "../context";
import { bootFactsOf, bootMatchesHop, partsWith } from "../boot-facts";
import { bucketPolicy, keyPolicy } from "../instances";
import { Endpoint, internetRoute, networkAllows } from "../network";
import { Hop, PathProof, hop, path, unproven } from "../proof";
import type { ResourceRef } from "../stack-model";

const INTERNET: Endpoint = { label: "the internet", groups: [], cidrs: ["0.0.0.0/0"] };

/** internet → (CloudFront + WAF →) ALB → app servers on the app port, and CloudFront → static bucket. */
export async function webPaths(ctx: ProofContext): Promise<PathProof[]> {
  const web = ctx.env.webTier;
  if (!web?.enabled) return [];
  const { aws } = ctx;
  const app = ctx.appServers;
  const alb = aws.all("aws_lb")[0];
  const hops: Hop[] = [];
  if (!alb || !app) return [path("web", "internet → app", [hop("the load balancer and app servers exist", false, "no aws_lb or no Auto Scaling group behind a target group in the stack")])];
  const albGroups = ((alb.config.security_groups ?? []) as unknown[]).map((g) => aws.referenced(g)?.address ?? String(g));
  const albEndpoint: Endpoint = { label: `ALB ${alb.config.name}`, groups: albGroups, cidrs: subnetCidrs(ctx, alb.config.subnets) };
  const appEndpoint: Endpoint = { label: app.label, groups: app.groups, cidrs: app.subnets.map((s) => s.config.cidr_block) };
  const results: PathProof[] = [];
  const distribution = aws.all("aws_cloudfront_distribution")[0];

  if (web.edge.enabled) {
    if (!distribution) return [path("web", "internet → CloudFront → ALB → app", [hop("CloudFront distribution exists", false, "the edge is on but the stack has no aws_cloudfront_distribution")])];
    hops.push(wafHop(ctx, distribution));
    hops.push(...albOriginHops(ctx, distribution, alb, albEndpoint));
  } else {
    hops.push(hop("the ALB is internet-facing", alb.config.internal !== true, `aws_lb ${alb.config.name} internal = ${alb.config.internal ?? false}`));
    const subnet = aws.referenced((alb.config.subnets ?? [])[0]);
    hops.push(subnet ? hop("its subnets route to the internet gateway", internetRoute(aws, subnet, true).ok, internetRoute(aws, subnet, true).detail) : hop("its subnets are known", false, "the ALB names no subnet"));
    hops.push(hop("its security group admits HTTPS from the internet", networkAllows(aws, INTERNET, albEndpoint, "tcp", 443).ok, networkAllows(aws, INTERNET, albEndpoint, "tcp", 443).detail));
  }
  hops.push(...listenerHops(ctx, alb, app));
  const toApp = networkAllows(aws, albEndpoint, appEndpoint, "tcp", web.appPort);
  hops.push(hop(`ALB → app servers on ${web.appPort}`, toApp.ok, toApp.detail));
  hops.push(healthHop(ctx, app));
  results.push(path("web", web.edge.enabled ? "office → CloudFront (WAF) → ALB → app servers" : "internet → ALB → app servers", hops));

  if (web.edge.enabled && distribution) results.push(await staticPath(ctx, distribution));
  return results;
}

function subnetCidrs(ctx: ProofContext, subnets: unknown): string[] {
  return ((subnets ?? []) as unknown[]).map((s) => ctx.aws.referenced(s)?.config.cidr_block).filter((c): c is string => typeof c === "string");
}

function wafHop(ctx: ProofContext, distribution: ResourceRef): Hop {
  const { aws } = ctx;
  const acl = aws.referenced(distribution.config.web_acl_id);
  if (!acl) return hop("WAF in front of CloudFront", false, "the distribution has no web ACL");
  const blocks = acl.config.default_action?.block !== undefined;
  let rules: any[] = [];
  try {
    rules = aws.jsonArgument(acl.config.rule_json ?? "[]");
  } catch {
    return unproven("WAF admits the office", "the web ACL's rules are not plain JSON (an expression the verifier cannot read)");
  }
  rules.sort((a, b) => a.Priority - b.Priority);
  const allowIndex = rules.findIndex((r) => r.Action?.Allow && r.Statement?.IPSetReferenceStatement);
  if (allowIndex < 0) return hop("WAF admits the office", false, "no Allow rule with an IP set");
  const ipSet = aws.all("aws_wafv2_ip_set").find((s) => aws.attribute(s.address, "arn") === rules[allowIndex].Statement.IPSetReferenceStatement.ARN);
  const office = ctx.env.webTier!.edge.officeCidrs;
  const missing = office.filter((cidr) => !(ipSet?.config.addresses ?? []).includes(cidr));
  if (missing.length > 0) return hop("WAF admits the office", false, `the allow rule's IP set lacks ${missing.join(", ")}`);
  // The effective allow set: every Allow rule's addresses, which must all be the office's.
  for (const rule of rules.filter((r) => r.Action?.Allow)) {
    const ref = rule.Statement?.IPSetReferenceStatement;
    if (!ref) return hop("WAF admits only the office", false, `rule ${rule.Name} (priority ${rule.Priority}) allows requests by something other than the office IP set`);
    const set = aws.all("aws_wafv2_ip_set").find((s) => aws.attribute(s.address, "arn") === ref.ARN);
    const extra = ((set?.config.addresses ?? ["(an IP set outside this stack)"]) as string[]).filter((a) => !office.includes(a));
    if (extra.length > 0) return hop("WAF admits only the office", false, `rule ${rule.Name} also allows ${extra.join(", ")}, which webTier.edge.officeCidrs does not list`);
  }
  // A managed group evaluated before the allow rule must not block ordinary office API calls.
  const common = rules.slice(0, allowIndex).find((r) => r.Statement?.ManagedRuleGroupStatement?.Name === "AWSManagedRulesCommonRuleSet");
  const overrides = (common?.Statement.ManagedRuleGroupStatement.RuleActionOverrides ?? []) as any[];
  if (common && !overrides.some((o) => o.Name === "SizeRestrictions_BODY" && o.ActionToUse?.Count)) {
    return hop("WAF admits the office", false, `AWSManagedRulesCommonRuleSet (priority ${common.Priority}) blocks request bodies over 8 KB (SizeRestrictions_BODY) before allow-office: office POSTs to /api/* fail`);
  }
  return hop("WAF admits the office, blocks everyone else", blocks, `web ACL ${acl.config.name}: rule ${rules[allowIndex].Name} allows ${ipSet?.config.addresses.join(", ")}; default action ${blocks ? "Block" : "not Block"}`);
}

function albOriginHops(ctx: ProofContext, distribution: ResourceRef, alb: ResourceRef, albEndpoint: Endpoint): Hop[] {
  const { aws } = ctx;
  const web = ctx.env.webTier!;
  const api = ((distribution.config.ordered_cache_behavior ?? []) as any[]).find((b) => b.path_pattern === "/api/*");
  const origin = ((distribution.config.origin ?? []) as any[]).find((o) => o.origin_id === api?.target_origin_id);
  if (!api || !origin) return [hop("CloudFront sends /api/* to the ALB", false, "no /api/* behavior with an origin")];
  const hops: Hop[] = [];
  const listener = aws.all("aws_lb_listener").find((l) => aws.pointsAt(l.config.load_balancer_arn, alb) && Number(l.config.port) === 443);
  const certificate = certificateOf(ctx, listener?.config.certificate_arn);
  const names = certificate ? [certificate.config.domain_name, ...(certificate.config.subject_alternative_names ?? [])] : [];
  const cloudFront: Endpoint = { label: "CloudFront", groups: [], cidrs: [], prefixLists: web.edge.cloudFrontPrefixListId ? [web.edge.cloudFrontPrefixListId] : [] };
  if (origin.vpc_origin_config) {
    const vpcOrigin = aws.referenced(origin.vpc_origin_config.vpc_origin_id);
    const config = vpcOrigin?.config.vpc_origin_endpoint_config?.[0] ?? vpcOrigin?.config.vpc_origin_endpoint_config;
    hops.push(hop("CloudFront reaches the ALB through a VPC origin", Boolean(config && aws.pointsAt(config.arn, alb)), vpcOrigin ? `aws_cloudfront_vpc_origin ${config?.name} → ${aws.referenced(config?.arn)?.config.name ?? "another resource"}` : "the origin names no VPC origin"));
    hops.push(hop("over HTTPS only", config?.origin_protocol_policy === "https-only", `origin_protocol_policy = ${config?.origin_protocol_policy}`));
    hops.push(hop("the ALB is internal (no public address, no public DNS)", alb.config.internal === true, `aws_lb ${alb.config.name} internal = ${alb.config.internal ?? false}`));
  } else {
    const custom = origin.custom_origin_config;
    hops.push(hop("CloudFront reaches the ALB over HTTPS only", custom?.origin_protocol_policy === "https-only", `origin ${origin.domain_name}: origin_protocol_policy = ${custom?.origin_protocol_policy}`));
    const record = aws.all("aws_route53_record").find((r) => r.config.name === origin.domain_name && aws.pointsAt(r.config.alias?.name, alb));
    hops.push(hop(`${origin.domain_name} resolves to the ALB`, Boolean(record), record ? `Route53 alias ${record.config.name} → ALB` : `no alias record ${origin.domain_name} → ALB`));
    // The origin-facing prefix list holds every customer's distributions: the ALB must demand our secret.
    const headers = (origin.custom_header ?? []) as any[];
    const rule = aws.all("aws_lb_listener_rule").find((r) => aws.pointsAt(r.config.listener_arn, listener!) && ((r.config.condition ?? []) as any[]).some((c) => headers.some((h) => c.http_header?.http_header_name === h.name && (c.http_header.values ?? []).includes(h.value))));
    const deniesOthers = ((listener?.config.default_action ?? []) as any[]).every((a) => a.type === "fixed-response" && String(a.fixed_response?.status_code).startsWith("4"));
    hops.push(hop("only our distribution gets past the ALB (secret origin header)", Boolean(rule) && deniesOthers, rule && deniesOthers ? `listener forwards only with header ${headers[0]?.name}; every other request gets ${listener!.config.default_action[0].fixed_response.status_code}` : "any CloudFront distribution (anyone's) is forwarded: the listener does not demand the secret header CloudFront sends"));
  }
  const admit = networkAllows(aws, cloudFront, albEndpoint, "tcp", 443);
  hops.push(hop("the ALB's security group admits CloudFront on 443", admit.ok, admit.detail));
  hops.push(hop("the ALB's certificate names the origin host CloudFront checks", names.includes(origin.domain_name), certificate ? `certificate for ${names.join(", ")}; the origin host is ${origin.domain_name}` : "certificate brought by ARN: make sure it names the origin host"));
  return hops;
}

function certificateOf(ctx: ProofContext, arnValue: unknown): ResourceRef | undefined {
  const ref = ctx.aws.referenced(arnValue);
  if (ref?.type === "aws_acm_certificate_validation") return ctx.aws.referenced(ref.config.certificate_arn);
  return ref?.type === "aws_acm_certificate" ? ref : undefined;
}

function listenerHops(ctx: ProofContext, alb: ResourceRef, app: NonNullable<ProofContext["appServers"]>): Hop[] {
  const { aws } = ctx;
  const listener = aws.all("aws_lb_listener").find((l) => aws.pointsAt(l.config.load_balancer_arn, alb) && Number(l.config.port) === 443);
  if (!listener) return [hop("the ALB listens on HTTPS", false, "no listener on 443")];
  const forwards = (actions: any[]) => actions.filter((a) => a.type === "forward").map((a) => aws.referenced(a.target_group_arn));
  const rules = aws.all("aws_lb_listener_rule").filter((r) => aws.pointsAt(r.config.listener_arn, listener));
  const groups = [...forwards(listener.config.default_action ?? []), ...rules.flatMap((r) => forwards(r.config.action ?? []))].filter((g): g is ResourceRef => g !== undefined);
  const registered = groups.find((g) => ((app.launcher.config.target_group_arns ?? []) as unknown[]).some((arn) => aws.pointsAt(arn, g)));
  const port = Number(registered?.config.port);
  // The listener on 443 must speak TLS (an HTTP listener on 443 answers CloudFront's TLS with garbage).
  const protocol = String(listener.config.protocol ?? "HTTP").toUpperCase();
  const targetProtocol = String(registered?.config.protocol ?? "").toUpperCase();
  const health = registered?.config.health_check ?? {};
  const healthPort = String(health.port ?? "traffic-port");
  const healthProtocol = String(health.protocol ?? "HTTP").toUpperCase();
  const appPort = ctx.env.webTier!.appPort;
  return [
    hop("the listener on 443 terminates TLS", protocol === "HTTPS" && Boolean(listener.config.ssl_policy) && Boolean(listener.config.certificate_arn), `listener 443: protocol ${protocol}, ssl_policy ${listener.config.ssl_policy ?? "none"}, certificate ${listener.config.certificate_arn ? "set" : "none"}`),
    hop("the HTTPS listener forwards to the app servers' target group", Boolean(registered), registered ? `listener 443 → target group ${registered.config.name} (port ${port}), registered by ${app.label}'s Auto Scaling group` : "no forward action reaches a target group the app servers register with"),
    hop("the target group sends to the app port, in the protocol the app speaks", port === appPort && targetProtocol === "HTTP", `target group ${targetProtocol} ${port}; the app serves plain HTTP on ${appPort}`),
    hop("health checks ask the app port in HTTP", (healthPort === "traffic-port" || Number(healthPort) === appPort) && healthProtocol === "HTTP", `health check ${healthProtocol} on ${healthPort === "traffic-port" ? `the traffic port (${port})` : healthPort}`),
  ];
}

function healthHop(ctx: ProofContext, app: NonNullable<ProofContext["appServers"]>): Hop {
  const web = ctx.env.webTier!;
  const group = ctx.aws.all("aws_lb_target_group")[0];
  const healthPath = group?.config.health_check?.path ?? web.healthCheck.path;
  const name = `the app answers the health check (${healthPath} on ${web.appPort})`;
  const facts = bootFactsOf(app);
  const served = partsWith(facts, "listens").find(({ value }) => value.some((l) => l.port === web.appPort && l.healthPath === healthPath));
  if (served) return hop(name, true, `boot part ${served.part.name} starts a service on ${web.appPort} that answers ${healthPath} (its runtime is tested against real Python)`);
  if (!facts.matches && facts.manifest) return bootMatchesHop(app, facts);
  if (web.servers.bootScriptFile) return unproven(name, `your boot script (${web.servers.bootScriptFile}) must serve ${healthPath} on ${web.appPort}; the verifier cannot run it`);
  if (web.servers.imageId) return unproven(name, `your image (${web.servers.imageId}) must serve ${healthPath} on ${web.appPort}`);
  return hop(name, false, `nothing in the boot script listens on ${web.appPort}: with ELB health checks every instance is marked unhealthy and replaced, over and over`);
}

async function staticPath(ctx: ProofContext, distribution: ResourceRef): Promise<PathProof> {
  const { aws } = ctx;
  const hops: Hop[] = [];
  const defaults = distribution.config.default_cache_behavior;
  const origin = ((distribution.config.origin ?? []) as any[]).find((o) => o.origin_id === defaults?.target_origin_id);
  const bucket = aws.referenced(origin?.domain_name);
  if (!bucket || bucket.type !== "aws_s3_bucket") return path("web-static", "CloudFront → static front end", [hop("the default behavior serves an S3 bucket", false, "the default origin is not a bucket of this stack")]);
  // OAC signs only when its signing behavior is "always" with SigV4 for an S3 origin ("never" sends unsigned requests the bucket policy refuses).
  const oac = aws.referenced(origin.origin_access_control_id);
  const signs = oac?.type === "aws_cloudfront_origin_access_control" && oac.config.signing_behavior === "always" && oac.config.signing_protocol === "sigv4" && oac.config.origin_access_control_origin_type === "s3";
  hops.push(hop("through origin access control (every request signed)", Boolean(signs), oac ? `OAC ${oac.config.name}: signing_behavior ${oac.config.signing_behavior}, protocol ${oac.config.signing_protocol}, origin type ${oac.config.origin_access_control_origin_type}` : "no origin access control of this stack: the bucket would have to be public"));
  const distributionArn = aws.attribute(distribution.address, "arn");
  const objectArn = `${aws.attribute(bucket.address, "arn")}/index.html`;
  const policy = bucketPolicy(aws, bucket);
  hops.push(await ctx.iamHop("the bucket policy lets this distribution read", {
    principal: "cloudfront.amazonaws.com",
    action: "s3:GetObject",
    resource: objectArn,
    resourceAccount: ctx.account,
    context: { "aws:SourceArn": distributionArn, "aws:SourceAccount": ctx.account, "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" },
    identityPolicies: [],
    resourcePolicy: policy,
  }));
  hops.push(await ctx.iamHop("the bucket policy refuses another distribution", {
    principal: "cloudfront.amazonaws.com",
    action: "s3:GetObject",
    resource: objectArn,
    resourceAccount: ctx.account,
    context: { "aws:SourceArn": `arn:${aws.partition}:cloudfront::${ctx.account}:distribution/EOTHERDISTRIBUTION`, "aws:SourceAccount": ctx.account, "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" },
    identityPolicies: [],
    resourcePolicy: policy,
  }, "Denied"));
  const encryption = aws.all("aws_s3_bucket_server_side_encryption_configuration").find((e) => aws.pointsAt(e.config.bucket, bucket));
  const key = aws.referenced(encryption?.config.rule?.[0]?.apply_server_side_encryption_by_default?.kms_master_key_id);
  if (key) {
    hops.push(await ctx.iamHop("the key policy lets this distribution decrypt", {
      principal: "cloudfront.amazonaws.com",
      action: "kms:Decrypt",
      resource: aws.attribute(key.address, "arn"),
      resourceAccount: ctx.account,
      context: { "aws:SourceArn": distributionArn, "aws:SourceAccount": ctx.account },
      identityPolicies: [],
      resourcePolicy: keyPolicy(aws, key),
    }));
  }
  const root = distribution.config.default_root_object ?? "index.html";
  const object = aws.all("aws_s3_object").find((o) => aws.pointsAt(o.config.bucket, bucket) && o.config.key === root);
  hops.push(object ? hop(`${root} exists after apply`, true, `aws_s3_object ${root} (a placeholder until you upload your own)`) : unproven(`${root} exists after apply`, `nothing uploads ${root}: the edge answers 403 until you deploy the front end`));
  return path("web-static", "office → CloudFront → static front end (S3, OAC, KMS)", hops);
}

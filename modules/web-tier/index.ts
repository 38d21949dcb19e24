import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CustomerKey } from "../common/kms-key";
import { SecureBucket } from "../common/secure-bucket";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";
import { AppServers } from "./app-servers";
import { DeployRole } from "../common/deploy-role";
import { defaultAppScript } from "./default-app";
import { DnsValidatedCertificate } from "../common/dns-validated-certificate";
import { elbLogDeliveryStatement } from "./elb-log-delivery";
import { HealthCheck, LoadBalancer } from "./load-balancer";

export { AppServers } from "./app-servers";

/**
 * Who may reach the ALB:
 * - "internet": an internet-facing ALB on 80/443 (no edge);
 * - "cloudfront-vpc-origin": an internal ALB in the app subnets that only a CloudFront VPC origin
 *   reaches (no public address, no public DNS): nobody else's distribution can front it;
 * - "cloudfront-prefix-list": an internet-facing ALB admitting CloudFront's origin-facing prefix
 *   list, which includes every AWS customer's distributions, so the listener also demands a secret
 *   header only our distribution sends.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
 */
export type PublicEntry =
  | { readonly kind: "internet" }
  | { readonly kind: "cloudfront-vpc-origin"; readonly prefixListId: string; readonly originHostname: string }
  | { readonly kind: "cloudfront-prefix-list"; readonly prefixListId: string; readonly originHostname: string; readonly originHeader: { readonly name: string; readonly value: string } };

export interface WebTierProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  readonly domain: string;
  /** @default none */
  readonly subjectAlternativeNames?: string[];
  readonly hostedZoneId: string;
  /** @default a certificate issued by ACM and validated through the hosted zone */
  readonly certificateArn?: string;
  readonly appPort: number;
  readonly healthCheck: HealthCheck;
  /** @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly tlsPolicy?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default 90 */
  readonly accessLogRetentionInDays?: number;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  readonly servers: Omit<ConstructorParameters<typeof AppServers>[2], "namePrefix" | "region" | "subnetIds" | "securityGroup" | "targetGroupArns" | "managedPolicies">;
  /** @default false: read access to the app bucket only, not AmazonS3ReadOnlyAccess (seed 001) */
  readonly useS3ReadOnlyManagedPolicy?: boolean;
  /** @default true when the network has an S3 endpoint: object access only through it */
  readonly appBucketRequiresVpcEndpoint?: boolean;
  /** @default { kind: "internet" } */
  readonly publicEntry?: PublicEntry;
  /** Install the default app (health path, `/api/*` JSON, an index page) at boot. @default true */
  readonly defaultApp?: boolean;
  /** A boot-script part of your own (bash, run as root after the default app, if any). @default none */
  readonly bootScript?: string;
  /** Tags the app servers really carry (operator policies match on them). @default Name only */
  readonly instanceTags?: Record<string, string>;
  /** Who may assume the deploy role. @default principals of the account allowed to by their own policy */
  readonly deployTrustedPrincipalArns?: string[];
}

/**
 * Seed 001's web tier: Route53 → ALB (HTTPS, ACM) → target group → private app servers; the
 * security groups form a chain (internet or CloudFront → ALB → app), and the app reads its own
 * KMS-encrypted bucket through the S3 gateway endpoint.
 */
export class WebTier extends Construct {
  readonly appServers: AppServers;
  readonly loadBalancer: LoadBalancer;
  readonly albSecurityGroup: ManagedSecurityGroup;
  readonly appBucket: SecureBucket;
  /** The role CI assumes to upload the app's files (the only writer from outside the VPC). */
  readonly deployRole: DeployRole;

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const { network } = props;
    const entry = props.publicEntry ?? { kind: "internet" };
    const requireEndpoint = props.appBucketRequiresVpcEndpoint ?? network.s3Endpoint !== undefined;
    if (requireEndpoint && !network.s3Endpoint) throw new Error(`${id}: appBucketRequiresVpcEndpoint needs the network's S3 gateway endpoint`);

    this.albSecurityGroup = network.securityGroup(this, "alb-sg", "alb", "ALB: HTTPS from users, HTTP only to redirect");
    const appGroup = network.securityGroup(this, "app-sg", "app", "App servers: the app port from the ALB only");
    if (entry.kind === "internet") {
      this.albSecurityGroup.allowPublicEntry(443, "HTTPS from the internet");
      this.albSecurityGroup.allowPublicEntry(80, "HTTP from the internet, redirected to HTTPS");
    } else {
      // VPC origins reach the ALB from CloudFront's origin-facing ranges too (AWS: allow the prefix list).
      this.albSecurityGroup.allowFromPrefixList(entry.prefixListId, "cloudfront", 443, "HTTPS from CloudFront origin-facing servers only");
    }
    this.albSecurityGroup.allowTo(appGroup, props.appPort, "HTTP to the app servers");
    appGroup.allowFrom(this.albSecurityGroup, props.appPort, "HTTP from the ALB");
    appGroup.allowToCidr("0.0.0.0/0", 443, "HTTPS out through the NAT gateway and the S3 endpoint (packages, AWS APIs)");

    const names = [...(props.subjectAlternativeNames ?? [])];
    // CloudFront checks the origin's certificate against the origin domain name.
    if (entry.kind !== "internet" && !names.includes(entry.originHostname)) names.push(entry.originHostname);
    const certificateArn =
      props.certificateArn ??
      new DnsValidatedCertificate(this, "certificate", { domain: props.domain, subjectAlternativeNames: names, hostedZoneId: props.hostedZoneId }).certificateArn;

    const logPrefix = "alb";
    const logs = new SecureBucket(this, "access-logs", {
      bucketPrefix: `${props.namePrefix}-alb-logs-`.slice(0, 37),
      // ALB access logs support SSE-S3 only (not SSE-KMS).
      encryption: "s3-managed",
      expireAfterDays: props.accessLogRetentionInDays ?? 90,
      policyStatements: (arn) => [elbLogDeliveryStatement(props.region, props.accountId, arn, logPrefix)],
    });
    const internal = entry.kind === "cloudfront-vpc-origin";
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      namePrefix: props.namePrefix,
      vpcId: network.vpcId,
      internal,
      subnetIds: network.subnetIds(internal ? "app" : "public"),
      requiredHeader: entry.kind === "cloudfront-prefix-list" ? entry.originHeader : undefined,
      securityGroup: this.albSecurityGroup,
      certificateArn,
      appPort: props.appPort,
      healthCheck: props.healthCheck,
      tlsPolicy: props.tlsPolicy,
      deletionProtection: props.deletionProtection,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      accessLogs: { bucket: logs.name, prefix: logPrefix },
      dependsOn: [logs.policy],
    });

    const bucketKey = new CustomerKey(this, "app-bucket-key", {
      region: props.region,
      accountId: props.accountId,
      alias: `${props.namePrefix}-app-bucket`,
      description: "Encrypts the app bucket",
    });
    this.deployRole = new DeployRole(this, "deploy-role", {
      name: `${props.namePrefix}-deploy`,
      region: props.region,
      accountId: props.accountId,
      trustedPrincipalArns: props.deployTrustedPrincipalArns,
    });
    const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
    this.appBucket = new SecureBucket(this, "app-bucket", {
      bucketPrefix: `${props.namePrefix}-app-`.slice(0, 37),
      encryption: { kmsKeyArn: bucketKey.arn },
      policyStatements: (arn) => [
        // Nobody but the deploy role writes, from anywhere (the app servers only read).
        {
          sid: "DenyWritesExceptDeployRole",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:PutObject", "s3:DeleteObject"],
          resources: [`${arn}/*`],
          condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [this.deployRole.arn] }],
        },
        ...(requireEndpoint
          ? [
            {
              // Both conditions must hold: outside the endpoint AND not the deploy role.
              sid: "DenyObjectAccessOutsideVpcEndpoint",
              effect: "Deny",
              principals: [{ type: "*", identifiers: ["*"] }],
              actions: objectActions,
              resources: [`${arn}/*`],
              condition: [
                { test: "StringNotEquals", variable: "aws:SourceVpce", values: [network.s3Endpoint!.id] },
                { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [this.deployRole.arn] },
              ],
            },
          ]
          : []),
      ],
    });
    this.deployRole.grantBucketWrite("AppBucket", this.appBucket.arn, bucketKey.arn, props.region);

    const managed = ["AmazonSSMManagedInstanceCore", ...(props.useS3ReadOnlyManagedPolicy ? ["AmazonS3ReadOnlyAccess"] : [])];
    this.appServers = new AppServers(this, "app-servers", {
      ...props.servers,
      namePrefix: props.namePrefix,
      region: props.region,
      subnetIds: network.subnetIds("app"),
      securityGroup: appGroup,
      targetGroupArns: [this.loadBalancer.targetGroup.arn],
      managedPolicies: managed,
      instanceTags: props.instanceTags,
      // The first instances install packages at boot: they wait for their route out.
      dependsOn: network.routing.appDefaultRoutes,
    });
    if (props.defaultApp ?? true) {
      this.appServers.addUserDataPart("default-app", defaultAppScript({ port: props.appPort, healthPath: props.healthCheck.path, name: props.domain }));
    }
    if (props.bootScript) this.appServers.addUserDataPart("app", props.bootScript);
    if (!props.useS3ReadOnlyManagedPolicy) {
      this.appServers.grant({ sid: "ListAppBucket", actions: ["s3:ListBucket"], resources: [this.appBucket.arn] });
      this.appServers.grant({ sid: "ReadAppBucket", actions: ["s3:GetObject"], resources: [`${this.appBucket.arn}/*`] });
    }
    this.appServers.grant({
      sid: "DecryptAppBucketThroughS3",
      actions: ["kms:Decrypt"],
      resources: [bucketKey.arn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${props.region}.amazonaws.com`] }],
    });

    const aliasTo = (recordId: string, name: string) =>
      new Route53Record(this, recordId, {
        zoneId: props.hostedZoneId,
        name,
        type: "A",
        alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
    // An internal ALB gets no public name: CloudFront reaches it by the VPC origin's ARN.
    if (entry.kind === "internet") aliasTo("dns-app", props.domain);
    else if (entry.kind === "cloudfront-prefix-list") aliasTo("dns-origin", entry.originHostname);
  }
}

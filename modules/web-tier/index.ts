import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CustomerKey } from "../common/kms-key";
import { SecureBucket } from "../common/secure-bucket";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";
import { AppServers } from "./app-servers";
import { DeployRole } from "../common/deploy-role";
import { defaultAppPart } from "./default-app";
import { opaquePart } from "../common/boot/boot-part";
import { DnsValidatedCertificate } from "../common/dns-validated-certificate";
import { elbLogDeliveryStatement } from "./elb-log-delivery";
import { LoadBalancer } from "./load-balancer";
import { fitName } from "../common/name-budget";
import { architectureOf } from "../common/facts/instance-architectures";
import { parseSettings, refusePlacement } from "../common/settings/parse";
import { WebTierSettingsInput, webTierPlacementProblems, webTierSettings } from "./settings";

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
  /** The `webTier` settings (its `edge` part is the Edge module's); validated here with the environment file's schema. */
  readonly settings: WebTierSettingsInput;
  /** @default { kind: "internet" } */
  readonly publicEntry?: PublicEntry;
  /** A boot-script part of your own (bash, run as root after the default app, if any). @default none */
  readonly bootScript?: string;
  /** Tags the app servers really carry (operator policies match on them). @default Name only */
  readonly instanceTags?: Record<string, string>;
}

/**
 * The web tier: Route53 → ALB (HTTPS, ACM) → target group → private app servers; the
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

  /** The ALB (a CloudFront VPC origin points at it). */
  get albArn(): string {
    return this.loadBalancer.alb.arn;
  }

  /** The ALB's DNS name. */
  get albDnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** The only writer of the app (and static) bucket. */
  get deployRoleArn(): string {
    return this.deployRole.arn;
  }

  /** The app's own bucket. */
  get appBucketName(): string {
    return this.appBucket.name;
  }

  /** The app servers' group. */
  get autoScalingGroupName(): string {
    return this.appServers.autoScalingGroupName;
  }

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const { network } = props;
    const settings = parseSettings(webTierSettings, props.settings);
    const entry = props.publicEntry ?? { kind: "internet" };
    const requireEndpoint = settings.appBucketRequiresVpcEndpoint;
    const azsOf = (tier: "public" | "app") => new Set(network.subnets[tier].map((s) => s.az)).size;
    refusePlacement(webTierPlacementProblems(settings, { publicAzs: azsOf("public"), appAzs: azsOf("app"), s3Endpoint: network.s3Endpoint !== undefined }));

    const albPurpose = {
      internet: "ALB (internet-facing): HTTPS from the internet, HTTP only to redirect",
      "cloudfront-vpc-origin": "ALB (internal): HTTPS from the CloudFront VPC origin only",
      "cloudfront-prefix-list": "ALB: HTTPS from CloudFront origin-facing servers only",
    }[entry.kind];
    this.albSecurityGroup = network.securityGroup(this, "alb-sg", "alb", albPurpose);
    const appGroup = network.securityGroup(this, "app-sg", "app", "App servers: the app port from the ALB only");
    if (entry.kind === "internet") {
      this.albSecurityGroup.allowPublicEntry(443, "HTTPS from the internet");
      this.albSecurityGroup.allowPublicEntry(80, "HTTP from the internet, redirected to HTTPS");
    } else {
      // VPC origins reach the ALB from CloudFront's origin-facing ranges too (AWS: allow the prefix list).
      this.albSecurityGroup.allowFromPrefixList(entry.prefixListId, "cloudfront", 443, "HTTPS from CloudFront origin-facing servers only");
    }
    this.albSecurityGroup.connectTo(appGroup, settings.appPort, { egress: "HTTP to the app servers", ingress: "HTTP from the ALB" });
    appGroup.allowToCidr("0.0.0.0/0", 443, "HTTPS out through the NAT gateway and the S3 endpoint (packages, AWS APIs)");

    const names = [...(settings.subjectAlternativeNames)];
    // CloudFront checks the origin's certificate against the origin domain name.
    if (entry.kind !== "internet" && !names.includes(entry.originHostname)) names.push(entry.originHostname);
    const certificateArn =
      settings.certificateArn ??
      new DnsValidatedCertificate(this, "certificate", { domain: settings.domain, subjectAlternativeNames: names, hostedZoneId: settings.hostedZoneId }).certificateArn;

    const logPrefix = "alb";
    const logs = new SecureBucket(this, "access-logs", {
      bucketPrefix: `${fitName(`${props.namePrefix}-alb-logs`, 36)}-`,
      // ALB access logs support SSE-S3 only (not SSE-KMS).
      encryption: "s3-managed",
      expireAfterDays: settings.accessLogRetentionInDays,
      policyStatements: (arn) => [elbLogDeliveryStatement(props.region, props.accountId, arn, logPrefix)],
    });
    const internal = entry.kind === "cloudfront-vpc-origin";
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      namePrefix: props.namePrefix,
      vpcId: network.vpcId,
      internal,
      // Port 80 is admitted only for the internet entry; elsewhere CloudFront speaks HTTPS only
      // (origin protocol policy https-only), so a redirect listener would be unreachable.
      httpRedirect: entry.kind === "internet",
      subnetIds: network.subnetIds(internal ? "app" : "public"),
      requiredHeader: entry.kind === "cloudfront-prefix-list" ? entry.originHeader : undefined,
      securityGroup: this.albSecurityGroup,
      certificateArn,
      appPort: settings.appPort,
      healthCheck: settings.healthCheck,
      tlsPolicy: settings.tlsPolicy,
      deletionProtection: settings.deletionProtection,
      deregistrationDelaySeconds: settings.deregistrationDelaySeconds,
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
      name: fitName(`${props.namePrefix}-deploy`, 64),
      region: props.region,
      accountId: props.accountId,
      github: settings.deploy.githubRepository
        ? {
          repository: settings.deploy.githubRepository,
          branch: settings.deploy.githubBranch,
          environment: settings.deploy.githubEnvironment,
          oidcProvider: settings.deploy.githubOidcProvider,
        }
        : undefined,
      trustedPrincipalArns: settings.deploy.trustedPrincipalArns,
    });
    const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
    this.appBucket = new SecureBucket(this, "app-bucket", {
      bucketPrefix: `${fitName(`${props.namePrefix}-app`, 36)}-`,
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

    const managed = ["AmazonSSMManagedInstanceCore", ...(settings.useS3ReadOnlyManagedPolicy ? ["AmazonS3ReadOnlyAccess"] : [])];
    this.appServers = new AppServers(this, "app-servers", {
      instanceType: settings.servers.instanceType,
      architecture: settings.servers.imageArchitecture ?? architectureOf(settings.servers.instanceType),
      imageId: settings.servers.imageId,
      minSize: settings.servers.minSize,
      maxSize: settings.servers.maxSize,
      desiredCapacity: settings.servers.desiredCapacity,
      rootVolumeGiB: settings.servers.rootVolumeGiB,
      keyPairName: settings.servers.keyPairName,
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
    if (settings.servers.defaultApp) {
      this.appServers.addBootPart(defaultAppPart({ port: settings.appPort, healthPath: settings.healthCheck.path, name: settings.domain }));
    }
    if (props.bootScript) this.appServers.addBootPart(opaquePart("app", "your own boot script (webTier.servers.bootScriptFile)", props.bootScript));
    if (!settings.useS3ReadOnlyManagedPolicy) {
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
        zoneId: settings.hostedZoneId,
        name,
        type: "A",
        alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
    // An internal ALB gets no public name: CloudFront reaches it by the VPC origin's ARN.
    if (entry.kind === "internet") aliasTo("dns-app", settings.domain);
    else if (entry.kind === "cloudfront-prefix-list") aliasTo("dns-origin", entry.originHostname);
  }
}

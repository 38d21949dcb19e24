import { Construct } from "constructs";
import { fitName } from "../common/name-budget";
import { parseSettings } from "../common/settings/parse";
import { EdgeSettingsInput, edgeSettings } from "./settings";
import type { TerraformProvider } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Lazy } from "cdktf";
import type { CloudfrontDistributionOrigin } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontVpcOrigin } from "@cdktf/provider-aws/lib/cloudfront-vpc-origin";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { DeployRole } from "../common/deploy-role";
import { CustomerKey } from "../common/kms-key";
import { SecureBucket } from "../common/secure-bucket";
import { DnsValidatedCertificate } from "../common/dns-validated-certificate";
import { EdgeFirewall } from "./waf";

/** AWS managed CloudFront policies (ids are the same in every account). */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** The hosted zone id every CloudFront alias record uses. */
const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

export interface EdgeProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  /**
   * How CloudFront reaches the ALB. "vpc-origin": a CloudFront VPC origin to the internal ALB (by
   * its ARN; `hostname` is on the ALB's certificate and is what CloudFront checks it against).
   * "public": the internet-facing ALB at `hostname`, sending `header` (the ALB forwards only
   * requests that carry it).
   */
  readonly origin:
    | { readonly kind: "vpc-origin"; readonly albArn: string; readonly hostname: string }
    | { readonly kind: "public"; readonly hostname: string; readonly header: { readonly name: string; readonly value: string } };
  /** The role allowed to upload the static front end. @default none */
  readonly deployRole?: DeployRole;
  readonly usEast1: TerraformProvider;
  /** The `webTier.edge` settings; validated here with the environment file's schema. */
  readonly settings: EdgeSettingsInput;
}

/**
 * The edge: CloudFront serves the static front end from S3 (origin access control, KMS) and sends
 * `/api/*` to the ALB over HTTPS with caching off; a WAF allow-lists the office in front of both.
 */
export class Edge extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly staticBucket: SecureBucket;

  /** The distribution's domain. */
  get domainName(): string {
    return this.distribution.domainName;
  }

  /** Where the static front end is uploaded. */
  get staticBucketName(): string {
    return this.staticBucket.name;
  }

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const settings = parseSettings(edgeSettings, props.settings);
    const firewall = new EdgeFirewall(this, "waf", {
      namePrefix: props.namePrefix,
      accountId: props.accountId,
      officeCidrs: settings.officeCidrs,
      blockResponseBody: settings.blockResponseBody,
      usEast1: props.usEast1,
      logRetentionInDays: settings.wafLogRetentionInDays,
    });
    const certificateArn =
      settings.certificateArn ??
      new DnsValidatedCertificate(this, "certificate", { domain: props.domain, hostedZoneId: props.hostedZoneId, provider: props.usEast1 }).certificateArn;

    const key = new CustomerKey(this, "static-key", {
      region: props.region,
      accountId: props.accountId,
      alias: `${props.namePrefix}-static`,
      description: "Encrypts the static front-end bucket; only this environment's distribution may decrypt",
    });
    const oac = new CloudfrontOriginAccessControl(this, "oac", {
      // Origin access control names: at most 64 characters.
      name: fitName(`${props.namePrefix}-static`, 64),
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    this.staticBucket = new SecureBucket(this, "static-bucket", {
      bucketPrefix: `${fitName(`${props.namePrefix}-static`, 36)}-`,
      encryption: { kmsKeyArn: key.arn },
      // Pinned to this distribution (its ARN is known only after it exists; the policy waits for it).
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
      policyStatements: (arn) => [
        {
          sid: "CloudFrontReadsThroughOac",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
          actions: ["s3:GetObject"],
          resources: [`${arn}/*`],
          condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [Lazy.stringValue({ produce: () => this.distribution.arn })] }],
        },
      ],
    });
    if (props.deployRole) props.deployRole.grantBucketWrite("StaticBucket", this.staticBucket.arn, key.arn, props.region);

    let albOrigin: CloudfrontDistributionOrigin;
    if (props.origin.kind === "vpc-origin") {
      const vpcOrigin = new CloudfrontVpcOrigin(this, "vpc-origin", {
        vpcOriginEndpointConfig: [
          {
            name: `${props.namePrefix}-alb`,
            arn: props.origin.albArn,
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: [{ items: ["TLSv1.2"], quantity: 1 }],
          },
        ],
        // AWS: a VPC origin takes up to 15 minutes to deploy.
        timeouts: { create: "30m", update: "30m", delete: "30m" },
      });
      albOrigin = { originId: "alb", domainName: props.origin.hostname, vpcOriginConfig: { vpcOriginId: vpcOrigin.id } };
    } else {
      albOrigin = {
        originId: "alb",
        domainName: props.origin.hostname,
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
        customHeader: [{ name: props.origin.header.name, value: props.origin.header.value }],
      };
    }

    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${props.namePrefix} front end and API`,
      aliases: [props.domain],
      defaultRootObject: "index.html",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: settings.priceClass,
      webAclId: firewall.webAclArn,
      origin: [
        { originId: "static", domainName: this.staticBucket.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
        albOrigin,
      ],
      defaultCacheBehavior: {
        targetOriginId: "static",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: CACHING_OPTIMIZED,
        compress: true,
      },
      orderedCacheBehavior: [
        {
          pathPattern: "/api/*",
          targetOriginId: "alb",
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: CACHING_DISABLED,
          originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
        },
      ],
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    });
    key.addServiceStatement({
      sid: "CloudFrontDecryptsForThisDistribution",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
      actions: ["kms:Decrypt"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [this.distribution.arn] }],
    });
    if (settings.placeholderIndex) {
      // So the edge serves a page right after apply; your own upload replaces it and Terraform leaves it be.
      new S3Object(this, "placeholder-index", {
        bucket: this.staticBucket.name,
        key: "index.html",
        contentType: "text/html; charset=utf-8",
        content: placeholderIndexHtml(props.domain),
        lifecycle: { ignoreChanges: "all" },
        dependsOn: [this.staticBucket.encryptionConfiguration],
      });
    }
    for (const type of ["A", "AAAA"]) {
      new Route53Record(this, `dns-${type.toLowerCase()}`, {
        zoneId: props.hostedZoneId,
        name: props.domain,
        type,
        alias: { name: this.distribution.domainName, zoneId: CLOUDFRONT_ZONE_ID, evaluateTargetHealth: false },
      });
    }
  }
}

function placeholderIndexHtml(domain: string): string {
  const safe = domain.replace(/[^a-z0-9.-]/g, "");
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>' + safe + "</title></head>",
    "<body><h1>" + safe + "</h1>",
    "<p>This placeholder comes from private-access. Upload your front end to the static bucket with the deploy role.</p>",
    '<p>API health: <a href="/api/health">/api/health</a></p>',
    "</body></html>",
    "",
  ].join("\n");
}

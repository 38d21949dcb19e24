import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { partitionOf } from "../common/arn";
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
  /** Host name that resolves to the ALB and is on its certificate (CloudFront checks it). */
  readonly originHostname: string;
  readonly officeCidrs: string[];
  readonly blockResponseBody: string;
  readonly usEast1: TerraformProvider;
  /** @default a certificate issued in us-east-1 and validated through the hosted zone */
  readonly certificateArn?: string;
  /** @default "PriceClass_200" */
  readonly priceClass?: string;
  /** @default 365 */
  readonly wafLogRetentionInDays?: number;
}

/**
 * Seed 004: CloudFront serves the static front end from S3 (origin access control, KMS) and sends
 * `/api/*` to the ALB over HTTPS with caching off; a WAF allow-lists the office in front of both.
 */
export class Edge extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly staticBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const distributionsOfAccount = `arn:${partition}:cloudfront::${props.accountId}:distribution/*`;
    const firewall = new EdgeFirewall(this, "waf", {
      namePrefix: props.namePrefix,
      accountId: props.accountId,
      officeCidrs: props.officeCidrs,
      blockResponseBody: props.blockResponseBody,
      usEast1: props.usEast1,
      logRetentionInDays: props.wafLogRetentionInDays,
    });
    const certificateArn =
      props.certificateArn ??
      new DnsValidatedCertificate(this, "certificate", { domain: props.domain, hostedZoneId: props.hostedZoneId, provider: props.usEast1 }).certificateArn;

    const key = new CustomerKey(this, "static-key", {
      region: props.region,
      accountId: props.accountId,
      alias: `${props.namePrefix}-static`,
      description: "Encrypts the static front-end bucket; CloudFront may decrypt for this account's distributions",
      serviceStatements: [
        {
          sid: "CloudFrontDecryptsForOwnDistributions",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
          actions: ["kms:Decrypt"],
          resources: ["*"],
          condition: [{ test: "ArnLike", variable: "AWS:SourceArn", values: [distributionsOfAccount] }],
        },
      ],
    });
    const oac = new CloudfrontOriginAccessControl(this, "oac", {
      name: `${props.namePrefix}-static`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    this.staticBucket = new SecureBucket(this, "static-bucket", {
      bucketPrefix: `${props.namePrefix}-static-`.slice(0, 37),
      encryption: { kmsKeyArn: key.arn },
      policyStatements: (arn) => [
        {
          sid: "CloudFrontReadsThroughOac",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
          actions: ["s3:GetObject"],
          resources: [`${arn}/*`],
          condition: [{ test: "ArnLike", variable: "AWS:SourceArn", values: [distributionsOfAccount] }],
        },
      ],
    });

    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${props.namePrefix} front end and API`,
      aliases: [props.domain],
      defaultRootObject: "index.html",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: props.priceClass ?? "PriceClass_200",
      webAclId: firewall.webAclArn,
      origin: [
        { originId: "static", domainName: this.staticBucket.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
        {
          originId: "alb",
          domainName: props.originHostname,
          customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
        },
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

import { z } from "zod";
import { acmCertificateArn, certificateLocation, logRetentionDays, sourceCidr } from "../common/settings/fields";

/** The `webTier.edge` section: CloudFront + WAF in front of the ALB. */
export const edgeSettings = z
  .strictObject({
    enabled: z.boolean().default(false).meta({ description: "CloudFront + WAF in front of the ALB (on in the example)" }),
    officeCidrs: z
      .array(sourceCidr("webTier.edge.officeCidrs", { publicOnly: true }))
      .default([])
      .meta({ type: "list of public IPv4 CIDRs, /16 or narrower", description: "addresses the WAF lets in (required, non-empty, when the edge is on); CloudFront and the WAF see public source addresses only, so private ranges are refused" }),
    cloudFrontPrefixListId: z
      .string()
      .regex(/^pl-[0-9a-f]{8,17}$/, "must be a prefix list id such as pl-22a6434b")
      .optional()
      .meta({
        type: "prefix list id",
        default: "the region's, when known",
        description: "id of `com.amazonaws.global.cloudfront.origin-facing` in `aws.region` (`aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`); required with the edge in a region whose id the project does not list",
      }),
    certificateArn: acmCertificateArn()
      .optional()
      .meta({ type: "ACM ARN in us-east-1", default: "issued", description: "CloudFront only uses us-east-1 certificates; by default one is issued there" }),
    blockResponseBody: z.string().min(1).max(4096).default("Access denied.").meta({ type: "text", description: "body of the WAF's 403" }),
    priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_200").meta({ description: "CloudFront price class" }),
    wafLogRetentionInDays: logRetentionDays(365).meta({ description: "WAF log retention" }),
    originAccess: z.enum(["vpc-origin", "prefix-list"]).default("vpc-origin").meta({
      description:
        "how CloudFront reaches the ALB: a CloudFront VPC origin to an **internal** ALB (no public address, no public DNS), or an internet-facing ALB admitting CloudFront's prefix list **and** demanding a secret origin header",
    }),
    placeholderIndex: z.boolean().default(true).meta({ description: "upload a placeholder `index.html` so the edge serves a page right after apply (your own upload replaces it; Terraform leaves it alone)" }),
  })
  .superRefine((edge, ctx) => {
    if (edge.enabled && edge.officeCidrs.length === 0) {
      ctx.addIssue({ code: "custom", path: ["officeCidrs"], message: "must list at least one office CIDR when the edge is on (the WAF blocks everyone else)" });
    }
    const region = edge.certificateArn ? certificateLocation(edge.certificateArn)?.region : undefined;
    if (region && region !== "us-east-1") {
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
      ctx.addIssue({ code: "custom", path: ["certificateArn"], message: `"${edge.certificateArn}" is in ${region}; CloudFront only uses certificates in us-east-1` });
    }
  });

export type EdgeSettings = z.output<typeof edgeSettings>;
export type EdgeSettingsInput = z.input<typeof edgeSettings>;

import { TerraformOutput } from "cdktf";
import { Edge } from "../../../modules/edge";
import { PublicEntry, WebTier } from "../../../modules/web-tier";
import { OriginSecret } from "../../../modules/edge/origin-secret";
import { cloudFrontOriginFacingPrefixList } from "../../../modules/common/facts/cloudfront-prefix-lists";
import { fromSection } from "./settings-scope";
import type { AwsEnvironmentStack } from "../aws-stack";
import { awsProvider } from "../aws-provider";

export interface WebTierFeature {
  readonly webTier: WebTier;
  readonly edge?: Edge;
}

/** The web tier (ALB and app servers) and, when switched on, the CloudFront + WAF edge. */
export function addWebTier(stack: AwsEnvironmentStack): WebTierFeature | undefined {
  const { env } = stack;
  const web = env.webTier;
  if (!web || !web.enabled) return undefined;
  const edgeOn = web.edge.enabled;
  const originHostname = `origin.${web.domain}`;
  // Checked at load: given, or known for the region.
  const prefixListId = (web.edge.cloudFrontPrefixListId ?? cloudFrontOriginFacingPrefixList(env.aws.region))!;
  const originSecret = edgeOn && web.edge.originAccess === "prefix-list" ? new OriginSecret(stack, "origin-secret") : undefined;
  const publicEntry: PublicEntry = !edgeOn
    ? { kind: "internet" }
    : originSecret
      ? { kind: "cloudfront-prefix-list", prefixListId, originHostname, originHeader: originSecret.header }
      : { kind: "cloudfront-vpc-origin", prefixListId, originHostname };
  const webTier = fromSection(env, ["webTier"], () =>
    new WebTier(stack, "web-tier", {
      namePrefix: stack.namePrefix,
      region: env.aws.region,
      accountId: env.aws.accountId,
      network: stack.network,
      settings: web,
      publicEntry,
      bootScript: env.webBootScript,
      instanceTags: stack.providerTags,
    }),
  );
  let edge: Edge | undefined;
  if (edgeOn) {
    const usEast1 = awsProvider(stack, "aws-us-east-1", {
      alias: "us-east-1",
      region: "us-east-1",
      offline: stack.options.offline,
      tags: stack.providerTags,
    });
    edge = fromSection(env, ["webTier", "edge"], () =>
      new Edge(stack, "edge", {
        namePrefix: stack.namePrefix,
        region: env.aws.region,
        accountId: env.aws.accountId,
        domain: web.domain,
        hostedZoneId: web.hostedZoneId,
        origin: originSecret
          ? { kind: "public", hostname: originHostname, header: originSecret.header }
          : { kind: "vpc-origin", albArn: webTier.albArn, hostname: originHostname },
        deployRole: webTier.deployRole,
        usEast1,
        settings: web.edge,
      }),
    );
    new TerraformOutput(stack, "cloudfront_domain_name", { value: edge.domainName, description: "CloudFront distribution domain" });
    new TerraformOutput(stack, "static_bucket", { value: edge.staticBucketName, description: "Upload the static front end here" });
  }
  new TerraformOutput(stack, "app_url", { value: `https://${web.domain}`, description: "The app's address" });
  new TerraformOutput(stack, "alb_dns_name", { value: webTier.albDnsName, description: "ALB DNS name" });
  new TerraformOutput(stack, "deploy_role_arn", { value: webTier.deployRoleArn, description: "Assume this role to upload to the app (and static) bucket: the only writer" });
  new TerraformOutput(stack, "app_bucket", { value: webTier.appBucketName, description: "The app's own bucket (read through the S3 endpoint)" });
  new TerraformOutput(stack, "app_autoscaling_group", { value: webTier.autoScalingGroupName, description: "App servers' Auto Scaling group" });
  return { webTier, edge };
}

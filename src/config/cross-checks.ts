import type { CidrPlan } from "../../modules/network/cidr/plan";
import { ConfigError } from "./errors";
import type { EnvironmentFile } from "./schema";
import { crossCheckAccess } from "./sections/access";
import { crossCheckCloudflareTunnel } from "./sections/cloudflare-tunnel";
import { crossCheckDataTier } from "./sections/data-tier";
import { crossCheckWebTier } from "./sections/web-tier";

/** Rules that span several fields, run after the schema and the CIDR planner have passed. */
export function crossCheck(file: string, env: EnvironmentFile, plan: CidrPlan): ConfigError[] {
  const errors: ConfigError[] = [];
  const region = env.aws.region;
  env.network.availabilityZones.forEach((az, index) => {
    if (!az.startsWith(region) || !/^[a-z]$/.test(az.slice(region.length))) {
      errors.push(
        new ConfigError(file, `network.availabilityZones[${index}]`, `"${az}" is not an AZ of aws.region ${region}`),
      );
    }
  });
  const publicSubnets = plan.subnets.filter((s) => s.tier === "public");
  if (env.network.natGateways !== "none" && publicSubnets.length === 0) {
    errors.push(
      new ConfigError(
        file,
        "network.natGateways",
        `"${env.network.natGateways}" needs a public subnet for the NAT gateway; add one or set natGateways: none`,
      ),
    );
  }
  const backend = env.backend;
  if (backend.type === "s3" && backend.locking === "dynamodb" && !backend.dynamodbTable) {
    errors.push(new ConfigError(file, "backend.dynamodbTable", 'is required when backend.locking is "dynamodb"'));
  }
  if (backend.type === "s3" && backend.locking === "lockfile" && backend.dynamodbTable) {
    errors.push(
      new ConfigError(file, "backend.dynamodbTable", 'is set but backend.locking is "lockfile"; set locking: dynamodb or remove it'),
    );
  }
  errors.push(...crossCheckWebTier(file, env.webTier, region, plan, env.network.s3GatewayEndpoint));
  const webOn = env.webTier?.enabled === true;
  const otherCidrs = [...(env.webTier?.edge.officeCidrs ?? []), ...(env.access?.bastion?.allowedCidrs ?? [])];
  errors.push(...crossCheckCloudflareTunnel(file, env.cloudflareTunnel, webOn, env.network.natGateways));
  errors.push(...crossCheckAccess(file, env.access, plan, env.dataTier, webOn, otherCidrs));
  errors.push(...crossCheckDataTier(file, env.dataTier, plan, env.webTier?.enabled ? env.webTier.appPort : undefined));
  return errors;
}

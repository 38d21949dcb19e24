import { isPrivateRange, mustParse, overlaps, parseIpv4Cidr } from "../../modules/network/cidr/ipv4";
import type { CidrPlan, Tier } from "../../modules/network/cidr/plan";
import { databasePlacementProblems, databasePort } from "../../modules/database/settings";
import { cachePlacementProblems } from "../../modules/cache/settings";
import { webTierPlacementProblems } from "../../modules/web-tier/settings";
import { PlacementProblem, formatPath } from "../../modules/common/settings/parse";
import { EIC_TUNNEL_PORTS } from "../../modules/instance-connect/settings";
import { cloudFrontOriginFacingPrefixList } from "../../modules/common/facts/cloudfront-prefix-lists";
import { certificateLocation } from "../../modules/common/settings/fields";
import { ConfigError } from "./errors";
import type { EnvironmentFile } from "./schema";

/**
 * Rules that span capabilities, or need the region, the account or the subnet plan, run after the
 * schema (which holds every rule within one capability) and the CIDR planner have passed.
 */
export function crossCheck(file: string, env: EnvironmentFile, plan: CidrPlan): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (field: string, problem: string) => errors.push(new ConfigError(file, field, problem));
  /** A module's own placement rule, run on the planned subnets, reported under the module's section. */
  const placement = (section: readonly string[], problems: readonly PlacementProblem[]) => {
    for (const { path, problem } of problems) at(formatPath([...section, ...path]), problem);
  };
  const { region, accountId } = env.aws;
  const azsOf = (tier: Tier) => new Set(plan.subnets.filter((s) => s.tier === tier).map((s) => s.az)).size;
  if (env.network.natGateways !== "none" && azsOf("public") === 0) {
    at("network.natGateways", `"${env.network.natGateways}" needs a public subnet for the NAT gateway; add one or set natGateways: none`);
  }
  /**
   * An ACM certificate must be in this account (ACM certificates are not shared) and, where the
   * region comes from aws.region, in that region (CloudFront's us-east-1 rule is the edge schema's).
   */
  const checkCertificate = (field: string, arn: string | undefined, wantRegion?: string, why?: string) => {
    const where = arn ? certificateLocation(arn) : undefined;
    if (!where) return;
    if (wantRegion && where.region !== wantRegion) at(field, `"${arn}" is in ${where.region}; ${why} needs a certificate in ${wantRegion}`);
    else if (where.accountId !== accountId) at(field, `"${arn}" belongs to account ${where.accountId}, not aws.accountId ${accountId}: ACM certificates cannot be used across accounts`);
  };

  const web = env.webTier?.enabled ? env.webTier : undefined;
  if (web) {
    placement(["webTier"], webTierPlacementProblems(web, { publicAzs: azsOf("public"), appAzs: azsOf("app"), s3Endpoint: env.network.s3GatewayEndpoint }));
    checkCertificate("webTier.certificateArn", web.certificateArn, region, "the ALB (aws.region)");
    checkCertificate("webTier.edge.certificateArn", web.edge.enabled ? web.edge.certificateArn : undefined);
    if (web.edge.enabled && !web.edge.cloudFrontPrefixListId && !cloudFrontOriginFacingPrefixList(region)) {
      at("webTier.edge.cloudFrontPrefixListId", `is required in ${region} (the project does not know this region's id): the id of com.amazonaws.global.cloudfront.origin-facing (aws ec2 describe-managed-prefix-lists)`);
    }
  }

  const data = env.dataTier;
  const db = data?.database?.enabled ? data.database : undefined;
  const cache = data?.cache?.enabled ? data.cache : undefined;
  if (db) {
    const port = databasePort(db);
    if (web && port === web.appPort) at("dataTier.database.port", `${port} collides with webTier.appPort`);
    placement(["dataTier", "database"], databasePlacementProblems(azsOf("data")));
  }
  if (cache) {
    placement(["dataTier", "cache"], cachePlacementProblems(cache, plan.subnets.filter((s) => s.tier === "data").length, azsOf("data")));
    if (web && cache.port === web.appPort) at("dataTier.cache.port", `${cache.port} collides with webTier.appPort`);
    if (db && cache.port === databasePort(db)) at("dataTier.cache.port", `${cache.port} collides with dataTier.database.port`);
  }

  const access = env.access;
  const eic = access?.instanceConnect?.enabled ? access.instanceConnect : undefined;
  if (eic) {
    if (!web) at("access.instanceConnect.enabled", "needs the web tier's app servers to connect to (webTier)");
    if (azsOf("app") === 0) at("access.instanceConnect.enabled", "needs an app subnet for the endpoint");
    if (eic.databaseTunnel) {
      if (!db) at("access.instanceConnect.databaseTunnel", "needs dataTier.database");
      else if (!(EIC_TUNNEL_PORTS as readonly number[]).includes(databasePort(db))) {
        at("access.instanceConnect.databaseTunnel", `needs dataTier.database.port 22 or 3389: the EC2 Instance Connect Endpoint tunnels only to those ports (it is ${databasePort(db)}; move it to 3389)`);
      }
    }
  }
  if (access?.sessionManager?.enabled && !web) at("access.sessionManager.enabled", "needs the web tier's app servers (webTier)");
  const vpn = access?.clientVpn?.enabled ? access.clientVpn : undefined;
  if (vpn) {
    const vpc = mustParse(plan.vpcCidr);
    const parsed = parseIpv4Cidr(vpn.clientCidr);
    // Ranges of other fields were checked by the schema, so an overlap here is the client range's fault.
    const others = [...(web?.edge.officeCidrs ?? []), ...(access?.bastion?.enabled ? access.bastion.allowedCidrs : [])];
    if (!parsed.ok) at("access.clientVpn.clientCidr", `${vpn.clientCidr} ${parsed.problem}`);
    else {
      const prefix = parsed.block.prefixLength;
      if (prefix < 12 || prefix > 22) at("access.clientVpn.clientCidr", `${vpn.clientCidr} must be between /12 and /22 (AWS Client VPN limits; it cannot be changed later, so size it at twice the expected connections)`);
      else if (!isPrivateRange(parsed.block)) at("access.clientVpn.clientCidr", `${vpn.clientCidr} is not a private range`);
      else if (overlaps(parsed.block, vpc)) at("access.clientVpn.clientCidr", `${vpn.clientCidr} overlaps the VPC ${plan.vpcCidr}`);
      else {
        const clash = others.find((cidr) => overlaps(mustParse(cidr), parsed.block));
        if (clash) at("access.clientVpn.clientCidr", `${vpn.clientCidr} overlaps the configured network ${clash}`);
      }
    }
    (vpn.dnsServers ?? []).forEach((server, index) => {
      const address = parseIpv4Cidr(`${server}/32`);
      if (!address.ok) at(`access.clientVpn.dnsServers[${index}]`, `${server} is not an IPv4 address`);
      else if (!overlaps(address.block, vpc)) {
        at(`access.clientVpn.dnsServers[${index}]`, `${server} is outside the VPC ${plan.vpcCidr}: the tunnel is split, so only VPC addresses are reachable through it`);
      }
    });
    const dataSubnets = plan.subnets.filter((s) => s.tier === "data");
    if (dataSubnets.length === 0) at("access.clientVpn.enabled", "needs data subnets to associate with");
    const tooSmall = dataSubnets.find((s) => s.prefixLength > 27);
    if (tooSmall) at("access.clientVpn.enabled", `data subnet ${tooSmall.cidr} is smaller than /27, which Client VPN target networks need`);
    if (vpn.certificates.source === "acm") {
      checkCertificate("access.clientVpn.certificates.serverCertificateArn", vpn.certificates.serverCertificateArn, region, "the Client VPN endpoint (aws.region)");
      checkCertificate("access.clientVpn.certificates.clientRootCertificateArn", vpn.certificates.clientRootCertificateArn, region, "the Client VPN endpoint (aws.region)");
    }
  }
  if (access?.bastion?.enabled) {
    if (azsOf("public") === 0) at("access.bastion.enabled", "needs a public subnet");
    if (!web) at("access.bastion.enabled", "needs the web tier's app servers to reach (webTier)");
  }

  const tunnel = env.cloudflareTunnel?.enabled ? env.cloudflareTunnel : undefined;
  if (tunnel?.mode === "remote") {
    if (!web) at("cloudflareTunnel.mode", '"remote" runs cloudflared on the app servers and needs webTier');
    if (env.network.natGateways === "none") {
      at("cloudflareTunnel.mode", '"remote" runs cloudflared on the app servers, which need a route to the internet (Cloudflare\'s edge on TCP/UDP 7844 and TCP 443); network.natGateways is "none"');
    }
  }
  // One name, one DNS provider: a tunnel hostname that Route53 also answers (the web domain, the
  // edge's origin name, the certificate's names) resolves to whichever provider the zone is delegated to.
  if (tunnel && web) {
    const route53Names = new Set([web.domain, `origin.${web.domain}`, ...(web.subjectAlternativeNames ?? [])].map((n) => n.toLowerCase()));
    tunnel.ingress.forEach((rule, index) => {
      if (rule.hostname && route53Names.has(rule.hostname.toLowerCase())) {
        at(`cloudflareTunnel.ingress[${index}].hostname`, `"${rule.hostname}" is also a name the web tier writes in Route53 (webTier.domain ${web.domain}): one name can be answered by one DNS provider only; give the tunnel its own host name`);
      }
    });
  }
  return errors;
}

import { z } from "zod";
import { bastionSettings } from "../../modules/bastion/settings";
import { cacheSettings } from "../../modules/cache/settings";
import { clientVpnSettings } from "../../modules/client-vpn/settings";
import { cloudflareTunnelSettings } from "../../modules/cloudflare-tunnel/settings";
import { databaseSettings } from "../../modules/database/settings";
import { instanceConnectSettings } from "../../modules/instance-connect/settings";
import { networkSettings } from "../../modules/network/settings";
import { sessionManagerSettings } from "../../modules/session-manager/settings";
import { webTierSettings } from "../../modules/web-tier/settings";
import { awsRegion } from "../../modules/common/settings/fields";
import { backendSettings } from "./sections/backend";
import { tagsSettings } from "./sections/tags";

/**
 * The environment file's schema, composed from the schemas each capability's module owns
 * (`modules/<capability>/settings.ts`): one definition of every field, its limits, default and
 * description. Objects are strict: a misspelt key is an error, not a silently ignored setting.
 */

const name = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, `must be a ${what} of 2-32 lowercase letters, digits and dashes`);

const region = awsRegion();

const suppression = z.strictObject({
  rule: z.string().regex(/^PA-[A-Z0-9-]+$/, "must be a guardrail rule id such as PA-NET-001"),
  /** A construct path, or a prefix of one ending in `/*`. */
  path: z.string().min(1),
  reason: z.string().trim().min(15, "must explain why, in at least 15 characters"),
});

const dataTier = z
  .strictObject({
    database: databaseSettings.optional(),
    cache: cacheSettings.optional(),
  })
  .meta({ title: "`dataTier`: database and cache", description: "Optional; both parts on in the example. Each of `database` and `cache` is built when present (and `enabled`, default `true`)." });

const access = z
  .strictObject({
    instanceConnect: instanceConnectSettings.optional(),
    sessionManager: sessionManagerSettings.optional(),
    clientVpn: clientVpnSettings.optional(),
    bastion: bastionSettings.optional(),
  })
  .meta({ title: "`access`: admin access paths", description: "Optional; every path on in the example. Each subsection is built when present (and `enabled`)." });

export const environmentSchema = z
  .strictObject({
    project: name("project name").default("private-access").meta({ type: "name (2-32 of `a-z0-9-`)", description: "prefix of every resource name (`<project>-<env>-…`) and the `Project` tag" }),
    aws: z.strictObject({
      region: region.meta({ type: "region", description: "e.g. `ap-northeast-2`; checked against the project's region table" }),
      accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit AWS account id (quote it in YAML)").meta({
        type: "string, 12 digits",
        description: "builds ARNs and key policies locally (no identity lookup at plan time); quote it in YAML",
      }),
    }),
    tags: tagsSettings,
    network: networkSettings,
    webTier: webTierSettings.optional().meta({ default: "off", description: "ALB, app servers, app bucket, optional CloudFront + WAF edge" }),
    dataTier: dataTier.optional().meta({ default: "off", description: "RDS (`database`) and ElastiCache (`cache`)" }),
    access: access.optional().meta({ default: "off", description: "`instanceConnect`, `sessionManager`, `clientVpn`, `bastion`" }),
    cloudflareTunnel: cloudflareTunnelSettings.optional().meta({ default: "off", description: "Cloudflare Tunnel + Access, stack `<env>-cloudflare`" }),
    backend: backendSettings,
    guardrails: z
      .strictObject({
        suppressions: z.array(suppression).default([]).meta({ type: "list of `{rule, path, reason}`", description: "see [Guardrails](#guardrails)" }),
      })
      .prefault({}),
  })
  .meta({ title: "Top level" });

export type EnvironmentFile = z.output<typeof environmentSchema>;
export type BackendConfig = EnvironmentFile["backend"];
export type NetworkConfig = EnvironmentFile["network"];
export type Suppression = EnvironmentFile["guardrails"]["suppressions"][number];

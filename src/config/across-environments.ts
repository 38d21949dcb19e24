import * as path from "node:path";
import { ConfigError } from "./errors";
import type { EnvironmentConfig } from "./load";

/**
 * Rules between environment files: things AWS or DNS allow only once, which two valid files could
 * each claim. Found at synth, naming both files, rather than as a failed second apply.
 */
export function checkAcrossEnvironments(environments: readonly EnvironmentConfig[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const claims = new Map<string, { env: EnvironmentConfig; field: string }>();
  const claim = (env: EnvironmentConfig, key: string, field: string, what: string, fix: string) => {
    const earlier = claims.get(key);
    if (!earlier) {
      claims.set(key, { env, field });
      return;
    }
    // One environment naming a thing twice (one hostname with two paths) is its own business, checked by its schema.
    if (earlier.env === env) return;
    const where = earlier.field ? ` (${earlier.field})` : "";
    errors.push(new ConfigError(env.file, field, `${what} is already claimed by ${earlier.env.file}${where}; ${fix}`, "PA-CONFIG-SHARED"));
  };

  for (const env of environments) {
    // Two files giving one stack name (dev.yaml and dev.yml) would overwrite each other's stacks.
    claim(env, `stack:${env.name}`, "", `environment name "${env.name}"`, `rename or remove one of the files (${path.basename(env.file)})`);

    // SSM-SessionManagerRunShell exists once per account and region (the Session Manager preferences).
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-configure-preferences-cli.html
    const ssm = env.access?.sessionManager;
    if (ssm?.enabled && ssm.preferences !== "unmanaged") {
      claim(
        env,
        `ssm-preferences:${env.aws.accountId}:${env.aws.region}`,
        "access.sessionManager.preferences",
        `the Session Manager preferences document SSM-SessionManagerRunShell of account ${env.aws.accountId} in ${env.aws.region}`,
        "one environment per account and region may manage it: set access.sessionManager.preferences: unmanaged in this one",
      );
    }

    const web = env.webTier;
    if (web?.enabled) {
      const names = [web.domain, ...web.subjectAlternativeNames];
      names.forEach((name, index) => {
        const field = index === 0 ? "webTier.domain" : `webTier.subjectAlternativeNames[${index - 1}]`;
        claim(env, `dns:${web.hostedZoneId}:${name}`, field, `DNS name ${name} in hosted zone ${web.hostedZoneId}`, "give each environment its own name");
      });
    }
    const tunnel = env.cloudflareTunnel;
    if (tunnel?.enabled) {
      tunnel.ingress.forEach((rule, index) => {
        if (!rule.hostname) return;
        claim(env, `cloudflare:${tunnel.zoneId}:${rule.hostname}`, `cloudflareTunnel.ingress[${index}].hostname`, `hostname ${rule.hostname} in Cloudflare zone ${tunnel.zoneId}`, "give each environment its own hostname");
      });
    }
  }
  return errors;
}

import type { Construct } from "constructs";
import { StandaloneStack } from "./standalone-stack";
import { Aspects, TerraformOutput } from "cdktf";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { CloudflareTunnel } from "../../modules/cloudflare-tunnel";
import { accessSshCaParameterName, tunnelTokenKeyAlias, tunnelTokenParameterName } from "../../modules/cloudflare-tunnel/token-parameter";
import { sshConfigSnippet } from "../../modules/cloudflare-tunnel/ssh-config";
import { sshAccounts } from "../../modules/cloudflare-tunnel/settings";
import { fromSection } from "./features/settings-scope";
import type { EnvironmentConfig } from "../config/load";
import { GuardrailReport, Guardrails } from "../policy/guardrails";
import { ALL_RULES } from "../policy/rules";
import { awsProvider } from "./aws-provider";
import { StackOptions, stackNames } from "./aws-stack";
import { applyBackend } from "./backend";

/**
 * `<env>-cloudflare`: the tunnel, its ingress, DNS and Access, and the token handed to AWS as an SSM
 * SecureString under a known name, so no cross-stack Terraform reference is needed.
 * The Cloudflare API token comes only from CLOUDFLARE_API_TOKEN (the provider block has none).
 */
export class CloudflareEnvironmentStack extends StandaloneStack {
  readonly tunnel: CloudflareTunnel;
  readonly guardrails: GuardrailReport;

  constructor(scope: Construct, env: EnvironmentConfig, options: StackOptions) {
    const stackName = stackNames(env).cloudflare;
    super(scope, stackName);
    const settings = env.cloudflareTunnel!;
    const namePrefix = `${env.project}-${env.name}`;
    applyBackend(this, options.offline ? { type: "local" } : env.backend, {
      project: env.project,
      environment: env.name,
      stackName,
      localStatePath: options.localStatePath.replace("{stack}", stackName),
    });
    new CloudflareProvider(this, "cloudflare", {});
    awsProvider(this, "aws", {
      region: env.aws.region,
      offline: options.offline,
      tags: { ...env.tags, Project: env.project, Environment: env.name, ManagedBy: "cdktf/private-access" },
    });
    const parameterName = tunnelTokenParameterName(env.project, env.name);
    this.tunnel = fromSection(env, ["cloudflareTunnel"], () =>
      new CloudflareTunnel(this, "tunnel", {
        name: namePrefix,
        settings,
        tokenParameter:
          settings.mode === "remote"
            ? { name: parameterName, region: env.aws.region, accountId: env.aws.accountId, keyAlias: tunnelTokenKeyAlias(env.project, env.name), version: settings.tokenVersion }
            : undefined,
        sshCaParameter: settings.ssh.method === "short-lived-certificates" ? { name: accessSshCaParameterName(env.project, env.name) } : undefined,
      }),
    );
    const ssh = settings.ingress.filter((rule) => rule.service.startsWith("ssh://") && rule.hostname).map((rule) => rule.hostname!);
    new TerraformOutput(this, "ssh_config_snippet", {
      value: ssh.map((host) => sshConfigSnippet(host, sshAccounts(settings), settings.ssh.method === "short-lived-certificates")).join("\n\n"),
      description: "Add to ~/.ssh/config on a customer engineer's machine (cloudflared installed), then: ssh <hostname>",
    });
    new TerraformOutput(this, "tunnel_id", { value: this.tunnel.tunnelId, description: "Cloudflare Tunnel id" });
    if (settings.mode === "remote") new TerraformOutput(this, "tunnel_token_parameter", { value: parameterName, description: "SSM parameter holding the tunnel token" });
    this.guardrails = new GuardrailReport(env.guardrails.suppressions);
    Aspects.of(this).add(new Guardrails(ALL_RULES, this.guardrails));
  }
}

import type { Construct } from "constructs";
import { StandaloneStack } from "./standalone-stack";
import { Aspects, TerraformOutput } from "cdktf";
import { Network } from "../../modules/network";
import type { EnvironmentConfig } from "../config/load";
import { GuardrailReport, Guardrails } from "../policy/guardrails";
import { ALL_RULES } from "../policy/rules";
import { awsProvider } from "./aws-provider";
import { applyBackend } from "./backend";
import type { AccessFeature } from "./features/access";
import { fromSection } from "./features/settings-scope";
import type { DataTierFeature } from "./features/data-tier";
import type { WebTierFeature } from "./features/web-tier";

export interface StackOptions {
  /** Offline mode: local backend and provider skip flags (tests and CI only). */
  readonly offline: boolean;
  /** Where the local backend keeps state, relative to the stack folder; `{stack}` is replaced. */
  readonly localStatePath: string;
  /** The project folder as seen from a stack folder (for files Terraform reads, e.g. `../../..`). */
  readonly projectRootFromStack: string;
}

export function stackNames(env: Pick<EnvironmentConfig, "name">) {
  return { aws: `${env.name}-aws`, cloudflare: `${env.name}-cloudflare` };
}

/** `<env>-aws`: everything one environment runs on AWS. */
export class AwsEnvironmentStack extends StandaloneStack {
  readonly env: EnvironmentConfig;
  readonly options: StackOptions;
  /** `<project>-<env>`: prefix of every resource name. */
  readonly namePrefix: string;
  readonly network: Network;
  readonly guardrails: GuardrailReport;
  /** Tags every AWS provider of the stack applies by default. */
  readonly providerTags: Record<string, string>;
  readonly web?: WebTierFeature;
  readonly data?: DataTierFeature;
  readonly access?: AccessFeature;

  constructor(scope: Construct, env: EnvironmentConfig, options: StackOptions) {
    const stackName = stackNames(env).aws;
    super(scope, stackName);
    const namePrefix = `${env.project}-${env.name}`;
    this.env = env;
    this.options = options;
    this.namePrefix = namePrefix;
    applyBackend(this, options.offline ? { type: "local" } : env.backend, {
      project: env.project,
      environment: env.name,
      stackName,
      localStatePath: options.localStatePath.replace("{stack}", stackName),
    });
    this.providerTags = { ...env.tags, Project: env.project, Environment: env.name, ManagedBy: "cdktf/private-access" };
    awsProvider(this, "aws", { region: env.aws.region, offline: options.offline, tags: this.providerTags });

    this.network = fromSection(env, ["network"], () =>
      new Network(this, "network", { namePrefix, region: env.aws.region, accountId: env.aws.accountId, settings: env.network }),
    );

    // Capabilities, each switched on by its section of the environment file, are composed here in
    // dependency order by the functions in src/stacks/features/ (one file a capability).
    // A feature's code (its modules and their provider classes) is loaded only when its section is on.
    if (env.webTier?.enabled) this.web = (require("./features/web-tier") as typeof import("./features/web-tier")).addWebTier(this);
    if (env.dataTier) this.data = (require("./features/data-tier") as typeof import("./features/data-tier")).addDataTier(this, this.web);
    if (env.access) this.access = (require("./features/access") as typeof import("./features/access")).addAccess(this, this.web, this.data);
    if (env.cloudflareTunnel?.enabled) (require("./features/cloudflare-handoff") as typeof import("./features/cloudflare-handoff")).addCloudflareHandoff(this, this.web);

    new TerraformOutput(this, "region", { value: env.aws.region, description: "The environment's region (every command passes it)" });
    new TerraformOutput(this, "vpc_id", { value: this.network.vpcId, description: "VPC id" });
    for (const tier of ["public", "app", "data"] as const) {
      if (this.network.subnets[tier].length > 0) {
        new TerraformOutput(this, `${tier}_subnet_ids`, {
          value: this.network.subnetIds(tier),
          description: `${tier} subnet ids, in AZ order`,
        });
      }
    }

    this.guardrails = new GuardrailReport(env.guardrails.suppressions);
    Aspects.of(this).add(new Guardrails(ALL_RULES, this.guardrails));
  }
}

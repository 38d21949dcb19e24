import { TerraformOutput } from "cdktf";
import { Cache } from "../../../modules/cache";
import { Database } from "../../../modules/database";
import { fromSection } from "./settings-scope";
import type { AwsEnvironmentStack } from "../aws-stack";
import type { WebTierFeature } from "./web-tier";

export interface DataTierFeature {
  readonly database?: Database;
  readonly cache?: Cache;
}

/** RDS and ElastiCache in the data subnets, admitted from the app servers when the web tier exists. */
export function addDataTier(stack: AwsEnvironmentStack, web: WebTierFeature | undefined): DataTierFeature | undefined {
  const { env } = stack;
  const data = env.dataTier;
  if (!data) return undefined;
  const common = { namePrefix: stack.namePrefix, region: env.aws.region, accountId: env.aws.accountId, network: stack.network };
  const appServers = web?.webTier.appServers;
  let database: Database | undefined;
  let cache: Cache | undefined;

  if (data.database?.enabled) {
    const db = data.database;
    database = fromSection(env, ["dataTier", "database"], () => new Database(stack, "database", { ...common, settings: db }));
    if (appServers) database.allowConnectionsFrom(appServers.securityGroup, "the app servers");
    const endpoint = database.endpointAddress;
    const client =
      db.engine === "postgres"
        ? `psql "host=$ENDPOINT port=${database.port} dbname=${db.databaseName} user=${db.masterUsername} sslmode=verify-full sslrootcert=global-bundle.pem"`
        : `mysql --host=$ENDPOINT --port=${database.port} --user=${db.masterUsername} --ssl-mode=VERIFY_IDENTITY --ssl-ca=global-bundle.pem -p`;
    new TerraformOutput(stack, "database_endpoint", { value: endpoint, description: "RDS endpoint address" });
    new TerraformOutput(stack, "database_port", { value: database.port, description: "RDS port" });
    new TerraformOutput(stack, "database_master_secret_arn", { value: database.secretArn, description: "Secrets Manager secret holding the master password (managed and rotated by RDS)" });
    new TerraformOutput(stack, "database_connect_hint", {
      value: `npm run connect -- ${env.name} db   (forwards localhost:${database.port} to the database through an app server), then: ENDPOINT=localhost; PGPASSWORD/-p from: aws secretsmanager get-secret-value --region ${env.aws.region} --secret-id ${database.secretArn} --query SecretString --output text; ${client}`,
      description: "How to connect with TLS verified (CA bundle: https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem)",
    });
  }

  if (data.cache?.enabled) {
    const c = data.cache;
    cache = fromSection(env, ["dataTier", "cache"], () => new Cache(stack, "cache", { ...common, settings: c }));
    if (appServers) {
      cache.allowConnectionsFrom(appServers.securityGroup, "the app servers");
      appServers.grant(cache.connectStatement);
    }
    new TerraformOutput(stack, "cache_endpoint", { value: cache.endpointAddress, description: "ElastiCache primary endpoint" });
    new TerraformOutput(stack, "cache_port", { value: cache.port, description: "ElastiCache port" });
    new TerraformOutput(stack, "cache_connect_hint", {
      value: `npm run connect -- ${env.name} cache   (forwards localhost:${cache.port} through an app server and prints a redis-cli line with a fresh IAM auth token for ${cache.operatorUserName})`,
      description: "How to connect (TLS required; IAM authentication, no password)",
    });
    new TerraformOutput(stack, "cache_replication_group_id", { value: cache.replicationGroupId, description: "Signs the IAM auth token" });
    new TerraformOutput(stack, "cache_operator_user", { value: cache.operatorUserName, description: "The user operators authenticate as (read-only)" });
    new TerraformOutput(stack, "cache_operator_policy_arn", { value: cache.operatorPolicyArn, description: "Attach to the operators allowed to mint a cache token" });
  }
  return { database, cache };
}

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
    const region = env.aws.region;
    const user = database.operatorUserName;
    const bundle = `${region}-bundle.pem`;
    // Through the local forward the client dials 127.0.0.1 but verifies the certificate against the
    // RDS host name: psql's hostaddr does that; mysql has no such option, so the name must resolve to the forward.
    const client =
      db.engine === "postgres"
        ? `PGPASSWORD="$(npm run --silent connect -- ${env.name} db-token)" psql "host=${endpoint} hostaddr=127.0.0.1 port=${database.port} dbname=${db.databaseName} user=${user} sslmode=verify-full sslrootcert=${bundle}"`
        : `mysql --host=${endpoint} --port=${database.port} --user=${user} --enable-cleartext-plugin --password="$(npm run --silent connect -- ${env.name} db-token)" --ssl-mode=VERIFY_IDENTITY --ssl-ca=${bundle}   (with ${endpoint} resolving to 127.0.0.1)`;
    new TerraformOutput(stack, "database_endpoint", { value: endpoint, description: "RDS endpoint address" });
    new TerraformOutput(stack, "database_port", { value: database.port, description: "RDS port" });
    new TerraformOutput(stack, "database_master_secret_arn", { value: database.secretArn, description: "Secrets Manager secret holding the master password (managed and rotated by RDS; break-glass: no operator policy reads it)" });
    new TerraformOutput(stack, "database_operator_user", { value: user, description: "The database user operators authenticate as with an IAM token" });
    new TerraformOutput(stack, "database_operator_policy_arn", { value: database.operatorPolicyArn, description: "Attach to the operators allowed to mint a database token (rds-db:connect as the operator user only)" });
    new TerraformOutput(stack, "database_connect_hint", {
      value: `npm run connect -- ${env.name} db   (forwards localhost:${database.port} to the database through an app server and prints the one-time SQL for ${user}), then: ${client}`,
      description: `How to connect as the operator user with an IAM token, TLS verified against the RDS host name (CA bundle: https://truststore.pki.rds.amazonaws.com/${region}/${bundle})`,
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

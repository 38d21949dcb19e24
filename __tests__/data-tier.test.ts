import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { errorFor, exampleWith } from "./helpers/environment";
import { byName, resourcesOf, synthAws } from "./helpers/synth";
import { StackModel } from "../src/verify/stack-model";

/** The example without the access paths and the tunnel, whose rules and grants have tests of their own. */
const withoutAccess = (edit: (doc: any) => void = () => {}) =>
  exampleWith((doc) => {
    delete doc.access;
    delete doc.cloudflareTunnel;
    edit(doc);
  });


describe("RDS (seeds 002, 003)", () => {
  const { json, tf } = synthAws(withoutAccess());

  it("is private, encrypted with its own key, Multi-AZ, backed up, protected, and has no password in the plan", () => {
    expect(json).toHaveResourceWithProperties(DbInstance, {
      engine: "postgres",
      engine_version: "16",
      instance_class: "db.t4g.medium",
      port: 5432,
      publicly_accessible: false,
      storage_encrypted: true,
      storage_type: "gp3",
      allocated_storage: 20,
      max_allocated_storage: 100,
      manage_master_user_password: true,
      multi_az: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "private-access-example-db-final",
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      auto_minor_version_upgrade: true,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      monitoring_interval: 60,
    });
    const db = byName(tf, "aws_db_instance", "database");
    expect(db.password).toBeUndefined();
    for (const field of ["kms_key_id", "master_user_secret_kms_key_id", "performance_insights_kms_key_id"]) {
      expect(db[field]).toContain("aws_kms_key.database_key");
    }
    expect(db.monitoring_role_arn).toContain("aws_iam_role.database_monitoring-role");
  });

  it("spans the three data subnets of seed 002 in its subnet group", () => {
    const group = byName(tf, "aws_db_subnet_group", "database");
    expect(group.subnet_ids).toHaveLength(3);
    for (const id of group.subnet_ids) expect(id).toMatch(/subnet-data-[abc]/);
  });

  it("forces TLS through its parameter group", () => {
    expect(json).toHaveResourceWithProperties(DbParameterGroup, { family: "postgres16", parameter: expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }]) });
    const mysql = synthAws(withoutAccess((doc) => Object.assign(doc.dataTier.database, { engine: "mysql", engineVersion: "8.0", port: 3306 })));
    expect(mysql.json).toHaveResourceWithProperties(DbParameterGroup, { family: "mysql8.0", parameter: expect.arrayContaining([{ name: "require_secure_transport", value: "ON" }]) });
  });

  it("pre-creates its log-export groups, encrypted, so RDS does not create plain ones", () => {
    const groups = (Object.values(resourcesOf(tf, "aws_cloudwatch_log_group")) as any[]).filter((g) => g.name.startsWith("/aws/rds/instance/"));
    expect(groups.map((g) => g.name).sort()).toEqual(["/aws/rds/instance/private-access-example-db/postgresql", "/aws/rds/instance/private-access-example-db/upgrade"]);
    for (const group of groups) expect(group.kms_key_id).toContain("aws_kms_key");
  });

  it("admits its port only from the app servers' group, and the app servers may reach it", () => {
    const ingress = (Object.entries(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")) as [string, any][]).filter(([name]) => name.startsWith("database_sg_"));
    expect(ingress.map(([, r]) => [r.from_port, r.referenced_security_group_id?.includes("web-tier_app-sg"), r.description])).toEqual([[5432, true, "the app servers"]]);
    const egress = (Object.entries(resourcesOf(tf, "aws_vpc_security_group_egress_rule")) as [string, any][]).filter(([name]) => name.startsWith("web-tier_app-sg_out-5432"));
    expect(egress).toHaveLength(1);
  });

  it("moves to another port (seed 003 uses 3389 so the EIC Endpoint can tunnel to it)", () => {
    const { tf: moved } = synthAws(withoutAccess((doc) => (doc.dataTier.database.port = 3389)));
    expect(byName(moved, "aws_db_instance", "database").port).toBe(3389);
  });

  it("outputs the endpoint, port, secret ARN and a TLS-verifying connection hint", () => {
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(["database_endpoint", "database_port", "database_master_secret_arn", "database_connect_hint"]));
    expect(tf.output.database_master_secret_arn.value).toContain("master_user_secret[0].secret_arn");
    expect(tf.output.database_connect_hint.value).toContain("sslmode=verify-full");
  });

  /** The operator policy's document, as IAM will see it (the data source rendered to JSON and parsed). */
  const operatorPolicy = (synth: ReturnType<typeof synthAws>["tf"]) => {
    const [name, policy] = Object.entries(resourcesOf(synth, "aws_iam_policy")).find(([n]) => n.startsWith("database_operator-policy"))! as [string, any];
    const model = new StackModel("example-aws", synth as any, "ap-northeast-2", "123456789012");
    const [, docName] = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.policy)!;
    const raw = JSON.parse(JSON.stringify(synth.data!.aws_iam_policy_document[docName]));
    return { name, policy, raw, json: JSON.parse(model.attribute(`data.aws_iam_policy_document.${docName}`, "json")), instance: model.all("aws_db_instance")[0] };
  };

  it("operators sign in as their own user: rds-db:connect on exactly this instance's DbiResourceId and that user, nothing else", () => {
    const { policy, raw, json, instance } = operatorPolicy(tf);
    expect(policy.name).toBe("private-access-example-db-operators");
    // The ARN names the instance by its resource_id attribute (DbiResourceId), not its identifier or a wildcard.
    expect(raw.statement).toEqual([
      {
        sid: "ConnectAsTheOperatorUser",
        effect: "Allow",
        actions: ["rds-db:connect"],
        resources: [`arn:aws:rds-db:ap-northeast-2:123456789012:dbuser:\${${instance.address}.resource_id}/operators`],
      },
    ]);
    expect(json.Statement).toHaveLength(1);
    const [statement] = json.Statement;
    expect(statement).toMatchObject({ Effect: "Allow", Action: ["rds-db:connect"] });
    expect(statement.Resource).toHaveLength(1);
    const [, partition, region, account, resourceId, user] = /^arn:([^:]+):rds-db:([^:]+):(\d{12}):dbuser:([^/]+)\/(.+)$/.exec(statement.Resource[0])!;
    expect([partition, region, account, user]).toEqual(["aws", "ap-northeast-2", "123456789012", "operators"]);
    expect(resourceId).toMatch(/^db-[0-9A-Z]{26}$/);
    expect(JSON.stringify(json)).not.toMatch(/\*|secretsmanager|kms:/);
  });

  it("outputs the operator user and policy, and a hint that signs in as that user with a token, TLS verified against the real host name", () => {
    expect(tf.output.database_operator_user.value).toBe("operators");
    expect(tf.output.database_operator_policy_arn.value).toMatch(/^\$\{aws_iam_policy\.database_operator-policy_[0-9A-F]+\.arn\}$/);
    const hint = tf.output.database_connect_hint.value;
    expect(hint).toContain('PGPASSWORD="$(npm run --silent connect -- example db-token)" psql "host=${aws_db_instance.');
    expect(hint).toContain("hostaddr=127.0.0.1 port=5432 dbname=app user=operators sslmode=verify-full sslrootcert=ap-northeast-2-bundle.pem");
    expect(hint).not.toMatch(/secretsmanager|ENDPOINT=localhost|app_admin/);
    expect(tf.output.database_connect_hint.description).toContain("https://truststore.pki.rds.amazonaws.com/ap-northeast-2/ap-northeast-2-bundle.pem");
  });

  it("takes the operator user from dataTier.database.operatorUsername (MySQL: verified identity, cleartext plugin for the token)", () => {
    const mysql = synthAws(withoutAccess((doc) => Object.assign(doc.dataTier.database, { engine: "mysql", engineVersion: "8.0", port: 3306, operatorUsername: "oncall" }))).tf;
    expect(operatorPolicy(mysql).json.Statement[0].Resource[0]).toMatch(/:dbuser:db-[0-9A-Z]{26}\/oncall$/);
    expect(mysql.output.database_operator_user.value).toBe("oncall");
    expect(mysql.output.database_connect_hint.value).toContain("--user=oncall --enable-cleartext-plugin");
    expect(mysql.output.database_connect_hint.value).toContain("--ssl-mode=VERIFY_IDENTITY --ssl-ca=ap-northeast-2-bundle.pem");
  });
});

describe("ElastiCache", () => {
  const { json, tf } = synthAws(withoutAccess());

  it("encrypts at rest with its own key, requires TLS, fails over across AZs and keeps snapshots", () => {
    expect(json).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      engine: "redis",
      engine_version: "7.1",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: "true",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      snapshot_retention_limit: 7,
      log_delivery_configuration: [expect.objectContaining({ log_type: "slow-log", destination_type: "cloudwatch-logs", log_format: "json" })],
    });
    const group = byName(tf, "aws_elasticache_replication_group", "cache");
    expect(group.kms_key_id).toContain("aws_kms_key.cache_key");
    expect(group.auth_token).toBeUndefined();
  });

  it("authenticates through IAM with an RBAC user group whose default user is switched off", () => {
    const users = Object.values(resourcesOf(tf, "aws_elasticache_user")) as any[];
    const app = users.find((u) => u.user_name !== "default");
    expect(app).toMatchObject({ authentication_mode: { type: "iam" }, access_string: "on ~* +@all -@admin -@dangerous" });
    expect(app.user_id).toBe(app.user_name);
    expect(users.find((u) => u.user_name === "default")).toMatchObject({ access_string: "off -@all" });
    for (const user of users) expect(user.passwords).toBeUndefined();
    const granted = Object.entries(tf.data!.aws_iam_policy_document).find(([name]) => name.includes("app-servers_instance-role_granted"))![1] as any;
    expect(granted.statement.find((s: any) => s.sid === "ConnectToCacheWithIam")).toEqual({
      sid: "ConnectToCacheWithIam",
      effect: "Allow",
      actions: ["elasticache:Connect"],
      resources: [
        "arn:aws:elasticache:ap-northeast-2:123456789012:replicationgroup:private-access-example-cache",
        `arn:aws:elasticache:ap-northeast-2:123456789012:user:${app.user_name}`,
      ],
    });
  });

  it("with one node has neither failover nor Multi-AZ", () => {
    const { tf: single } = synthAws(withoutAccess((doc) => (doc.dataTier.cache.nodes = 1)));
    expect(byName(single, "aws_elasticache_replication_group", "cache")).toMatchObject({ automatic_failover_enabled: false, multi_az_enabled: false });
  });
});

describe("data tier bad input gets one line naming the field", () => {
  const F = "environments/example.yaml";
  const withoutDataB = (d: any) => (d.network.subnets = d.network.subnets.filter((s: any) => !(s.tier === "data" && s.az !== "ap-northeast-2a")));
  it.each<[string, (doc: any) => void, string]>([
    ["an unknown engine", (d) => (d.dataTier.database.engine = "oracle"), `${F}: dataTier.database.engine "oracle" must be one of "postgres", "mysql"`],
    ["an unsupported engine version", (d) => (d.dataTier.database.engineVersion = "9.6"), `${F}: dataTier.database.engineVersion 9.6 is not a postgres major version RDS offers (13, 14, 15, 16, 17, 18)`],
    ["a MySQL version on Postgres", (d) => Object.assign(d.dataTier.database, { engine: "mysql", engineVersion: "16" }), `${F}: dataTier.database.engineVersion 16 is not a mysql major version RDS offers (8.0, 8.4)`],
    ["a port RDS refuses", (d) => (d.dataTier.database.port = 22), `${F}: dataTier.database.port 22 is outside 1150-65535, the ports RDS accepts`],
    ["a port out of range", (d) => (d.dataTier.database.port = 70000), `${F}: dataTier.database.port 70000 is outside 1150-65535`],
    ["a port colliding with the app's", (d) => (d.dataTier.database.port = 8080), `${F}: dataTier.database.port 8080 collides with webTier.appPort`],
    ["Multi-AZ with one data subnet", withoutDataB, `${F}: dataTier.database needs data subnets in at least two AZs for its subnet group (RDS requires two); network has 1`],
    ["backups shorter than a week", (d) => (d.dataTier.database.backupRetentionDays = 3), `${F}: dataTier.database.backupRetentionDays 3 must be at least 7 days`],
    ["an operator user RDS reserves", (d) => (d.dataTier.database.operatorUsername = "rds_iam"), `${F}: dataTier.database.operatorUsername operator user "rds_iam" is reserved by RDS for postgres`],
    ["the master user as the operator user", (d) => (d.dataTier.database.operatorUsername = "app_admin"), `${F}: dataTier.database.operatorUsername operator user "app_admin" is the master user`],
    ["an operator user with capitals", (d) => (d.dataTier.database.operatorUsername = "Operators"), `${F}: dataTier.database.operatorUsername operator user "Operators" must start with a lower-case letter`],
    ["an operator user that is a reserved word", (d) => (d.dataTier.database.operatorUsername = "user"), `${F}: dataTier.database.operatorUsername operator user "user" is a reserved word in postgres`],
    ["a pg_ operator user", (d) => (d.dataTier.database.operatorUsername = "pg_ops"), `${F}: dataTier.database.operatorUsername operator user "pg_ops" starts with pg_`],
    ["a MySQL operator user over 32 characters", (d) => Object.assign(d.dataTier.database, { engine: "mysql", engineVersion: "8.0", operatorUsername: "o".repeat(33) }), `${F}: dataTier.database.operatorUsername operator user "${"o".repeat(33)}" is 33 characters; mysql allows 32`],
    ["a storage ceiling below the start", (d) => (d.dataTier.database.maxAllocatedStorageGiB = 20), `${F}: dataTier.database.maxAllocatedStorageGiB 20 must be larger than allocatedStorageGiB 20`],
    ["failover with one node", (d) => Object.assign(d.dataTier.cache, { nodes: 1, automaticFailover: true }), `${F}: dataTier.cache.automaticFailover needs at least 2 nodes, cache.nodes is 1`],
    ["replicas without failover", (d) => Object.assign(d.dataTier.cache, { nodes: 3, automaticFailover: false }), `${F}: dataTier.cache.automaticFailover is off with 3 nodes`],
    ["an unknown cache version", (d) => (d.dataTier.cache.engineVersion = "5.0"), `${F}: dataTier.cache.engineVersion 5.0 is not a redis version ElastiCache offers`],
    ["a cache on the database's port", (d) => (d.dataTier.cache.port = 5432), `${F}: dataTier.cache.port 5432 collides with dataTier.database.port`],
  ])("%s", (_what, edit, expected) => {
    expect(errorFor(edit).split("\n")).toContainEqual(expect.stringContaining(expected));
  });
});

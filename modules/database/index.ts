import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { partitionOf } from "../common/arn";
import type { ReachableService } from "../common/contracts";
import { OperatorPolicy } from "../common/managed-policy";
import { CustomerKey } from "../common/kms-key";
import { LogEncryptionKey } from "../common/log-encryption-key";
import { PortService } from "../common/reachable-service";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";
import { fitName } from "../common/name-budget";
import { rdsMajorOf } from "../common/facts/engine-versions";
import { parseSettings, refusePlacement } from "../common/settings/parse";
import { DatabaseSettings, DatabaseSettingsInput, databasePlacementProblems, databasePort, databaseSettings } from "./settings";

export type DatabaseEngine = DatabaseSettings["engine"];

export interface DatabaseProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  /** The `dataTier.database` settings; validated here with the schema the environment file uses. */
  readonly settings: DatabaseSettingsInput;
}

const LOG_EXPORTS: Record<DatabaseEngine, string[]> = {
  postgres: ["postgresql", "upgrade"],
  mysql: ["error", "general", "slowquery"],
};

/**
 * RDS in the data subnets: encrypted with a customer key, the master password made and
 * rotated by RDS in Secrets Manager (never in the plan), TLS forced by the parameter group, IAM
 * database authentication, and admitted only from the groups that call `allowConnectionsFrom`.
 * Operators sign in as their own database user with an IAM token (`rds-db:connect` on that user of
 * this instance only); the master password is break-glass and no operator policy can read it.
 */
export class Database extends Construct implements ReachableService {
  readonly instance: DbInstance;
  readonly securityGroup: ManagedSecurityGroup;
  readonly port: number;
  readonly masterUsername: string;
  /** ARN of the Secrets Manager secret RDS keeps the master password in (break-glass; no operator policy reads it). */
  readonly secretArn: string;
  /** The database user operators authenticate as (IAM), and the policy that lets them mint its token. */
  readonly operatorUserName: string;
  readonly operatorPolicy: OperatorPolicy;
  private readonly service: PortService;

  /** The address clients connect to. */
  get endpointAddress(): string {
    return this.instance.address;
  }

  /** Attach to the operators allowed to mint a database token. */
  get operatorPolicyArn(): string {
    return this.operatorPolicy.policy.arn;
  }

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const settings = parseSettings(databaseSettings, props.settings);
    const dataSubnets = props.network.subnets.data;
    refusePlacement(databasePlacementProblems(new Set(dataSubnets.map((s) => s.az)).size));
    const { engine } = settings;
    const major = rdsMajorOf(engine, settings.engineVersion);
    // RDS instance identifiers: 63 characters (CreateDBInstance DBInstanceIdentifier).
    const name = fitName(`${props.namePrefix}-db`, 63);
    this.port = databasePort(settings);
    this.masterUsername = settings.masterUsername;

    this.securityGroup = props.network.securityGroup(this, "sg", "db", `RDS ${engine}: admitted only from named groups`);
    this.service = new PortService(this.securityGroup, this.port, `RDS ${engine}`);
    const key = new CustomerKey(this, "key", {
      region: props.region,
      accountId: props.accountId,
      alias: name,
      description: `RDS ${name}: storage, Performance Insights and the master secret`,
    });
    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name,
      description: "Data-tier subnets",
      subnetIds: dataSubnets.map((s) => s.id),
    });
    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${name}-${engine}${major.replace(".", "-")}`,
      family: `${engine}${major}`,
      description: "Forces TLS for every connection",
      parameter:
        engine === "postgres"
          ? [{ name: "rds.force_ssl", value: "1" }, { name: "log_connections", value: "1" }]
          : [{ name: "require_secure_transport", value: "ON" }, { name: "tls_version", value: "TLSv1.2,TLSv1.3", applyMethod: "pending-reboot" }],
      lifecycle: { createBeforeDestroy: true },
    });
    // RDS creates these log groups unencrypted on first export unless they already exist.
    const logNames = LOG_EXPORTS[engine].map((log) => `/aws/rds/instance/${name}/${log}`);
    const logKey = new LogEncryptionKey(this, "log-key", { region: props.region, accountId: props.accountId, alias: `${name}-logs`, logGroupNames: logNames });
    const logGroups = logNames.map(
      (logName, index) =>
        new CloudwatchLogGroup(this, `log-${LOG_EXPORTS[engine][index]}`, {
          name: logName,
          retentionInDays: settings.logRetentionInDays,
          kmsKeyId: logKey.arn,
        }),
    );
    const interval = settings.monitoringIntervalSeconds;
    let monitoringRoleArn: string | undefined;
    if (interval > 0) {
      const trust = new DataAwsIamPolicyDocument(this, "monitoring-trust", {
        statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
      });
      const role = new IamRole(this, "monitoring-role", { name: fitName(`${props.namePrefix}-db-monitoring`, 64), assumeRolePolicy: trust.json });
      new IamRolePolicyAttachment(this, "monitoring-policy", {
        role: role.name,
        policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
      monitoringRoleArn = role.arn;
    }
    const insights = settings.performanceInsights;
    this.instance = new DbInstance(this, "instance", {
      identifier: name,
      engine,
      engineVersion: settings.engineVersion,
      instanceClass: settings.instanceClass,
      port: this.port,
      dbName: settings.databaseName,
      username: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.arn,
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key.arn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      multiAz: settings.multiAz,
      backupRetentionPeriod: settings.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: settings.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: insights,
      performanceInsightsKmsKeyId: insights ? key.arn : undefined,
      performanceInsightsRetentionPeriod: insights ? 7 : undefined,
      enabledCloudwatchLogsExports: LOG_EXPORTS[engine],
      monitoringInterval: interval,
      monitoringRoleArn,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      dependsOn: logGroups,
    });
    this.secretArn = this.instance.masterUserSecret.get(0).secretArn;

    // IAM database authentication: the token is authorized by rds-db:connect on the dbuser ARN, which
    // names the instance by its DbiResourceId (resource_id), not its identifier.
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
    this.operatorUserName = settings.operatorUsername;
    this.operatorPolicy = new OperatorPolicy(this, "operator-policy", {
      name: fitName(`${props.namePrefix}-db-operators`, 128),
      description: `Mint an IAM auth token for the database's operator user ${this.operatorUserName} (not the master user, no secret)`,
      statements: [
        {
          sid: "ConnectAsTheOperatorUser",
          effect: "Allow",
          actions: ["rds-db:connect"],
          resources: [`arn:${partitionOf(props.region)}:rds-db:${props.region}:${props.accountId}:dbuser:${this.instance.resourceId}/${this.operatorUserName}`],
        },
      ],
    });
  }

  allowConnectionsFrom(source: ManagedSecurityGroup, description: string): void {
    this.service.allowConnectionsFrom(source, description);
  }
}

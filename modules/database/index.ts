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
import { CustomerKey } from "../common/kms-key";
import { LogEncryptionKey } from "../common/log-encryption-key";
import { PortService } from "../common/reachable-service";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

export type DatabaseEngine = "postgres" | "mysql";

export interface DatabaseProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  readonly engine: DatabaseEngine;
  /** Major ("16") or full ("16.4") version. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly port: number;
  /** @default 20 */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling ceiling. @default 100 */
  readonly maxAllocatedStorageGiB?: number;
  /** @default "app" */
  readonly databaseName?: string;
  /** @default "app_admin"; its password is generated and kept in Secrets Manager by RDS */
  readonly masterUsername?: string;
  /** @default false */
  readonly multiAz?: boolean;
  /** @default 7 (the floor) */
  readonly backupRetentionDays?: number;
  /** @default true, and a final snapshot is always taken */
  readonly deletionProtection?: boolean;
  /** @default true (KMS-encrypted, 7 days) */
  readonly performanceInsights?: boolean;
  /** @default 60; 0 turns enhanced monitoring off */
  readonly monitoringIntervalSeconds?: number;
  /** @default 365 */
  readonly logRetentionInDays?: number;
}

const LOG_EXPORTS: Record<DatabaseEngine, string[]> = {
  postgres: ["postgresql", "upgrade"],
  mysql: ["error", "general", "slowquery"],
};

/**
 * RDS in the data subnets (seed 002): encrypted with a customer key, the master password made and
 * rotated by RDS in Secrets Manager (never in the plan), TLS forced by the parameter group, IAM
 * database authentication, and admitted only from the groups that call `allowConnectionsFrom`.
 */
export class Database extends Construct implements ReachableService {
  readonly instance: DbInstance;
  readonly securityGroup: ManagedSecurityGroup;
  readonly port: number;
  readonly masterUsername: string;
  /** ARN of the Secrets Manager secret RDS keeps the master password in. */
  readonly secretArn: string;
  private readonly service: PortService;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const dataSubnets = props.network.subnets.data;
    if (new Set(dataSubnets.map((s) => s.az)).size < 2) throw new Error(`${id}: the DB subnet group needs data subnets in at least two AZs`);
    if ((props.backupRetentionDays ?? 7) < 7) throw new Error(`${id}: backupRetentionDays must be at least 7, got ${props.backupRetentionDays}`);
    if (props.port < 1150 || props.port > 65535) throw new Error(`${id}: port must be 1150-65535, got ${props.port}`);
    const major = props.engine === "mysql" ? props.engineVersion.split(".").slice(0, 2).join(".") : props.engineVersion.split(".")[0];
    const name = `${props.namePrefix}-db`;
    this.port = props.port;
    this.masterUsername = props.masterUsername ?? "app_admin";

    this.securityGroup = props.network.securityGroup(this, "sg", "db", `RDS ${props.engine}: admitted only from named groups`);
    this.service = new PortService(this.securityGroup, props.port, `RDS ${props.engine}`);
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
      name: `${name}-${props.engine}${major.replace(".", "-")}`,
      family: `${props.engine}${major}`,
      description: "Forces TLS for every connection",
      parameter:
        props.engine === "postgres"
          ? [{ name: "rds.force_ssl", value: "1" }, { name: "log_connections", value: "1" }]
          : [{ name: "require_secure_transport", value: "ON" }, { name: "tls_version", value: "TLSv1.2,TLSv1.3", applyMethod: "pending-reboot" }],
      lifecycle: { createBeforeDestroy: true },
    });
    // RDS creates these log groups unencrypted on first export unless they already exist.
    const logNames = LOG_EXPORTS[props.engine].map((log) => `/aws/rds/instance/${name}/${log}`);
    const logKey = new LogEncryptionKey(this, "log-key", { region: props.region, accountId: props.accountId, alias: `${name}-logs`, logGroupNames: logNames });
    const logGroups = logNames.map(
      (logName, index) =>
        new CloudwatchLogGroup(this, `log-${LOG_EXPORTS[props.engine][index]}`, {
          name: logName,
          retentionInDays: props.logRetentionInDays ?? 365,
          kmsKeyId: logKey.arn,
        }),
    );
    const interval = props.monitoringIntervalSeconds ?? 60;
    let monitoringRoleArn: string | undefined;
    if (interval > 0) {
      const trust = new DataAwsIamPolicyDocument(this, "monitoring-trust", {
        statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
      });
      const role = new IamRole(this, "monitoring-role", { name: `${name}-monitoring`, assumeRolePolicy: trust.json });
      new IamRolePolicyAttachment(this, "monitoring-policy", {
        role: role.name,
        policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
      monitoringRoleArn = role.arn;
    }
    const insights = props.performanceInsights ?? true;
    this.instance = new DbInstance(this, "instance", {
      identifier: name,
      engine: props.engine,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      port: props.port,
      dbName: props.databaseName ?? "app",
      username: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.arn,
      allocatedStorage: props.allocatedStorageGiB ?? 20,
      maxAllocatedStorage: props.maxAllocatedStorageGiB ?? 100,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key.arn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      multiAz: props.multiAz ?? false,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: insights,
      performanceInsightsKmsKeyId: insights ? key.arn : undefined,
      performanceInsightsRetentionPeriod: insights ? 7 : undefined,
      enabledCloudwatchLogsExports: LOG_EXPORTS[props.engine],
      monitoringInterval: interval,
      monitoringRoleArn,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      dependsOn: logGroups,
    });
    this.secretArn = this.instance.masterUserSecret.get(0).secretArn;
  }

  allowConnectionsFrom(source: ManagedSecurityGroup, description: string): void {
    this.service.allowConnectionsFrom(source, description);
  }
}

import { Construct } from "constructs";
import { recordFact } from "../common/markers";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { partitionOf } from "../common/arn";
import { OperatorPolicy } from "../common/managed-policy";
import type { PolicyStatement, ReachableService } from "../common/contracts";
import { CustomerKey } from "../common/kms-key";
import { LogEncryptionKey } from "../common/log-encryption-key";
import { PortService } from "../common/reachable-service";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";
import { fitName } from "../common/name-budget";
import { parseSettings, refusePlacement } from "../common/settings/parse";
import { CacheSettingsInput, automaticFailoverOf, cachePlacementProblems, cacheSettings } from "./settings";

export interface CacheProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  /** The `dataTier.cache` settings; validated here with the schema the environment file uses. */
  readonly settings: CacheSettingsInput;
}

/**
 * ElastiCache (Redis OSS or Valkey) in the data subnets: KMS at rest, TLS required in transit, and
 * authentication by IAM through an RBAC user group, so no password or auth token exists anywhere.
 * The built-in `default` user is replaced by a disabled one.
 */
export class Cache extends Construct implements ReachableService {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly securityGroup: ManagedSecurityGroup;
  readonly port: number;
  /** The IAM-authenticated user the app connects as. */
  readonly userName: string;
  /** What a client's role needs to connect (grant it to the app servers). */
  readonly connectStatement: PolicyStatement;
  /** The user operators authenticate as (IAM), and the policy that lets them mint its token. */
  readonly operatorUserName: string;
  readonly operatorPolicy: OperatorPolicy;
  private readonly service: PortService;

  /** The primary endpoint clients connect to. */
  get endpointAddress(): string {
    return this.replicationGroup.primaryEndpointAddress;
  }

  /** Signs IAM auth tokens. */
  get replicationGroupId(): string {
    return this.replicationGroup.replicationGroupId;
  }

  /** Attach to the operators allowed to mint a cache token. */
  get operatorPolicyArn(): string {
    return this.operatorPolicy.policy.arn;
  }

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const settings = parseSettings(cacheSettings, props.settings);
    const { nodes, engine } = settings;
    const dataSubnets = props.network.subnets.data;
    refusePlacement(cachePlacementProblems(settings, dataSubnets.length, new Set(dataSubnets.map((s) => s.az)).size));
    const failover = automaticFailoverOf(settings);
    // Replication group, user and user group ids: at most 40 characters (ElastiCache API).
    const name = fitName(`${props.namePrefix}-cache`, 40);
    this.port = settings.port;
    this.userName = fitName(`${props.namePrefix}-app`, 40);

    this.securityGroup = props.network.securityGroup(this, "sg", "cache", `ElastiCache ${engine}: admitted only from named groups`);
    this.service = new PortService(this.securityGroup, this.port, `ElastiCache ${engine}`);
    const key = new CustomerKey(this, "key", { region: props.region, accountId: props.accountId, alias: name, description: `ElastiCache ${name} at rest` });
    const subnetGroup = new ElasticacheSubnetGroup(this, "subnet-group", { name, description: "Data-tier subnets", subnetIds: dataSubnets.map((s) => s.id) });

    // IAM authentication requires user_id == user_name.
    const appUser = new ElasticacheUser(this, "app-user", {
      userId: this.userName,
      userName: this.userName,
      engine,
      accessString: "on ~* +@all -@admin -@dangerous",
      authenticationMode: { type: "iam" },
    });
    // Every user group must hold a user named "default": this one is switched off.
    const disabledDefault = new ElasticacheUser(this, "disabled-default-user", {
      userId: fitName(`${props.namePrefix}-default`, 40),
      userName: "default",
      engine,
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    // Operators sign in as their own IAM-authenticated user (read and inspect, no writes or admin),
    // so a session at 2 a.m. is told apart from the app and cannot change data by accident.
    this.operatorUserName = fitName(`${props.namePrefix}-operator`, 40);
    const operatorUser = new ElasticacheUser(this, "operator-user", {
      userId: this.operatorUserName,
      userName: this.operatorUserName,
      engine,
      accessString: "on ~* +@read +@connection -@dangerous +info",
      authenticationMode: { type: "iam" },
    });
    recordFact(operatorUser, "role", "operator");
    recordFact(appUser, "role", "app");
    const userGroup = new ElasticacheUserGroup(this, "user-group", {
      userGroupId: fitName(`${props.namePrefix}-cache-users`, 40),
      engine,
      userIds: [disabledDefault.userId, appUser.userId, operatorUser.userId],
    });

    const slowLogName = `/${props.namePrefix}/elasticache/slow-log`;
    const logKey = new LogEncryptionKey(this, "log-key", { region: props.region, accountId: props.accountId, alias: `${name}-logs`, logGroupNames: [slowLogName] });
    const slowLog = new CloudwatchLogGroup(this, "slow-log", { name: slowLogName, retentionInDays: settings.logRetentionInDays, kmsKeyId: logKey.arn });

    this.replicationGroup = new ElasticacheReplicationGroup(this, "replication-group", {
      replicationGroupId: name,
      description: `${props.namePrefix} cache`,
      engine,
      engineVersion: settings.engineVersion,
      nodeType: settings.nodeType,
      numCacheClusters: nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: this.port,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: "true",
      kmsKeyId: key.arn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [userGroup.userGroupId],
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      autoMinorVersionUpgrade: "true",
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
    });
    const partition = partitionOf(props.region);
    this.operatorPolicy = new OperatorPolicy(this, "operator-policy", {
      name: fitName(`${props.namePrefix}-cache-operators`, 128),
      description: "Mint an IAM auth token for the cache's operator user (read-only)",
      statements: [
        {
          sid: "ConnectAsTheOperatorUser",
          effect: "Allow",
          actions: ["elasticache:Connect"],
          resources: [
            `arn:${partition}:elasticache:${props.region}:${props.accountId}:replicationgroup:${name}`,
            `arn:${partition}:elasticache:${props.region}:${props.accountId}:user:${this.operatorUserName}`,
          ],
        },
      ],
    });
    this.connectStatement = {
      sid: "ConnectToCacheWithIam",
      actions: ["elasticache:Connect"],
      resources: [
        `arn:${partition}:elasticache:${props.region}:${props.accountId}:replicationgroup:${name}`,
        `arn:${partition}:elasticache:${props.region}:${props.accountId}:user:${this.userName}`,
      ],
    };
  }

  allowConnectionsFrom(source: ManagedSecurityGroup, description: string): void {
    this.service.allowConnectionsFrom(source, description);
  }
}

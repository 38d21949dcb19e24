import { Construct } from "constructs";
import { fitName } from "../common/name-budget";
import { parseSettings } from "../common/settings/parse";
import { SessionManagerSettingsInput, sessionManagerSettings } from "./settings";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { partitionOf } from "../common/arn";
import type { PolicyGrantee } from "../common/contracts";
import { CustomerKey } from "../common/kms-key";
import { LogEncryptionKey } from "../common/log-encryption-key";
import { OperatorPolicy } from "../common/managed-policy";
import { SecureBucket } from "../common/secure-bucket";
import type { Network } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

export const SESSION_DOCUMENT = "SSM-SessionManagerRunShell";
const ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs", "kms"];

export interface SessionManagerProps {
  readonly namePrefix: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  /**
   * Every kind of instance sessions may reach (app servers, bastion). The preferences require KMS
   * session encryption and encrypted S3 and CloudWatch logging, and the SSM agent on the instance
   * does that work: each role gets the key and logging permissions, or its sessions fail at the
   * handshake. Each group is admitted to the interface endpoints when they exist.
   */
  readonly instances: readonly ManagedInstances[];
  /** The `access.sessionManager` settings; validated here with the environment file's schema. */
  readonly settings: SessionManagerSettingsInput;
  /**
   * Interface endpoints for ssm, ssmmessages, ec2messages, logs and kms: `settings.interfaceEndpoints`
   * when set, else what the network needs (the wiring knows whether there is a NAT gateway).
   */
  readonly interfaceEndpoints: boolean;
}

export interface ManagedInstances {
  readonly role: PolicyGrantee;
  readonly securityGroup: ManagedSecurityGroup;
}

/**
 * Session Manager: shell access, no inbound port. Sessions are encrypted
 * with a customer key and logged to an encrypted bucket and log group; operators may start
 * sessions only on this environment's instances and end or resume only their own.
 */
export class SessionManager extends Construct {
  readonly operatorPolicy: OperatorPolicy;
  readonly logBucket: SecureBucket;
  readonly logGroup: CloudwatchLogGroup;
  readonly document?: SsmDocument;

  /** Attach to the operators allowed to start sessions. */
  get operatorPolicyArn(): string {
    return this.operatorPolicy.policy.arn;
  }

  constructor(scope: Construct, id: string, props: SessionManagerProps) {
    super(scope, id);
    const settings = parseSettings(sessionManagerSettings, props.settings);
    const idle = settings.idleTimeoutMinutes;
    const max = settings.maxSessionDurationMinutes;
    const partition = partitionOf(props.region);
    const { region, accountId } = props;

    const sessionKey = new CustomerKey(this, "session-key", { region, accountId, alias: `${props.namePrefix}-ssm-sessions`, description: "Encrypts Session Manager session data" });
    const bucketKey = new CustomerKey(this, "log-bucket-key", { region, accountId, alias: `${props.namePrefix}-ssm-session-logs`, description: "Encrypts Session Manager logs in S3" });
    this.logBucket = new SecureBucket(this, "log-bucket", {
      bucketPrefix: `${fitName(`${props.namePrefix}-ssm-logs`, 36)}-`,
      encryption: { kmsKeyArn: bucketKey.arn },
      expireAfterDays: settings.logRetentionInDays,
    });
    const logGroupName = `/${props.namePrefix}/session-manager`;
    const logKey = new LogEncryptionKey(this, "log-key", { region, accountId, alias: `${props.namePrefix}-ssm-log-group`, logGroupNames: [logGroupName] });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", { name: logGroupName, retentionInDays: settings.logRetentionInDays, kmsKeyId: logKey.arn });

    const preferences = settings.preferences;
    if (props.instances.length === 0) throw new Error(`${id}: instances must name at least one kind of managed instance`);
    if (preferences !== "unmanaged") this.document = new SsmDocument(this, "preferences", {
      name: SESSION_DOCUMENT,
      documentType: "Session",
      documentFormat: "JSON",
      // Plain JSON with references interpolated: readable in the plan and by the path verifier.
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: "Session Manager preferences: encrypted, logged, time-limited",
        sessionType: "Standard_Stream",
        inputs: {
          s3BucketName: this.logBucket.name,
          s3KeyPrefix: "sessions/",
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: this.logGroup.name,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: sessionKey.key.keyId,
          runAsEnabled: settings.runAsUser !== undefined,
          runAsDefaultUser: settings.runAsUser ?? "",
          idleSessionTimeout: String(idle),
          maxSessionDuration: String(max),
          shellProfile: { linux: "", windows: "" },
        },
      }),
    });

    if (preferences === "adopt") this.document!.importFrom(SESSION_DOCUMENT);

    // Exactly what the SSM agent needs to log sessions and decrypt their data, on every instance
    // role sessions may reach (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html).
    for (const { role } of props.instances) {
      role.grant({ sid: "SessionLogsToS3", actions: ["s3:PutObject"], resources: [`${this.logBucket.arn}/sessions/*`] });
      role.grant({ sid: "SessionLogBucketEncryptionCheck", actions: ["s3:GetEncryptionConfiguration"], resources: [this.logBucket.arn] });
      role.grant({ sid: "SessionLogsToCloudWatch", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [`${this.logGroup.arn}:*`] });
      role.grant({ sid: "SessionLogGroupEncryptionCheck", actions: ["logs:DescribeLogGroups"], resources: [`arn:${partition}:logs:${region}:${accountId}:log-group:*`] });
      role.grant({ sid: "SessionDataKey", actions: ["kms:Decrypt"], resources: [sessionKey.arn] });
      // A log upload to an SSE-KMS bucket needs GenerateDataKey, and a multipart one (the agent's
      // uploader splits large logs) also kms:Decrypt: S3 decrypts the parts before completing it.
      // Both only through S3. https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
      role.grant({
        sid: "SessionLogBucketKey",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [bucketKey.arn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
      });
    }

    const instances = `arn:${partition}:ec2:${region}:${accountId}:instance/*`;
    this.operatorPolicy = new OperatorPolicy(this, "operator-policy", {
      name: fitName(`${props.namePrefix}-session-operators`, 128),
      description: "Start Session Manager sessions on this environment's instances; end or resume only your own",
      statements: [
        {
          sid: "StartSessionOnThisEnvironment",
          effect: "Allow",
          actions: ["ssm:StartSession"],
          resources: [instances],
          condition: [{ test: "StringEquals", variable: "ssm:resourceTag/Environment", values: [props.environment] }],
        },
        {
          sid: "StartSessionWithThePreferencesDocument",
          effect: "Allow",
          actions: ["ssm:StartSession"],
          resources: [`arn:${partition}:ssm:${region}:${accountId}:document/${SESSION_DOCUMENT}`],
        },
        {
          // Port forwarding to the database and the cache through an app server (AWS-owned document).
          sid: "PortForwardingToRemoteHosts",
          effect: "Allow",
          actions: ["ssm:StartSession"],
          resources: [`arn:${partition}:ssm:${region}::document/AWS-StartPortForwardingSessionToRemoteHost`],
        },
        {
          sid: "EndOrResumeOwnSessionsOnly",
          effect: "Allow",
          actions: ["ssm:TerminateSession", "ssm:ResumeSession"],
          resources: [`arn:${partition}:ssm:*:${accountId}:session/&{aws:userid}-*`],
        },
        {
          sid: "ListForTheConsoleAndCli",
          effect: "Allow",
          actions: ["ssm:DescribeSessions", "ssm:GetConnectionStatus", "ssm:DescribeInstanceInformation", "ec2:DescribeInstances"],
          resources: ["*"],
        },
        { sid: "EncryptSessionData", effect: "Allow", actions: ["kms:GenerateDataKey"], resources: [sessionKey.arn] },
      ],
    });

    if (props.interfaceEndpoints) {
      const endpointGroup = props.network.securityGroup(this, "endpoint-sg", "ssm-endpoints", "Interface endpoints for Session Manager: HTTPS from the instances");
      for (const { securityGroup } of props.instances) {
        securityGroup.connectTo(endpointGroup, 443, { egress: "HTTPS to the Session Manager interface endpoints", ingress: "HTTPS from the managed instances" });
      }
      for (const service of ENDPOINT_SERVICES) {
        new VpcEndpoint(this, `endpoint-${service}`, {
          vpcId: props.network.vpcId,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: props.network.subnetIds("app"),
          securityGroupIds: [endpointGroup.id],
          tags: { Name: `${props.namePrefix}-${service}` },
        });
      }
    }
  }
}

import * as path from "node:path";
import { TerraformOutput } from "cdktf";
import { Bastion } from "../../../modules/bastion";
import { ClientVpn, VpnCertificates } from "../../../modules/client-vpn";
import type { ReachableService } from "../../../modules/common/contracts";
import { InstanceConnect } from "../../../modules/instance-connect";
import { SessionManager } from "../../../modules/session-manager";
import { fromSection } from "./settings-scope";
import type { AwsEnvironmentStack } from "../aws-stack";
import type { DataTierFeature } from "./data-tier";
import type { WebTierFeature } from "./web-tier";

export interface AccessFeature {
  readonly instanceConnect?: InstanceConnect;
  readonly sessionManager?: SessionManager;
  readonly clientVpn?: ClientVpn;
  readonly bastion?: Bastion;
}

/** The shell command that finds an app server: the first in-service instance of the group. */
function instanceLookup(region: string, groupName: string): string {
  return `aws autoscaling describe-auto-scaling-groups --region ${region} --auto-scaling-group-names ${groupName} --query 'AutoScalingGroups[0].Instances[?LifecycleState==\`InService\`].InstanceId | [0]' --output text`;
}

/** The admin access paths (EC2 Instance Connect, Session Manager, Client VPN, bastion): none opens an inbound port to the internet (the bastion admits SSH from named ranges only). */
export function addAccess(stack: AwsEnvironmentStack, web: WebTierFeature | undefined, data: DataTierFeature | undefined): AccessFeature | undefined {
  const { env, network } = stack;
  const access = env.access;
  if (!access) return undefined;
  const common = { namePrefix: stack.namePrefix, region: env.aws.region, accountId: env.aws.accountId, network };
  const app = web?.webTier.appServers;
  const result: { -readonly [K in keyof AccessFeature]: AccessFeature[K] } = {};

  if (access.instanceConnect?.enabled && app) {
    const eic = access.instanceConnect;
    const database = eic.databaseTunnel && data?.database ? { service: data.database, cidrs: network.subnetCidrs("data") } : undefined;
    result.instanceConnect = fromSection(env, ["access", "instanceConnect"], () =>
      new InstanceConnect(stack, "instance-connect", {
        ...common,
        sshTargets: [app.securityGroup],
        sshTargetCidrs: network.subnetCidrs("app"),
        database,
        settings: eic,
        environment: env.name,
      }),
    );
    const endpointId = result.instanceConnect.endpointId;
    new TerraformOutput(stack, "eic_endpoint_id", { value: endpointId, description: "EC2 Instance Connect Endpoint" });
    new TerraformOutput(stack, "eic_ssh_command", {
      value: `npm run connect -- ${env.name} shell --via eic   (or: aws ec2-instance-connect ssh --region ${env.aws.region} --instance-id "$(${instanceLookup(env.aws.region, app.autoScalingGroupName)})" --os-user ${eic.osUsers[0]} --connection-type eice)`,
      description: "SSH with a short-lived key through the EC2 Instance Connect Endpoint",
    });
    if (database) {
      new TerraformOutput(stack, "eic_database_tunnel_command", {
        value: `npm run connect -- ${env.name} db --via eic   (opens localhost:${database.service.port} to the database through the endpoint)`,
        description: "Tunnel a GUI database tool to RDS through the endpoint (then connect to localhost)",
      });
    }
    new TerraformOutput(stack, "eic_operator_policy_arn", { value: result.instanceConnect.operatorPolicyArn, description: "Attach to the operators allowed to open tunnels" });
  }

  if (access.bastion?.enabled && app) {
    const b = access.bastion;
    result.bastion = fromSection(env, ["access", "bastion"], () =>
      new Bastion(stack, "bastion", {
        namePrefix: stack.namePrefix,
        region: env.aws.region,
        network,
        settings: b,
        targets: [app.securityGroup],
        instanceTags: stack.providerTags,
      }),
    );
    new TerraformOutput(stack, "bastion_public_ip", { value: result.bastion.publicIp, description: "Bastion address (SSH from the allowed networks only)" });
    new TerraformOutput(stack, "bastion_instance_id", { value: result.bastion.instanceId, description: "For Session Manager: npm run connect -- <env> shell --instance bastion" });
  }
  if (access.sessionManager?.enabled && app) {
    const ssm = access.sessionManager;
    result.sessionManager = fromSection(env, ["access", "sessionManager"], () =>
      new SessionManager(stack, "session-manager", {
        ...common,
        environment: env.name,
        instances: [
          { role: app, securityGroup: app.securityGroup },
          ...(result.bastion ? [{ role: result.bastion, securityGroup: result.bastion.securityGroup }] : []),
        ],
        settings: ssm,
        // Without a NAT gateway the agent reaches SSM only through interface endpoints.
        interfaceEndpoints: ssm.interfaceEndpoints ?? env.network.natGateways === "none",
      }),
    );
    new TerraformOutput(stack, "ssm_start_session_command", {
      value: `npm run connect -- ${env.name} shell   (or: aws ssm start-session --region ${env.aws.region} --target "$(${instanceLookup(env.aws.region, app.autoScalingGroupName)})")`,
      description: "Shell on an app server, no inbound port",
    });
    new TerraformOutput(stack, "ssm_operator_policy_arn", { value: result.sessionManager.operatorPolicyArn, description: "Attach to the operators allowed to start sessions" });
  }

  if (access.clientVpn?.enabled) {
    const vpn = access.clientVpn;
    const fromStack = (file: string) => path.posix.join(stack.options.projectRootFromStack, vpn.certificates.source === "files" ? vpn.certificates.directory : "", file);
    const certificates: VpnCertificates =
      vpn.certificates.source === "acm"
        ? vpn.certificates
        : { source: "files", caFile: fromStack("ca.crt"), serverCertificateFile: fromStack("server.crt"), serverKeyFile: fromStack("server.key") };
    const services = [data?.database, data?.cache].filter((s): s is NonNullable<typeof s> => s !== undefined) as ReachableService[];
    result.clientVpn = fromSection(env, ["access", "clientVpn"], () =>
      new ClientVpn(stack, "client-vpn", {
        ...common,
        settings: vpn,
        certificates,
        targetSubnets: network.subnets.data,
        authorizedCidrs: [...network.subnetCidrs("data"), ...(vpn.authorizeAppSubnets ? network.subnetCidrs("app") : [])],
        services,
      }),
    );
    new TerraformOutput(stack, "client_vpn_endpoint_id", { value: result.clientVpn.endpointId, description: "Client VPN endpoint" });
    new TerraformOutput(stack, "client_vpn_dns_name", { value: result.clientVpn.dnsName, description: "Give it to `npm run ovpn` to write a client profile" });
  }

  return result;
}

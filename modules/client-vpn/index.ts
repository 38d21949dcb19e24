import { Construct } from "constructs";
import { SettingsError, parseSettings } from "../common/settings/parse";
import { ClientVpnSettingsInput, clientVpnSettings } from "./settings";
import { Fn } from "cdktf";
import * as ipaddr from "ipaddr.js";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { Ec2ClientVpnAuthorizationRule } from "@cdktf/provider-aws/lib/ec2-client-vpn-authorization-rule";
import { Ec2ClientVpnEndpoint } from "@cdktf/provider-aws/lib/ec2-client-vpn-endpoint";
import { Ec2ClientVpnNetworkAssociation } from "@cdktf/provider-aws/lib/ec2-client-vpn-network-association";
import type { ReachableService } from "../common/contracts";
import { LogEncryptionKey } from "../common/log-encryption-key";
import type { Network, SubnetRef } from "../network";
import type { ManagedSecurityGroup } from "../network/security-group";

/** Certificates already in ACM (the hardened path), or PEM files imported into ACM by Terraform. */
export type VpnCertificates =
  | { readonly source: "acm"; readonly serverCertificateArn: string; readonly clientRootCertificateArn?: string }
  | { readonly source: "files"; readonly caFile: string; readonly serverCertificateFile: string; readonly serverKeyFile: string };

export interface ClientVpnProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly network: Network;
  /** The `access.clientVpn` settings; validated here with the environment file's schema. */
  readonly settings: ClientVpnSettingsInput;
  /** The certificates as Terraform reads them (ACM ARNs, or files relative to the stack folder). */
  readonly certificates: VpnCertificates;
  /** Subnets the endpoint is associated with, one per AZ (the data subnets). */
  readonly targetSubnets: readonly SubnetRef[];
  /** CIDRs clients may reach (authorization rules). Never 0.0.0.0/0. */
  readonly authorizedCidrs: string[];
  /** Services VPN clients may connect to; each admits the VPN's group. @default none */
  readonly services?: ReachableService[];
}

/** The VPC resolver: the VPC's base address plus two. */
export function vpcResolver(vpcCidr: string): string {
  const [base] = ipaddr.IPv4.parseCIDR(vpcCidr);
  const bytes = base.toByteArray();
  const value = bytes.reduce((acc, b) => acc * 256 + b, 0) + 2;
  return ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256)).toString();
}

/**
 * Remote database access: AWS Client VPN with mutual TLS, split tunnel, UDP 443, the
 * VPC resolver for DNS, associated with the data subnets, authorized only for named CIDRs.
 */
export class ClientVpn extends Construct {
  readonly endpoint: Ec2ClientVpnEndpoint;
  readonly securityGroup: ManagedSecurityGroup;

  /** The Client VPN endpoint. */
  get endpointId(): string {
    return this.endpoint.id;
  }

  /** What a client profile connects to. */
  get dnsName(): string {
    return this.endpoint.dnsName;
  }

  constructor(scope: Construct, id: string, props: ClientVpnProps) {
    super(scope, id);
    if (props.authorizedCidrs.length === 0) throw new Error(`${id}: authorizedCidrs must name at least one network`);
    if (props.authorizedCidrs.some((cidr) => cidr.endsWith("/0"))) throw new Error(`${id}: authorizedCidrs must not include a default route, got ${props.authorizedCidrs.join(", ")}`);
    if (props.targetSubnets.length === 0) throw new Error(`${id}: targetSubnets must not be empty`);
    const azs = props.targetSubnets.map((s) => s.az);
    if (new Set(azs).size !== azs.length) throw new Error(`${id}: targetSubnets must be one per AZ`);
    const settings = parseSettings(clientVpnSettings, props.settings);
    const clientCidr = settings.clientCidr;
    const [, prefix] = ipaddr.IPv4.parseCIDR(clientCidr);
    const dnsServers = settings.dnsServers ?? [vpcResolver(props.network.vpcCidr)];
    const vpcRange = ipaddr.IPv4.parseCIDR(props.network.vpcCidr);
    for (const server of dnsServers) {
      if (!ipaddr.IPv4.isValidFourPartDecimal(server) || !ipaddr.IPv4.parse(server).match(vpcRange)) {
        throw new SettingsError(["dnsServers"], `${server} must be an IPv4 address inside the VPC ${props.network.vpcCidr} (only VPC traffic enters the split tunnel)`);
      }
    }
    if (prefix < 12 || prefix > 22) throw new SettingsError(["clientCidr"], `${clientCidr} must be between /12 and /22 (AWS Client VPN limits)`);

    let serverArn: string;
    let rootArn: string;
    if (props.certificates.source === "acm") {
      serverArn = props.certificates.serverCertificateArn;
      rootArn = props.certificates.clientRootCertificateArn ?? serverArn;
    } else {
      // file() keeps the key out of the synthesized JSON; Terraform still stores it in state.
      const imported = new AcmCertificate(this, "server-certificate", {
        certificateBody: Fn.file(props.certificates.serverCertificateFile),
        privateKey: Fn.file(props.certificates.serverKeyFile),
        certificateChain: Fn.file(props.certificates.caFile),
        tags: { Name: `${props.namePrefix}-vpn-server` },
      });
      serverArn = imported.arn;
      rootArn = imported.arn; // client certificates come from the same CA
    }

    this.securityGroup = props.network.securityGroup(this, "sg", "client-vpn", "Client VPN: traffic of connected clients into the VPC");
    for (const service of props.services ?? []) service.allowConnectionsFrom(this.securityGroup, "Client VPN users");

    const logGroupName = `/${props.namePrefix}/client-vpn`;
    const logKey = new LogEncryptionKey(this, "log-key", { region: props.region, accountId: props.accountId, alias: `${props.namePrefix}-client-vpn-logs`, logGroupNames: [logGroupName] });
    const logGroup = new CloudwatchLogGroup(this, "log-group", { name: logGroupName, retentionInDays: settings.logRetentionInDays, kmsKeyId: logKey.arn });
    const logStream = new CloudwatchLogStream(this, "log-stream", { name: "connections", logGroupName: logGroup.name });

    this.endpoint = new Ec2ClientVpnEndpoint(this, "endpoint", {
      description: `${props.namePrefix} remote access to the data tier`,
      clientCidrBlock: clientCidr,
      serverCertificateArn: serverArn,
      authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: rootArn }],
      splitTunnel: true,
      transportProtocol: settings.transport,
      vpnPort: settings.port,
      dnsServers,
      vpcId: props.network.vpcId,
      securityGroupIds: [this.securityGroup.id],
      selfServicePortal: "disabled",
      sessionTimeoutHours: settings.sessionTimeoutHours,
      disconnectOnSessionTimeout: true,
      connectionLogOptions: { enabled: true, cloudwatchLogGroup: logGroup.name, cloudwatchLogStream: logStream.name },
      tags: { Name: `${props.namePrefix}-client-vpn` },
    });
    for (const subnet of props.targetSubnets) {
      new Ec2ClientVpnNetworkAssociation(this, `association-${subnet.key}`, { clientVpnEndpointId: this.endpoint.id, subnetId: subnet.id });
    }
    // Associations add the route to the VPC; authorizations decide what clients may reach within it.
    // Authorization is deny-by-default for DNS too: without a rule for the resolver, names never
    // resolve (https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-rules.html).
    for (const server of dnsServers) {
      new Ec2ClientVpnAuthorizationRule(this, `authorize-dns-${server.replace(/\./g, "-")}`, {
        clientVpnEndpointId: this.endpoint.id,
        targetNetworkCidr: `${server}/32`,
        authorizeAllGroups: true,
        description: `Clients may query the DNS server ${server}`,
      });
    }
    props.authorizedCidrs.forEach((cidr) => {
      new Ec2ClientVpnAuthorizationRule(this, `authorize-${cidr.replace(/[./]/g, "-")}`, {
        clientVpnEndpointId: this.endpoint.id,
        targetNetworkCidr: cidr,
        authorizeAllGroups: true,
        description: `Clients may reach ${cidr}`,
      });
    });
  }
}

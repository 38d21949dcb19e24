import { Ec2ClientVpnEndpoint } from "@cdktf/provider-aws/lib/ec2-client-vpn-endpoint";
import { Ec2InstanceConnectEndpoint } from "@cdktf/provider-aws/lib/ec2-instance-connect-endpoint";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { vpcResolver } from "../modules/client-vpn";
import { errorFor, exampleWith } from "./helpers/environment";
import { resourcesOf, synthAws } from "./helpers/synth";

const docs = (tf: any) => tf.data.aws_iam_policy_document as Record<string, any>;
const doc = (tf: any, fragment: string) => Object.entries(docs(tf)).find(([name]) => name.includes(fragment))![1];
const rules = (tf: any, type: string, prefix: string) =>
  (Object.entries(resourcesOf(tf, type)) as [string, any][]).filter(([name]) => name.startsWith(prefix)).map(([, rule]) => rule);

describe("EC2 Instance Connect Endpoint (seed 003)", () => {
  const { json, tf } = synthAws(exampleWith());

  it("sits in an app subnet with its own group and client-IP preservation off", () => {
    expect(json).toHaveResourceWithProperties(Ec2InstanceConnectEndpoint, { preserve_client_ip: false });
    const [endpoint] = Object.values(resourcesOf(tf, "aws_ec2_instance_connect_endpoint")) as any[];
    expect(endpoint.subnet_id).toContain("subnet-app-a");
    expect(endpoint.security_group_ids[0]).toContain("instance-connect_sg");
  });

  it("reaches only port 22 of the app servers, which admit 22 only from it (and the bastion)", () => {
    expect(rules(tf, "aws_vpc_security_group_egress_rule", "instance-connect_sg_").map((r) => [r.from_port, r.referenced_security_group_id.includes("web-tier_app-sg")])).toEqual([[22, true]]);
    expect(rules(tf, "aws_vpc_security_group_ingress_rule", "instance-connect_sg_")).toEqual([]);
    const ssh = rules(tf, "aws_vpc_security_group_ingress_rule", "web-tier_app-sg_in-22");
    expect(ssh.map((r) => r.referenced_security_group_id.replace(/_group_\w+\.id\}$/, "")).sort()).toEqual(["${aws_security_group.bastion_sg", "${aws_security_group.instance-connect_sg"]);
  });

  it("gives operators OpenTunnel on this endpoint only, to port 22 of the app subnets, for at most an hour", () => {
    expect(doc(tf, "instance-connect_operator-policy").statement).toEqual([
      {
        sid: "OpenTunnelToTargetsOnly",
        effect: "Allow",
        actions: ["ec2-instance-connect:OpenTunnel"],
        resources: [expect.stringMatching(/^\$\{aws_ec2_instance_connect_endpoint\.instance-connect_endpoint_\w+\.arn\}$/)],
        condition: [
          { test: "NumericEquals", variable: "ec2-instance-connect:remotePort", values: ["22"] },
          { test: "IpAddress", variable: "ec2-instance-connect:privateIpAddress", values: ["172.16.32.0/20", "172.16.48.0/20"] },
          { test: "NumericLessThanEquals", variable: "ec2-instance-connect:maxTunnelDuration", values: ["3600"] },
        ],
      },
      {
        sid: "SendSshKeyAsAllowedUsers",
        effect: "Allow",
        actions: ["ec2-instance-connect:SendSSHPublicKey"],
        resources: ["arn:aws:ec2:ap-northeast-2:123456789012:instance/*"],
        condition: [
          { test: "StringEquals", variable: "ec2:osuser", values: ["ec2-user"] },
          { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["example"] },
        ],
      },
      { sid: "DescribeForTheCli", effect: "Allow", actions: ["ec2:DescribeInstances", "ec2:DescribeInstanceConnectEndpoints"], resources: ["*"] },
    ]);
  });

  it("describes the operator policy as its condition reads: no database port while remotePort admits 22 only", () => {
    const policies = Object.values(resourcesOf(tf, "aws_iam_policy")) as any[];
    const eic = policies.find((p) => String(p.name).includes("eic-operators"));
    expect(eic.description).toBe("Open EC2 Instance Connect tunnels only to port 22 of this environment's SSH targets, for at most 3600 s");
    expect(eic.description).not.toMatch(/database|3389|5432/);
  });

  it("with database tunnelling, the RDS port on 3389 joins the policy and the database admits the endpoint", () => {
    const { tf: tunnel } = synthAws(
      exampleWith((d) => {
        d.dataTier.database.port = 3389;
        d.access.instanceConnect.databaseTunnel = true;
      }),
    );
    const [open] = doc(tunnel, "instance-connect_operator-policy").statement;
    expect(open.condition[0].values).toEqual(["22", "3389"]);
    const eic = (Object.values(resourcesOf(tunnel, "aws_iam_policy")) as any[]).find((p) => String(p.name).includes("eic-operators"));
    expect(eic.description).toBe("Open EC2 Instance Connect tunnels only to port 22 of this environment's SSH targets and port 3389 of its database, for at most 3600 s");
    expect(open.condition[1].values).toEqual(["172.16.32.0/20", "172.16.48.0/20", "172.16.128.0/20", "172.16.144.0/20", "172.16.160.0/20"]);
    const dbIngress = rules(tunnel, "aws_vpc_security_group_ingress_rule", "database_sg_in-3389-from-eic");
    expect(dbIngress).toHaveLength(1);
  });

  it("outputs ready-to-paste commands with real names and the region, no placeholders", () => {
    const eic = tf.output.eic_ssh_command.value as string;
    expect(eic).toContain("npm run connect -- example shell --via eic");
    expect(eic).toContain("aws ec2-instance-connect ssh --region ap-northeast-2 --instance-id \"$(aws autoscaling describe-auto-scaling-groups --region ap-northeast-2 --auto-scaling-group-names ${aws_autoscaling_group.web-tier_app-servers_asg_");
    expect(eic).toContain("--os-user ec2-user --connection-type eice");
    expect(tf.output.ssm_start_session_command.value).toContain("aws ssm start-session --region ap-northeast-2 --target \"$(aws autoscaling describe-auto-scaling-groups");
    expect(tf.output.region.value).toBe("ap-northeast-2");
    for (const [name, output] of Object.entries(tf.output) as [string, any][]) expect([name, String(output.value)]).not.toEqual([name, expect.stringMatching(/<[a-z-]+>/)]);
  });
});

describe("Session Manager (seeds 001, 002)", () => {
  const { tf } = synthAws(exampleWith());

  it("sets session preferences: encrypted, logged to S3 and CloudWatch, with idle and maximum durations", () => {
    const [document] = Object.values(resourcesOf(tf, "aws_ssm_document")) as any[];
    expect(document).toMatchObject({ name: "SSM-SessionManagerRunShell", document_type: "Session", document_format: "JSON" });
    const content = JSON.parse(document.content);
    expect(content.sessionType).toBe("Standard_Stream");
    expect(content.inputs).toMatchObject({ s3EncryptionEnabled: true, cloudWatchEncryptionEnabled: true, idleSessionTimeout: "20", maxSessionDuration: "60", s3KeyPrefix: "sessions/" });
    expect(content.inputs.kmsKeyId).toMatch(/^\$\{aws_kms_key\.session-manager_session-key_\w+\.key_id\}$/);
  });

  it("lets operators start sessions on this environment's instances and end or resume only their own", () => {
    const statements = doc(tf, "session-manager_operator-policy").statement;
    expect(statements[0]).toEqual({
      sid: "StartSessionOnThisEnvironment",
      effect: "Allow",
      actions: ["ssm:StartSession"],
      resources: ["arn:aws:ec2:ap-northeast-2:123456789012:instance/*"],
      condition: [{ test: "StringEquals", variable: "ssm:resourceTag/Environment", values: ["example"] }],
    });
    expect(statements[1].resources).toEqual(["arn:aws:ssm:ap-northeast-2:123456789012:document/SSM-SessionManagerRunShell"]);
    // npm run connect -- <env> db|cache: port forwarding through an app server (AWS's own document).
    expect(statements.find((s: any) => s.sid === "PortForwardingToRemoteHosts").resources).toEqual(["arn:aws:ssm:ap-northeast-2::document/AWS-StartPortForwardingSessionToRemoteHost"]);
    expect(statements.find((s: any) => s.sid === "EndOrResumeOwnSessionsOnly")).toEqual({
      sid: "EndOrResumeOwnSessionsOnly",
      effect: "Allow",
      actions: ["ssm:TerminateSession", "ssm:ResumeSession"],
      resources: ["arn:aws:ssm:*:123456789012:session/&{aws:userid}-*"],
    });
  });

  it.each([["app servers", "app-servers_instance-role_granted"], ["bastion", "bastion_instance-role_granted"]])("grants the %s' role exactly what session logging needs (every instance sessions may reach)", (_who, fragment) => {
    const granted = doc(tf, fragment).statement.filter((s: any) => s.sid.startsWith("Session"));
    expect(granted.map((s: any) => [s.sid, s.actions])).toEqual([
      ["SessionLogsToS3", ["s3:PutObject"]],
      ["SessionLogBucketEncryptionCheck", ["s3:GetEncryptionConfiguration"]],
      ["SessionLogsToCloudWatch", ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]],
      ["SessionLogGroupEncryptionCheck", ["logs:DescribeLogGroups"]],
      ["SessionDataKey", ["kms:Decrypt"]],
      ["SessionLogBucketKey", ["kms:GenerateDataKey", "kms:Decrypt"]],
    ]);
    expect(granted[0].resources[0]).toMatch(/session-manager_log-bucket_\w+\.arn\}\/sessions\/\*$/);
    // S3 multipart uploads with SSE-KMS need kms:Decrypt too; both on the log bucket's key only, only through S3.
    const bucketKey = granted.find((s: any) => s.sid === "SessionLogBucketKey");
    expect(bucketKey.resources).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.session-manager_log-bucket-key_\w+\.arn\}$/)]);
    expect(bucketKey.condition).toEqual([{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.ap-northeast-2.amazonaws.com"] }]);
  });

  it("adds private interface endpoints when there is no NAT gateway", () => {
    expect(resourcesOf(tf, "aws_vpc_endpoint")).not.toHaveProperty(["session-manager_endpoint-ssm_0"]);
    const { tf: isolated } = synthAws(exampleWith((d) => { d.network.natGateways = "none"; delete d.cloudflareTunnel; }));
    const interfaces = (Object.values(resourcesOf(isolated, "aws_vpc_endpoint")) as any[]).filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name.split(".").pop()).sort()).toEqual(["ec2messages", "kms", "logs", "ssm", "ssmmessages"]);
    for (const endpoint of interfaces) expect(endpoint.private_dns_enabled).toBe(true);
  });
});

describe("Client VPN with mutual TLS (seed 002)", () => {
  const { json, tf } = synthAws(exampleWith());

  it("authenticates by certificate, splits the tunnel, uses UDP 443 and the VPC resolver, and has no self-service portal", () => {
    expect(json).toHaveResourceWithProperties(Ec2ClientVpnEndpoint, {
      client_cidr_block: "10.100.0.0/22",
      server_certificate_arn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/00000000-0000-0000-0000-000000000001",
      authentication_options: [{ type: "certificate-authentication", root_certificate_chain_arn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/00000000-0000-0000-0000-000000000002" }],
      split_tunnel: true,
      transport_protocol: "udp",
      vpn_port: 443,
      dns_servers: ["172.16.0.2"],
      self_service_portal: "disabled",
      session_timeout_hours: 24,
    });
    const [endpoint] = Object.values(resourcesOf(tf, "aws_ec2_client_vpn_endpoint")) as any[];
    expect(endpoint.connection_log_options.enabled).toBe(true);
  });

  it("is associated with the three data subnets and authorized only for their CIDRs and the VPC resolver", () => {
    const associations = Object.values(resourcesOf(tf, "aws_ec2_client_vpn_network_association")) as any[];
    expect(associations.map((a) => a.subnet_id.match(/subnet-data-[abc]/)![0]).sort()).toEqual(["subnet-data-a", "subnet-data-b", "subnet-data-c"]);
    const authorized = (Object.values(resourcesOf(tf, "aws_ec2_client_vpn_authorization_rule")) as any[]).map((r) => r.target_network_cidr).sort();
    // Authorization is deny-by-default, DNS queries to the resolver included.
    expect(authorized).toEqual(["172.16.0.2/32", "172.16.128.0/20", "172.16.144.0/20", "172.16.160.0/20"]);
  });

  it("pushes a second DNS server inside the VPC when asked, authorized like the resolver", () => {
    const { tf: two } = synthAws(exampleWith((d) => (d.access.clientVpn.dnsServers = ["172.16.0.2", "172.16.1.10"])));
    const [endpoint] = Object.values(resourcesOf(two, "aws_ec2_client_vpn_endpoint")) as any[];
    expect(endpoint.dns_servers).toEqual(["172.16.0.2", "172.16.1.10"]);
    const authorized = (Object.values(resourcesOf(two, "aws_ec2_client_vpn_authorization_rule")) as any[]).map((r) => r.target_network_cidr);
    expect(authorized).toEqual(expect.arrayContaining(["172.16.0.2/32", "172.16.1.10/32"]));
  });

  it("lets VPN clients reach the database and the cache, nothing else", () => {
    const egress = rules(tf, "aws_vpc_security_group_egress_rule", "client-vpn_sg_").map((r) => r.from_port).sort();
    expect(egress).toEqual([5432, 6379]);
  });

  it("imports certificates from files with file(), so no key is a literal in the JSON", () => {
    const { tf: files, json: filesJson } = synthAws(exampleWith((d) => (d.access.clientVpn.certificates = { source: "files", directory: "pki/example" })));
    const [cert] = Object.values(resourcesOf(files, "aws_acm_certificate")).filter((c: any) => c.private_key) as any[];
    expect(cert.private_key).toBe('${file("pki/example/server.key")}');
    expect(cert.certificate_body).toBe('${file("pki/example/server.crt")}');
    expect(filesJson).not.toContain("PRIVATE KEY");
  });

  it("computes the resolver as the VPC base address plus two", () => {
    expect(vpcResolver("172.16.0.0/16")).toBe("172.16.0.2");
    expect(vpcResolver("10.20.0.0/16")).toBe("10.20.0.2");
    expect(vpcResolver("192.168.255.0/24")).toBe("192.168.255.2");
  });
});

describe("bastion (seed 000, optional)", () => {
  const { json, tf } = synthAws(exampleWith());

  it("admits SSH only from the listed networks and has IMDSv2 and an encrypted root volume", () => {
    expect(json).toHaveResourceWithProperties(Instance, { metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "enabled" } });
    const template = (Object.entries(resourcesOf(tf, "aws_launch_template")) as [string, any][]).find(([name]) => name.startsWith("bastion_"))![1];
    expect(template).toMatchObject({
      instance_type: "t4g.micro",
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      block_device_mappings: [{ ebs: { encrypted: "true", volume_type: "gp3", volume_size: 8 } }],
      network_interfaces: [{ associate_public_ip_address: "true" }],
    });
    expect(rules(tf, "aws_vpc_security_group_ingress_rule", "bastion_sg_").map((r) => [r.from_port, r.cidr_ipv4])).toEqual([[22, "203.0.113.0/24"]]);
  });

  it("is launched from a launch template, so its resolve:ssm: image neither breaks the create nor replaces it on every apply", () => {
    const [instance] = Object.values(resourcesOf(tf, "aws_instance")) as any[];
    // aws_instance with ami = resolve:ssm: plus root_block_device fails at create (provider issue 43488)
    // and otherwise reads back an ami-… id that forces replacement on every apply (43364).
    expect(instance.ami).toBeUndefined();
    expect(instance.root_block_device).toBeUndefined();
    expect(instance.launch_template.id).toMatch(/^\$\{aws_launch_template\.bastion_launch-template_\w+\.id\}$/);
    const template = (Object.entries(resourcesOf(tf, "aws_launch_template")) as [string, any][]).find(([name]) => name.startsWith("bastion_"))![1];
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  it("carries the environment's tags on the instance, which the operator policies match", () => {
    const template = (Object.entries(resourcesOf(tf, "aws_launch_template")) as [string, any][]).find(([name]) => name.startsWith("bastion_"))![1];
    const instanceTags = template.tag_specifications.find((t: any) => t.resource_type === "instance").tags;
    expect(instanceTags).toMatchObject({ Environment: "example", Project: "private-access", Name: "private-access-example-bastion" });
  });

  it("is off unless switched on", () => {
    const { tf: none } = synthAws(exampleWith((d) => delete d.access.bastion));
    expect(resourcesOf(none, "aws_instance")).toEqual({});
  });
});

describe("access bad input gets one line naming the field", () => {
  const F = "environments/example.yaml";
  it.each<[string, (d: any) => void, string]>([
    ["a client CIDR overlapping the VPC", (d) => (d.access.clientVpn.clientCidr = "172.16.0.0/22"), `${F}: access.clientVpn.clientCidr 172.16.0.0/22 overlaps the VPC 172.16.0.0/16`],
    ["a client CIDR that is too small", (d) => (d.access.clientVpn.clientCidr = "10.100.0.0/24"), `${F}: access.clientVpn.clientCidr 10.100.0.0/24 must be between /12 and /22`],
    ["a client CIDR that is too large", (d) => (d.access.clientVpn.clientCidr = "10.0.0.0/8"), `${F}: access.clientVpn.clientCidr 10.0.0.0/8 must be between /12 and /22`],
    ["a client CIDR overlapping the office", (d) => (d.access.clientVpn.clientCidr = "203.0.112.0/22"), `${F}: access.clientVpn.clientCidr 203.0.112.0/22 is not a private range`],
    ["a tunnel longer than an hour", (d) => (d.access.instanceConnect.maxTunnelDurationSeconds = 7200), `${F}: access.instanceConnect.maxTunnelDurationSeconds 7200 must be at most 3600`],
    ["a database port the endpoint cannot reach", (d) => (d.access.instanceConnect.databaseTunnel = true), `${F}: access.instanceConnect.databaseTunnel needs dataTier.database.port 22 or 3389`],
    ["a bastion without allowed networks", (d) => (d.access.bastion.allowedCidrs = []), `${F}: access.bastion.allowedCidrs must list the networks allowed to SSH to the bastion`],
    ["a bastion open to the world", (d) => (d.access.bastion.allowedCidrs = ["0.0.0.0/0"]), `${F}: access.bastion.allowedCidrs[0] "0.0.0.0/0" is the whole internet`],
    ["a missing certificate source", (d) => (d.access.clientVpn.certificates = {}), `${F}: access.clientVpn.certificates.source is required: one of`],
    ["a server certificate that is not an ARN", (d) => (d.access.clientVpn.certificates.serverCertificateArn = "server.crt"), `${F}: access.clientVpn.certificates.serverCertificateArn "server.crt" must be an ACM certificate ARN`],
    ["a session timeout AWS does not offer", (d) => (d.access.clientVpn.sessionTimeoutHours = 6), `${F}: access.clientVpn.sessionTimeoutHours 6 must be 8, 10, 12 or 24`],
  ])("%s", (_what, edit, expected) => {
    expect(errorFor(edit).split("\n")).toContainEqual(expect.stringContaining(expected));
  });
});

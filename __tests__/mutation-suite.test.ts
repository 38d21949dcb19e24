import { aclOnTier, aclRule, bootFactsIn, entries, mutated, proofOf, synthesizeVariant } from "./helpers/verify";

/**
 * The verifier's own mutation suite: single edits of the example's synthesized JSON, each one a
 * real breakage on AWS or Cloudflare (or, for the controls, a harmless edit), with the exact set
 * of proofs it must flip. Every other proof must stay green, so a mutation caught on the wrong
 * path, or a check that breaks everything at once, fails here. Grouped by kind of mistake.
 */
const example = synthesizeVariant();

type Edit = (json: any) => void;
interface Mutation {
  readonly kind: string;
  readonly name: string;
  readonly stack?: "example-aws" | "example-cloudflare";
  readonly edit: Edit;
  /** The proofs that must break (empty for a control). */
  readonly breaks: readonly string[];
}

const groupRef = (json: any, suffix: string) => {
  const [name] = entries(json, "aws_security_group").find(([, g]) => String(g.name).endsWith(suffix))!;
  return `\${aws_security_group.${name}.id}`;
};
const policyDoc = (json: any, fragment: string) => (Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes(fragment)) as [string, any])[1];
const withoutSid = (json: any, fragment: string, sid: string) => {
  const doc = policyDoc(json, fragment);
  doc.statement = doc.statement.filter((s: any) => s.sid !== sid);
};

const MUTATIONS: Mutation[] = [
  // --- security groups
  { kind: "security group", name: "the app servers lose their egress to the database", edit: (j) => { for (const [n] of entries(j, "aws_vpc_security_group_egress_rule", "app-sg_out-5432")) delete j.resource.aws_vpc_security_group_egress_rule[n]; }, breaks: ["app-database", "forward-database"] },
  { kind: "security group", name: "the cache admits the app servers on the wrong port", edit: (j) => { for (const [, r] of entries(j, "aws_vpc_security_group_ingress_rule", "cache_sg_in-6379-from-app")) { r.from_port = 6380; r.to_port = 6380; } }, breaks: ["app-cache", "forward-cache"] },
  { kind: "security group", name: "SSH opened to the world in two halves on the app servers", edit: (j) => {
    const group = groupRef(j, "-app");
    j.resource.aws_vpc_security_group_ingress_rule.half_a = { security_group_id: group, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "0.0.0.0/1" };
    j.resource.aws_vpc_security_group_ingress_rule.half_b = { security_group_id: group, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "128.0.0.0/1" };
  }, breaks: ["must-not:internet"] },
  { kind: "security group", name: "the database admits a whole cloud provider's /8", edit: (j) => { j.resource.aws_vpc_security_group_ingress_rule.wide = { security_group_id: groupRef(j, "-db"), ip_protocol: "tcp", from_port: 5432, to_port: 5432, cidr_ipv4: "52.0.0.0/8" }; }, breaks: ["must-not:internet", "must-not:data-undeclared"] },
  { kind: "security group", name: "cloudflared loses its QUIC egress", edit: (j) => { for (const [n] of entries(j, "aws_vpc_security_group_egress_rule", "app-sg_out-udp-7844")) delete j.resource.aws_vpc_security_group_egress_rule[n]; }, breaks: ["tunnel-connects"] },
  { kind: "security group", name: "the bastion given the app servers' group (which the database admits)", edit: (j) => {
    const [, template] = entries(j, "aws_launch_template", "bastion")[0];
    template.network_interfaces[0].security_groups = [...template.network_interfaces[0].security_groups, groupRef(j, "-app")];
  }, breaks: ["must-not:data-undeclared", "must-not:internet"] },
  // (It also lets the app servers' sources, not only the listed networks, reach the bastion.)
  // --- network ACLs
  { kind: "network ACL", name: "the data subnets deny the database port", edit: (j) => aclOnTier(j, "data", [aclRule(100, "deny", "tcp", 5432, 5432), aclRule(200, "allow", "-1", 0, 0)], [aclRule(100, "allow", "-1", 0, 0)]), breaks: ["app-database", "forward-database", "vpn-database"] },
  { kind: "network ACL", name: "the app subnets let no replies back in", edit: (j) => aclOnTier(j, "app", [aclRule(100, "allow", "tcp", 8080, 8080, "172.16.0.0/16"), aclRule(110, "allow", "tcp", 22, 22, "172.16.0.0/16")], [aclRule(100, "allow", "-1", 0, 0)]), breaks: ["app-database", "app-cache", "app-s3", "app-internet", "tunnel-connects", "ssm-shell:app", "forward-database", "forward-cache", "eic-ssh", "web"] },
  // (The EIC endpoint and the internal ALB live in the app subnets: their replies need the same inbound ephemeral ports.)
  // --- routes
  { kind: "route", name: "the second AZ's app subnet loses its route out", edit: (j) => { for (const [n] of entries(j, "aws_route", "rt-app-b-nat")) delete j.resource.aws_route[n]; }, breaks: ["app-internet", "tunnel-connects", "ssm-shell:app", "forward-database", "forward-cache"] },
  // (Port forwarding runs through an app server's SSM agent, which cannot register from there.)
  { kind: "route", name: "the S3 endpoint of another region", edit: (j) => { for (const [, e] of entries(j, "aws_vpc_endpoint")) if (String(e.service_name).endsWith(".s3")) e.service_name = "com.amazonaws.us-east-1.s3"; }, breaks: ["app-s3"] },
  // --- IAM
  { kind: "IAM", name: "the Session Manager operator may no longer use the session key", edit: (j) => withoutSid(j, "session-manager_operator-policy", "EncryptSessionData"), breaks: ["ssm-shell:app", "ssm-shell:bastion"] },
  // (ssm:GetParameter on the token is also in AmazonSSMManagedInstanceCore: the key is what guards it.)
  { kind: "IAM", name: "the app servers may no longer decrypt the tunnel token", edit: (j) => withoutSid(j, "app-servers_instance-role_granted", "DecryptTunnelTokenThroughSsm"), breaks: ["tunnel-connects"] },
  { kind: "IAM", name: "the app servers may overwrite the shared host key", edit: (j) => { const s = policyDoc(j, "app-servers_instance-role_granted").statement.find((x: any) => x.sid === "CreateSharedHostKeyOnce"); delete s.condition; }, breaks: ["tunnel-ssh:ssh.example.com"] },
  { kind: "IAM", name: "the database operator may connect as any database user", edit: (j) => { const doc = policyDoc(j, "database_operator-policy"); doc.statement[0].resources = doc.statement[0].resources.map((r: string) => r.replace(/\/[^/]+$/, "/*")); }, breaks: ["forward-database"] },
  // --- references and attributes
  { kind: "reference", name: "the app servers' instance profile by name where its ARN is required", edit: (j) => { const [, t] = entries(j, "aws_launch_template", "app-servers")[0]; t.iam_instance_profile.arn = t.iam_instance_profile.arn.replace(/\.arn\}$/, ".name}"); }, breaks: ["ssm-shell:app", "app-cache", "app-s3", "tunnel-connects", "tunnel-ssh:ssh.example.com", "forward-database", "forward-cache"] },
  // --- web and edge
  { kind: "web", name: "the listener on 443 speaks plain HTTP", edit: (j) => { for (const [, l] of entries(j, "aws_lb_listener")) if (Number(l.port) === 443) l.protocol = "HTTP"; }, breaks: ["web"] },
  { kind: "web", name: "the office IP set admits one more range", edit: (j) => { for (const [, s] of entries(j, "aws_wafv2_ip_set")) s.addresses = [...s.addresses, "198.51.100.0/24"]; }, breaks: ["web"] },
  { kind: "web", name: "origin access control that never signs", edit: (j) => { for (const [, o] of entries(j, "aws_cloudfront_origin_access_control")) o.signing_behavior = "never"; }, breaks: ["web-static"] },
  // --- data stores
  { kind: "data store", name: "the operator's cache user dropped from the user group", edit: (j) => { for (const [, g] of entries(j, "aws_elasticache_user_group")) g.user_ids = g.user_ids.filter((id: string) => !id.includes("operator-user")); }, breaks: ["forward-cache"] },
  { kind: "data store", name: "the app's cache user dropped from the user group", edit: (j) => { for (const [, g] of entries(j, "aws_elasticache_user_group")) g.user_ids = g.user_ids.filter((id: string) => !id.includes("app-user")); }, breaks: ["app-cache"] },
  // --- Client VPN
  { kind: "Client VPN", name: "clients told a DNS server outside the VPC", edit: (j) => { for (const [, v] of entries(j, "aws_ec2_client_vpn_endpoint")) v.dns_servers = ["8.8.8.8"]; }, breaks: ["vpn-dns"] },
  { kind: "Client VPN", name: "a client range inside the VPC", edit: (j) => { for (const [, v] of entries(j, "aws_ec2_client_vpn_endpoint")) v.client_cidr_block = "172.16.240.0/22"; }, breaks: ["vpn-database", "vpn-cache", "vpn-dns"] },
  // --- the servers' boot
  { kind: "boot", name: "user data edited after synth", edit: (j) => { const [, t] = entries(j, "aws_launch_template", "app-servers")[0]; t.user_data = Buffer.from(`${Buffer.from(t.user_data, "base64").toString()}\necho edited\n`).toString("base64"); }, breaks: ["web", "tunnel-connects", "tunnel-ssh:ssh.example.com"] },
  { kind: "boot", name: "the Access CA trusted for ec2-user", edit: (j) => { const ssh = bootFactsIn(j).parts.find((p: any) => p.name === "ssh-access").facts.ssh; ssh.logins.push({ user: "ec2-user", credential: "certificate", caParameter: ssh.logins[0].caParameter, principals: ["ec2-user"] }); }, breaks: ["tunnel-ssh:ssh.example.com"] },
  // --- Cloudflare
  { kind: "Cloudflare", name: "an Access policy that lets everyone in", stack: "example-cloudflare", edit: (j) => { for (const [, p] of entries(j, "cloudflare_zero_trust_access_policy")) p.include = [...p.include, { everyone: {} }]; }, breaks: ["tunnel-ssh:ssh.example.com"] },
  { kind: "Cloudflare", name: "a DNS record for the SSH host that is not proxied", stack: "example-cloudflare", edit: (j) => { for (const [, r] of entries(j, "cloudflare_dns_record")) r.proxied = false; }, breaks: ["tunnel-ssh:ssh.example.com"] },
  { kind: "Cloudflare", name: "MFA asked of every identity provider, the one-time PIN included", stack: "example-cloudflare", edit: (j) => { for (const [, a] of entries(j, "cloudflare_zero_trust_access_application")) delete a.allowed_idps; }, breaks: ["tunnel-ssh:ssh.example.com"] },
  // --- missing evidence
  { kind: "silence", name: "the Session Manager operator policy deleted", edit: (j) => { for (const [n] of entries(j, "aws_iam_policy", "session-manager_operator-policy")) delete j.resource.aws_iam_policy[n]; }, breaks: ["ssm-shell:app", "ssm-shell:bastion", "forward-database", "forward-cache", "must-not:ssm-elsewhere"] },
  // --- controls: harmless edits that must change nothing
  { kind: "control", name: "a security group rule's description reworded", edit: (j) => { for (const [, r] of entries(j, "aws_vpc_security_group_ingress_rule")) r.description = `${r.description} (reviewed)`; }, breaks: [] },
  { kind: "control", name: "another TLS 1.2+ policy on the listener", edit: (j) => { for (const [, l] of entries(j, "aws_lb_listener")) if (l.ssl_policy) l.ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"; }, breaks: [] },
  { kind: "control", name: "an extra permission the app servers do not need", edit: (j) => { policyDoc(j, "app-servers_instance-role_granted").statement.push({ sid: "Extra", effect: "Allow", actions: ["ec2:DescribeTags"], resources: ["*"] }); }, breaks: [] },
  { kind: "control", name: "a network ACL that admits what the paths need", edit: (j) => aclOnTier(j, "data", [aclRule(100, "allow", "tcp", 5432, 5432, "172.16.0.0/16"), aclRule(110, "allow", "tcp", 6379, 6379, "172.16.0.0/16"), aclRule(111, "allow", "tcp", 5432, 5432, "10.100.0.0/22"), aclRule(112, "allow", "tcp", 6379, 6379, "10.100.0.0/22"), aclRule(120, "allow", "tcp", 1024, 65535), aclRule(130, "allow", "udp", 1024, 65535)], [aclRule(100, "allow", "-1", 0, 0)]), breaks: [] },
  { kind: "control", name: "an extra tag on the VPC", edit: (j) => { for (const [, v] of entries(j, "aws_vpc")) v.tags = { ...v.tags, CostCenter: "42" }; }, breaks: [] },
];

describe("the verifier's mutation suite", () => {
  const caught: string[] = [];
  afterAll(() => {
    const real = MUTATIONS.filter((m) => m.kind !== "control").length;
    const controls = MUTATIONS.length - real;
    console.log(`mutation suite: ${caught.filter((c) => c !== "control").length} of ${real} breakages caught on exactly the right proofs; ${caught.filter((c) => c === "control").length} of ${controls} harmless edits stayed green`);
  });

  it.each(MUTATIONS.map((m) => [`${m.kind}: ${m.name}`, m] as const))("%s", async (_title, mutation) => {
    const proof = await proofOf(mutated(example, mutation.stack ?? "example-aws", mutation.edit));
    const broken = proof.paths.filter((p) => p.verdict !== "holds").map((p) => p.id).sort();
    expect(broken).toEqual([...mutation.breaks].sort());
    caught.push(mutation.kind === "control" ? "control" : mutation.name);
  });
});

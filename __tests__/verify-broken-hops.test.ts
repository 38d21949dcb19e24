import * as fs from "node:fs";
import * as path from "node:path";
import { aclOnTier, aclRule, bootFactsIn, entries, mutated, pathById, proofOf, subnetRefs, synthesizeVariant } from "./helpers/verify";

/**
 * Each broken hop is named: single edits of the example's synthesized JSON, each asserting the
 * hop that breaks and what it says (the mutation suite checks which proofs flip and that the
 * others hold; these check the words a user reads).
 */
const example = synthesizeVariant();

describe("each broken hop is named (mutations of the synthesized JSON)", () => {
  const broken = async (outdir: string, id: string) => {
    const p = pathById(await proofOf(outdir), id);
    expect(p.verdict).toBe("broken");
    return `${p.brokenHop!.name}: ${p.brokenHop!.detail}`;
  };

  it("tags that do not reach the instances: StartSession is denied", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, group] of entries(json, "aws_autoscaling_group")) group.tag = group.tag.filter((t: any) => t.key === "Name");
      for (const [, template] of entries(json, "aws_launch_template", "app-servers")) for (const spec of template.tag_specifications) spec.tags = { Name: spec.tags.Name };
    });
    expect(await broken(outdir, "ssm-shell:app")).toMatch(/^operator may start a session on .*tags it really carries: Name=private-access-example-app.*ImplicitlyDenied.*ssm:resourceTag\/Environment not met/);
  });

  it("the bastion's role without the session key: sessions fail at the handshake", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("bastion_instance-role_granted")) as [string, any];
      doc.statement = doc.statement.filter((s: any) => s.sid !== "SessionDataKey");
    });
    expect(await broken(outdir, "ssm-shell:bastion")).toMatch(/may decrypt session data \(kms:Decrypt on the session key\).*ImplicitlyDenied/);
  });

  it("a dropped egress rule: the app servers no longer reach the database", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_vpc_security_group_egress_rule", "web-tier_app-sg_out-5432")) delete json.resource.aws_vpc_security_group_egress_rule[name];
    });
    expect(await broken(outdir, "app-database")).toContain("no egress rule of private-access-example-app allows TCP 5432 to the database");
  });

  it("a narrowed authorization rule: VPN clients lose a data subnet", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, rule] = entries(json, "aws_ec2_client_vpn_authorization_rule").find(([, r]) => r.target_network_cidr === "172.16.128.0/20")!;
      rule.target_network_cidr = "172.16.128.0/24";
    });
    expect(await broken(outdir, "vpn-database")).toContain("no authorization rule covers 172.16.128.0/20");
  });

  it("no authorization for the resolver: VPN clients cannot resolve names", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name, rule] of entries(json, "aws_ec2_client_vpn_authorization_rule")) if (rule.target_network_cidr.endsWith("/32")) delete json.resource.aws_ec2_client_vpn_authorization_rule[name];
    });
    expect(await broken(outdir, "vpn-dns")).toContain("no authorization rule covers 172.16.0.2");
  });

  it("a world ingress rule: the internet reaches what is not declared public", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [[, app]] = entries(json, "aws_vpc_security_group_ingress_rule", "web-tier_app-sg_in-8080");
      json.resource.aws_vpc_security_group_ingress_rule.world = { ...app, referenced_security_group_id: undefined, cidr_ipv4: "0.0.0.0/0", from_port: 22, to_port: 22 };
    });
    expect(await broken(outdir, "must-not:internet")).toMatch(/^no undeclared ingress from the internet \(private-access-example-app tcp 22\)/);
  });

  it("a bastion launched with ami = resolve:ssm: cannot be created (provider issues 43488, 43364)", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [[, instance]] = entries(json, "aws_instance");
      instance.ami = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
      instance.root_block_device = { encrypted: true };
    });
    expect(await broken(outdir, "bastion-ssh")).toContain("the provider calls DescribeImages with it");
  });

  it("an internet-facing ALB behind a VPC origin: the ALB has a public face nobody declared", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, alb] of entries(json, "aws_lb")) alb.internal = false;
    });
    expect(await broken(outdir, "web")).toContain("the ALB is internal (no public address, no public DNS)");
    expect(await broken(outdir, "must-not:internet")).toContain("the ALB has a public address only when declared");
  });

  it("a health path nothing serves: every instance would be replaced forever", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, group] of entries(json, "aws_lb_target_group")) group.health_check.path = "/healthz";
    });
    expect(await broken(outdir, "web")).toContain("nothing in the boot script listens");
  });

  it("the common rule set blocking large bodies before the office allow rule", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [[, acl]] = entries(json, "aws_wafv2_web_acl");
      const rules = JSON.parse(acl.rule_json);
      delete rules[0].Statement.ManagedRuleGroupStatement.RuleActionOverrides;
      acl.rule_json = JSON.stringify(rules);
    });
    expect(await broken(outdir, "web")).toContain("SizeRestrictions_BODY");
  });

  it("a static bucket trusting every distribution of the account", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("static-bucket_policy-document")) as [string, any];
      const statement = doc.statement.find((s: any) => s.sid === "CloudFrontReadsThroughOac");
      statement.condition = [{ test: "ArnLike", variable: "AWS:SourceArn", values: ["arn:aws:cloudfront::123456789012:distribution/*"] }];
    });
    expect(await broken(outdir, "web-static")).toMatch(/^the bucket policy refuses another distribution: .*Allowed/);
  });

  it("SendSSHPublicKey on every instance of the account", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("instance-connect_operator-policy")) as [string, any];
      const statement = doc.statement.find((s: any) => s.sid === "SendSshKeyAsAllowedUsers");
      statement.condition = statement.condition.filter((c: any) => c.variable === "ec2:osuser");
    });
    expect(await broken(outdir, "must-not:eic-beyond-limits")).toMatch(/^pushing a key to an instance tagged Environment=not-example is denied/);
  });


  it("user data edited after synth (a global TrustedUserCAKeys added): the boot facts no longer describe it, so nothing built on them holds", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, template] = entries(json, "aws_launch_template", "app-servers")[0];
      const script = Buffer.from(template.user_data, "base64").toString();
      template.user_data = Buffer.from(script.replace("PermitRootLogin no\n", "PermitRootLogin no\nTrustedUserCAKeys /etc/ssh/private-access/cloudflare-access-ca.pub\n")).toString("base64");
    });
    expect(await broken(outdir, "tunnel-connects")).toContain("is not the script its recorded parts render");
  });

  it("boot facts trusting the Access CA for ec2-user: the CA's scope is broken", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const ssh = bootFactsIn(json).parts.find((p: any) => p.name === "ssh-access");
      ssh.facts.ssh.logins.push({ user: "ec2-user", credential: "certificate", caParameter: ssh.facts.ssh.logins[0].caParameter, principals: ["ec2-user"] });
    });
    expect(await broken(outdir, "tunnel-ssh:ssh.example.com")).toContain("sshd trusts the CA for ec2-user");
  });

  it("no shared host key: engineers would meet a different host key on each replica", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const facts = bootFactsIn(json);
      facts.parts = facts.parts.filter((p: any) => p.name !== "ssh-host-key");
    });
    expect(await broken(outdir, "tunnel-ssh:ssh.example.com")).toContain("each replica (and each instance refresh) shows engineers a different one");
  });

  it("a person's certificate mapped to someone else's account", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const ssh = bootFactsIn(json).parts.find((p: any) => p.name === "ssh-access");
      ssh.facts.ssh.logins[1].principals = ["alice"];
    });
    expect(await broken(outdir, "tunnel-ssh:ssh.example.com")).toContain("bob@partner.example logs in as their own account bob");
  });

  it("cloudflared installed from nowhere checked: the install hop names the source", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const part = bootFactsIn(json).parts.find((p: any) => p.name === "cloudflared");
      part.packages = [];
    });
    expect(await broken(outdir, "tunnel-connects")).toContain("installs no cloudflared package");
  });

  it("a network ACL denying the database port on the data subnets: the app servers no longer reach the database", async () => {
    const outdir = mutated(example, "example-aws", (json) => aclOnTier(json, "data", [aclRule(100, "deny", "tcp", 5432, 5432), aclRule(200, "allow", "-1", 0, 0)], [aclRule(100, "allow", "-1", 0, 0)]));
    expect(await broken(outdir, "app-database")).toContain("data-acl inbound rule 100 denies TCP 5432");
  });

  it("a network ACL without the replies' ephemeral ports: stateless, so the database's answers never get back", async () => {
    const outdir = mutated(example, "example-aws", (json) => aclOnTier(json, "data", [aclRule(100, "allow", "tcp", 5432, 5432, "172.16.0.0/16"), aclRule(110, "allow", "tcp", 6379, 6379, "172.16.0.0/16")], [aclRule(100, "allow", "tcp", 5432, 5432, "172.16.0.0/16")]));
    expect(await broken(outdir, "app-database")).toMatch(/no outbound rule allows TCP 32768-60999/);
  });

  it("control: a network ACL that admits the database port and the replies keeps every path green", async () => {
    const outdir = mutated(example, "example-aws", (json) => aclOnTier(json, "data", [aclRule(100, "allow", "tcp", 5432, 5432, "172.16.0.0/16"), aclRule(110, "allow", "tcp", 6379, 6379, "172.16.0.0/16"), aclRule(120, "allow", "tcp", 1024, 65535, "0.0.0.0/0"), aclRule(130, "allow", "udp", 1024, 65535, "0.0.0.0/0")], [aclRule(100, "allow", "-1", 0, 0)]));
    const proof = await proofOf(outdir);
    expect(proof.paths.filter((p) => p.verdict !== "holds").map((p) => `${p.id}: ${p.brokenHop?.detail}`)).toEqual([]);
  });

  it("SSH opened to the world written as two halves (0.0.0.0/1 + 128.0.0.0/1): still the internet", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, app] = entries(json, "aws_security_group").find(([, g]) => String(g.name).endsWith("-app"))!;
      const group = `\${aws_security_group.${entries(json, "aws_security_group").find(([, g]) => g === app)![0]}.id}`;
      json.resource.aws_vpc_security_group_ingress_rule.half_a = { security_group_id: group, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "0.0.0.0/1", description: "ssh" };
      json.resource.aws_vpc_security_group_ingress_rule.half_b = { security_group_id: group, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "128.0.0.0/1", description: "ssh" };
    });
    expect(await broken(outdir, "must-not:internet")).toContain("the whole internet");
  });

  it("the Session Manager operator policy deleted: the paths that need it fail, none vanish from the report", async () => {
    const before = (await proofOf(example)).paths.map((p) => p.id).sort();
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_iam_policy", "session-manager_operator-policy")) delete json.resource.aws_iam_policy[name];
    });
    const proof = await proofOf(outdir);
    expect(proof.paths.map((p) => p.id).sort()).toEqual(before);
    for (const id of ["ssm-shell:app", "ssm-shell:bastion", "forward-database", "forward-cache", "must-not:ssm-elsewhere"]) expect([id, pathById(proof, id).verdict]).toEqual([id, "broken"]);
  });

  it("the bastion gone from the stack while the settings declare it: its paths fail, none vanish", async () => {
    const before = (await proofOf(example)).paths.map((p) => p.id).sort();
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_instance", "bastion")) delete json.resource.aws_instance[name];
    });
    const proof = await proofOf(outdir);
    expect(proof.paths.map((p) => p.id).sort()).toEqual(before);
    expect(pathById(proof, "ssm-shell:bastion").verdict).toBe("broken");
    expect(pathById(proof, "bastion-ssh").verdict).toBe("broken");
  });

  it("the listener on 443 speaking plain HTTP", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, listener] of entries(json, "aws_lb_listener")) if (Number(listener.port) === 443) listener.protocol = "HTTP";
    });
    expect(await broken(outdir, "web")).toContain("the listener on 443 terminates TLS");
  });

  it("health checks sent to another port than the app's", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, group] of entries(json, "aws_lb_target_group")) group.health_check.port = "9090";
    });
    expect(await broken(outdir, "web")).toContain("health checks ask the app port");
  });

  it("the office IP set holding one more range than the office's", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, set] of entries(json, "aws_wafv2_ip_set")) set.addresses = [...set.addresses, "198.51.100.0/24"];
    });
    expect(await broken(outdir, "web")).toContain("also allows 198.51.100.0/24");
  });

  it("origin access control that never signs", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, oac] of entries(json, "aws_cloudfront_origin_access_control")) oac.signing_behavior = "never";
    });
    expect(await broken(outdir, "web-static")).toContain("signing_behavior never");
  });

  it.each<[string, (json: any) => void]>([
    ["a security group rule's description reworded", (json) => { for (const [, r] of entries(json, "aws_vpc_security_group_ingress_rule")) r.description = `${r.description} (reviewed)`; }],
    ["the listener's SSL policy changed to another TLS 1.2+ policy", (json) => { for (const [, l] of entries(json, "aws_lb_listener")) if (l.ssl_policy) l.ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"; }],
    ["an extra tag on the VPC", (json) => { for (const [, v] of entries(json, "aws_vpc")) v.tags = { ...v.tags, CostCenter: "42" }; }],
  ])("control: %s keeps every path green", async (_what, edit) => {
    const proof = await proofOf(mutated(example, "example-aws", edit));
    expect(proof.paths.filter((p) => p.verdict !== "holds").map((p) => `${p.id}: ${p.brokenHop?.detail}`)).toEqual([]);
  });

  it("the S3 gateway endpoint of another region: this region's buckets are not behind it", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, e] of entries(json, "aws_vpc_endpoint")) if (String(e.service_name).endsWith(".s3")) e.service_name = "com.amazonaws.us-east-1.s3";
    });
    expect(await broken(outdir, "app-s3")).toContain("S3 traffic from the app subnets takes the gateway endpoint");
  });

  it("an endpoint policy that lets only another bucket through", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, e] of entries(json, "aws_vpc_endpoint")) if (String(e.service_name).endsWith(".s3")) e.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::someone-elses-bucket/*" }] });
    });
    expect(await broken(outdir, "app-s3")).toContain("the endpoint's policy lets the request through");
  });

  it("app servers without HTTPS out: S3 through the gateway endpoint is filtered by security groups too", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_vpc_security_group_egress_rule", "app-sg_out-443")) delete json.resource.aws_vpc_security_group_egress_rule[name];
    });
    expect(await broken(outdir, "app-s3")).toContain("app servers may send HTTPS to S3");
  });

  it("the database's subnet group moved to the app subnets: the database is found where it really is", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [, g] of entries(json, "aws_db_subnet_group")) g.subnet_ids = subnetRefs(json, "app");
      // A network ACL on the app subnets now stands in front of the database.
      aclOnTier(json, "app", [aclRule(100, "deny", "tcp", 5432, 5432), aclRule(200, "allow", "-1", 0, 0)], [aclRule(100, "allow", "-1", 0, 0)]);
    });
    expect(await broken(outdir, "app-database")).toContain("app-acl inbound rule 100 denies TCP 5432");
  });

  it("the operator policy without kms:GenerateDataKey on the session key: encrypted sessions fail at the handshake", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("session-manager_operator-policy")) as [string, any];
      doc.statement = doc.statement.filter((st: any) => st.sid !== "EncryptSessionData");
    });
    expect(await broken(outdir, "ssm-shell:app")).toContain("operator may open the encrypted session");
  });

  it("the second AZ's app subnet without its route out: the agent there cannot register (every subnet is checked, not the first)", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_route", "rt-app-b-nat")) delete json.resource.aws_route[name];
    });
    expect(await broken(outdir, "ssm-shell:app")).toContain("in private-access-example-app-b has a route to Session Manager's endpoints");
  });

  it("the app servers' instance profile referenced by name where its ARN is required: the instances get no role", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, template] = entries(json, "aws_launch_template", "app-servers")[0];
      template.iam_instance_profile.arn = template.iam_instance_profile.arn.replace(/\.arn\}$/, ".name}");
    });
    expect(await broken(outdir, "ssm-shell:app")).toContain("has an instance role");
  });

  it("an ingress rule on the database's group given the group's ARN instead of its id: it admits nothing", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name, r] of entries(json, "aws_vpc_security_group_ingress_rule", "database_sg_in-5432")) {
        json.resource.aws_vpc_security_group_ingress_rule[name] = { ...r, security_group_id: r.security_group_id.replace(/\.id\}$/, ".arn}") };
      }
    });
    expect(await broken(outdir, "app-database")).toContain("no ingress rule");
  });

  it("a tunnel still published while the settings turn it off: the stacks are checked, not only the settings", async () => {
    const off = synthesizeVariant((d) => (d.cloudflareTunnel.enabled = false));
    fs.cpSync(path.join(example, "stacks", "example-cloudflare"), path.join(off, "stacks", "example-cloudflare"), { recursive: true });
    expect(await broken(off, "must-not:internet")).toContain("nothing is published through Cloudflare when the settings turn the tunnel off");
  });

  it("cloudflared without its egress: the tunnel never connects", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_vpc_security_group_egress_rule", "7844")) delete json.resource.aws_vpc_security_group_egress_rule[name];
    });
    expect(await broken(outdir, "tunnel-connects")).toMatch(/app servers → Cloudflare on (TCP|UDP) 7844/);
  });

  it("a typo in an IAM action", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("session-manager_operator-policy")) as [string, any];
      doc.statement[0].actions = ["ssm:StartSesion"];
    });
    expect(await broken(outdir, "iam-vocabulary")).toContain("action ssm:StartSesion does not exist");
  });

  it("two resources owning one ACM validation record", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [name, record] = entries(json, "aws_route53_record", "validation-app").find(([, r]) => String(r.name).includes('"app.example.com"'))!;
      json.resource.aws_route53_record[`${name}-copy`] = { ...record, "//": { metadata: { path: "example-aws/edge/certificate/validation" } } };
    });
    expect(await broken(outdir, "dns-one-owner")).toMatch(/^ACM validation CNAME of app\.example\.com has one owner: 2 resources write it/);
  });

  it("no port-forwarding document in the operator policy: npm run connect -- <env> db cannot open", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("session-manager_operator-policy")) as [string, any];
      doc.statement = doc.statement.filter((s: any) => s.sid !== "PortForwardingToRemoteHosts");
    });
    expect(await broken(outdir, "forward-database")).toMatch(/^with the port-forwarding document: ssm:StartSession on arn:aws:ssm:ap-northeast-2::document\/AWS-StartPortForwardingSessionToRemoteHost → ImplicitlyDenied/);
  });

  it("the database operator policy widened to every user: connecting as the master user is no longer denied", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      const [, doc] = Object.entries(json.data.aws_iam_policy_document).find(([name]) => name.includes("database_operator-policy")) as [string, any];
      doc.statement[0].resources = [doc.statement[0].resources[0].replace(/\/operators$/, "/*")];
    });
    expect(await broken(outdir, "forward-database")).toMatch(/^operator may not rds-db:connect as app_admin: rds-db:connect on arn:aws:rds-db:ap-northeast-2:123456789012:dbuser:db-[0-9A-Z]{26}\/app_admin → Allowed/);
  });

  it("no database operator policy: operators cannot mint a database token", async () => {
    const outdir = mutated(example, "example-aws", (json) => {
      for (const [name] of entries(json, "aws_iam_policy", "database_operator-policy")) delete json.resource.aws_iam_policy[name];
    });
    expect(await broken(outdir, "forward-database")).toBe("operators may mint an IAM token for the database: no operator policy allows rds-db:connect");
  });

  it("no deploy role: nobody can write the app bucket", async () => {
    const outdir = mutated(example, "example-aws", (json) => delete json.output.deploy_role_arn);
    expect(await broken(outdir, "app-s3")).toContain("no principal can write the bucket");
  });
});

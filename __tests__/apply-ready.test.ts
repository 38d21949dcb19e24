import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { stringify } from "yaml";
import { loadEnvironmentFile } from "../src/config/load";
import { evaluateIam } from "../src/verify/iam";
import { instanceKinds } from "../src/verify/instances";
import { StackModel } from "../src/verify/stack-model";
import { StateBackendStack } from "../terraform-state-backend/stack";
import { errorFor, exampleDocument, exampleWith } from "./helpers/environment";
import { byName, resourcesOf, synthAws } from "./helpers/synth";
import { bootPartsOf } from "./helpers/boot";
import { renderPartScript } from "../modules/common/boot/render-user-data";

/** What each apply-ready defect meant once applied, asserted on the meaning of the synthesized JSON. */
const synthesized = synthAws(exampleWith());
const { tf } = synthesized;
const model = new StackModel("example-aws", tf as never, "ap-northeast-2", "123456789012");
const appKind = () => instanceKinds(model, tf.provider.aws[0].default_tags[0].tags).find((k) => k.launcher.type === "aws_autoscaling_group")!;

describe("instances carry the tags the operator policies match (provider default_tags never reach ASG instances)", () => {
  it("the app servers carry Environment and Project through the group's propagated tags and the launch template", () => {
    expect(appKind().tags).toMatchObject({ Environment: "example", Project: "private-access", Owner: "platform-team", Name: "private-access-example-app" });
    const group = Object.values(resourcesOf(tf, "aws_autoscaling_group"))[0] as any;
    expect(group.tag).toContainEqual({ key: "Environment", value: "example", propagate_at_launch: true });
    const template = byName(tf, "aws_launch_template", "app-servers");
    expect(template.tag_specifications.find((t: any) => t.resource_type === "instance").tags.Environment).toBe("example");
  });

  it("so the operator policy's condition value is one the instances really have", () => {
    const operator = Object.entries(tf.data!.aws_iam_policy_document).find(([n]) => n.includes("session-manager_operator-policy"))![1] as any;
    const [wanted] = operator.statement[0].condition[0].values;
    expect(appKind().tags.Environment).toBe(wanted);
  });
});

describe("the app servers pass their health checks after apply", () => {
  const script = () => Buffer.from(byName(tf, "aws_launch_template", "app-servers").user_data, "base64").toString();

  it("start the default app with the image's own Python (no package mirror at boot), serving the health path on the app port as an unprivileged service", () => {
    const part = bootPartsOf(synthesized).find((p) => p.name === "default-app")!;
    expect(part.packages).toEqual([expect.objectContaining({ name: "python3", source: { kind: "image" } })]);
    expect(renderPartScript(part)).not.toMatch(/dnf|curl|wget/);
    expect(script()).toContain('HEALTH = "/api/health"');
    expect(script()).toContain('(os.environ.get("APP_ADDRESS", "0.0.0.0"), 8080), Handler)');
    expect(script()).toContain("DynamicUser=yes");
  });

  it("serve whatever health path the environment sets", () => {
    const custom = synthAws(exampleWith((d) => (d.webTier.healthCheck = { path: "/healthz", matcher: "200" }))).tf;
    expect(Buffer.from(byName(custom, "aws_launch_template", "app-servers").user_data, "base64").toString()).toContain('HEALTH = "/healthz"');
  });

  it("retry what needs the network, and the group waits for the app subnets' route out through NAT", () => {
    expect(script()).toMatch(/^retry\(\) \{/m);
    const group = Object.values(resourcesOf(tf, "aws_autoscaling_group"))[0] as any;
    expect(group.depends_on.sort()).toEqual([expect.stringMatching(/^aws_route\.network_routing_rt-app-a-nat_/), expect.stringMatching(/^aws_route\.network_routing_rt-app-b-nat_/)]);
  });

  it("take a boot script of your own instead, read from a file next to the environment", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-boot-"));
    const script = path.join(dir, "app.sh");
    fs.writeFileSync(script, "dnf install -y nginx && systemctl enable --now nginx\n");
    const doc = exampleDocument();
    doc.webTier.servers.defaultApp = false;
    doc.webTier.servers.bootScriptFile = script;
    const file = path.join(dir, "example.yaml");
    fs.writeFileSync(file, stringify(doc));
    const env = loadEnvironmentFile(file);
    const userData = Buffer.from(byName(synthAws(env).tf, "aws_launch_template", "app-servers").user_data, "base64").toString();
    expect(userData).toMatch(/# --- part app: your own boot script[^\n]*\ncat > \/var\/lib\/private-access\/boot\/01-app\.sh <<'PRIVATE_ACCESS_PART'\n[^]*\ndnf install -y nginx && systemctl enable --now nginx\nPRIVATE_ACCESS_PART\nrun_part /);
    expect(userData).not.toContain("HEALTH =");
  });

  it("refuse a boot script file that cannot be read, naming the file and the field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-boot-"));
    const doc = exampleDocument();
    doc.webTier.servers.bootScriptFile = path.join(dir, "missing.sh");
    const file = path.join(dir, "example.yaml");
    fs.writeFileSync(file, stringify(doc));
    expect(() => loadEnvironmentFile(file)).toThrow(`${file}: webTier.servers.bootScriptFile ${path.join(dir, "missing.sh")} cannot be read`);
  });

  it("refuse an environment where nothing would serve the health path", () => {
    expect(errorFor((d) => (d.webTier.servers.defaultApp = false))).toContain("environments/example.yaml: webTier.servers.defaultApp is false, but nothing else serves /api/health on 8080");
  });
});

describe("deploying the app", () => {
  const trustOf = (t: typeof tf) => Object.entries(t.data!.aws_iam_policy_document).find(([n]) => n.includes("deploy-role_trust"))![1] as any;
  const accountWide = (t: typeof tf) =>
    trustOf(t).statement.filter((s: any) => s.principals.some((p: any) => p.type === "AWS" && p.identifiers.some((id: string) => id.endsWith(":root"))));

  it("a deploy role is the only writer of the app bucket, assumable only by the example's GitHub repository on main (OIDC)", () => {
    const trust = trustOf(tf);
    expect(accountWide(tf)).toEqual([]);
    expect(trust.statement).toEqual([
      {
        sid: "GithubActions",
        effect: "Allow",
        principals: [{ type: "Federated", identifiers: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"] }],
        actions: ["sts:AssumeRoleWithWebIdentity"],
        condition: [
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: ["repo:example-org/example-app:ref:refs/heads/main"] },
        ],
      },
    ]);
    // The account's provider is referenced by default, not created.
    expect(resourcesOf(tf, "aws_iam_openid_connect_provider")).toEqual({});
    expect(tf.output.deploy_role_arn.value).toMatch(/^\$\{aws_iam_role\.web-tier_deploy-role_\w+\.arn\}$/);
  });

  it("a GitHub environment replaces the branch in the subject; `create` makes the OIDC provider and trusts it", () => {
    const t = synthAws(exampleWith((d) => (d.webTier.deploy = { githubRepository: "acme/shop", githubEnvironment: "production", githubOidcProvider: "create" }))).tf;
    const [provider] = Object.values(resourcesOf(t, "aws_iam_openid_connect_provider")) as any[];
    expect(provider).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    const github = trustOf(t).statement.find((s: any) => s.sid === "GithubActions");
    expect(github.principals[0].identifiers[0]).toMatch(/^\$\{aws_iam_openid_connect_provider\.web-tier_deploy-role_github-oidc_\w+\.arn\}$/);
    expect(github.condition.find((c: any) => c.variable.endsWith(":sub")).values).toEqual(["repo:acme/shop:environment:production"]);
  });

  it("or only by the named CI role", () => {
    const named = synthAws(exampleWith((d) => (d.webTier.deploy = { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] }))).tf;
    const trust = trustOf(named);
    expect(trust.statement).toHaveLength(1);
    expect(trust.statement[0]).toMatchObject({ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/ci"] }] });
  });

  it("refuses a deploy role nobody is named to assume (no silent whole-account trust), in one line naming the field", () => {
    const message = errorFor((d) => delete d.webTier.deploy);
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("environments/example.yaml: webTier.deploy.githubRepository is required");
    expect(message).toContain("webTier.deploy.trustedPrincipalArns");
  });

  it("refuses a repository that is not owner/repo, and a branch with an environment", () => {
    expect(errorFor((d) => (d.webTier.deploy = { githubRepository: "example-app" }))).toContain('webTier.deploy.githubRepository "example-app" must be a GitHub repository as "owner/repo"');
    expect(errorFor((d) => (d.webTier.deploy = { githubRepository: "a/b", githubBranch: "main", githubEnvironment: "prod" }))).toContain("webTier.deploy.githubBranch cannot be combined with webTier.deploy.githubEnvironment");
  });

  it("refuses a deploy principal that is not an IAM ARN", () => {
    expect(errorFor((d) => (d.webTier.deploy = { trustedPrincipalArns: ["ci-bot"] }))).toContain('webTier.deploy.trustedPrincipalArns[0] "ci-bot" must be an IAM role, user or account root ARN');
  });
});

describe("the Session Manager preferences document, one per account and region", () => {
  it("can adopt an existing document through an import block", () => {
    const adopted = synthAws(exampleWith((d) => (d.access.sessionManager.preferences = "adopt"))).tf;
    const [document] = Object.keys(resourcesOf(adopted, "aws_ssm_document"));
    expect((adopted as any).import).toEqual([{ to: `aws_ssm_document.${document}`, id: "SSM-SessionManagerRunShell" }]);
  });

  it("or leave it to another environment", () => {
    const unmanaged = synthAws(exampleWith((d) => (d.access.sessionManager.preferences = "unmanaged"))).tf;
    expect(resourcesOf(unmanaged, "aws_ssm_document")).toEqual({});
  });
});

describe("ACM validation records have one owner", () => {
  const validationRecords = (t: any) => Object.entries(resourcesOf(t, "aws_route53_record")).filter(([, r]: any) => String(r.name).includes("domain_validation_options")) as [string, any][];

  it("the regional and the CloudFront certificate share the record of app.example.com", () => {
    const names = validationRecords(tf).map(([, r]) => /domain_name == "([^"]+)"/.exec(r.name)![1]);
    expect(names.filter((n) => n === "app.example.com")).toHaveLength(1);
    const validations = Object.values(resourcesOf(tf, "aws_acm_certificate_validation")) as any[];
    expect(validations).toHaveLength(2);
    const shared = validationRecords(tf).find(([, r]) => r.name.includes('"app.example.com"'))![0];
    for (const validation of validations) expect(validation.validation_record_fqdns).toContain(`\${aws_route53_record.${shared}.fqdn}`);
  });

  it("turning the edge off keeps that record where it was (same address, same owner)", () => {
    const off = synthAws(exampleWith((d) => (d.webTier.edge.enabled = false))).tf;
    const address = (t: any) => validationRecords(t).find(([, r]) => r.name.includes('"app.example.com"'))![0];
    expect(address(off)).toBe(address(tf));
  });
});

describe("the state bucket accepts the state Terraform uploads", () => {
  const stack = new StateBackendStack(Testing.app(), { accountId: "123456789012", region: "ap-northeast-2", bucketName: "acme-tfstate", noncurrentVersionExpirationDays: 90, locking: "lockfile", accessLogging: false, project: "private-access", ownState: { type: "local" } } as never, { offline: false, localStatePath: "x" });
  const state = JSON.parse(Testing.synth(stack));
  const backend = new StackModel("state-backend", state, "ap-northeast-2", "123456789012");
  const bucket = backend.all("aws_s3_bucket")[0];
  const key = backend.all("aws_kms_key")[0];
  const bucketPolicy = backend.policyFrom(backend.all("aws_s3_bucket_policy")[0].config.policy)!;
  const upload = (headers: Record<string, string>) =>
    evaluateIam({
      principal: "arn:aws:iam::123456789012:role/terraform",
      action: "s3:PutObject",
      resource: `${backend.attribute(bucket.address, "arn")}/private-access/example/example-aws.tfstate.tflock`,
      resourceAccount: "123456789012",
      context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", ...headers },
      identityPolicies: [{ name: "terraform", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] } }],
      resourcePolicy: { name: "state bucket policy", policy: bucketPolicy as never },
    });

  it("with the key ARN the backend is now required to name: allowed", async () => {
    const decision = await upload({ "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": backend.attribute(key.address, "arn") });
    expect(decision.result).toBe("Allowed");
  });

  it("with an alias (sent as the alias string), or without kms_key_id (SSE-S3): denied", async () => {
    expect((await upload({ "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": "alias/private-access-terraform-state" })).result).toBe("ExplicitlyDenied");
    expect((await upload({ "s3:x-amz-server-side-encryption": "AES256" })).result).toBe("ExplicitlyDenied");
  });
});

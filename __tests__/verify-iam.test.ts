import { evaluateIam, type IamRequest } from "../src/verify/iam";
import type { PolicyDocument, PolicyStatementJson } from "../src/verify/iam-policy";
import { checkPolicyVocabulary } from "../src/verify/iam-vocabulary";

const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const policy = (...Statement: PolicyStatementJson[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

const request = (overrides: Partial<IamRequest> & Pick<IamRequest, "action" | "resource">): IamRequest => ({
  principal: ROLE,
  resourceAccount: ACCOUNT,
  context: {},
  identityPolicies: [],
  ...overrides,
});

const reasonsOf = (decision: { reasons: readonly string[] }) => decision.reasons.join("\n");

describe("evaluateIam: kms:Decrypt through S3 (kms:ViaService)", () => {
  const key = `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const identity = policy({
    Sid: "DecryptViaS3",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: key,
    Condition: { StringEquals: { "kms:ViaService": "s3.ap-northeast-2.amazonaws.com" } },
  });
  const keyPolicy = policy({
    Sid: "EnableIAMUserPermissions",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: "kms:*",
    Resource: "*",
  });
  const decrypt = (context: IamRequest["context"]) =>
    evaluateIam(
      request({
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/app/i-0123456789abcdef0`,
        action: "kms:Decrypt",
        resource: key,
        context,
        identityPolicies: [{ name: "app-kms", policy: identity }],
        resourcePolicy: { name: "key-policy", policy: keyPolicy },
      }),
    );

  it("allows Decrypt when the request comes through S3 in the region, naming the identity and key-policy statements", async () => {
    const decision = await decrypt({ "kms:ViaService": "s3.ap-northeast-2.amazonaws.com" });
    expect(decision.result).toBe("Allowed");
    expect(reasonsOf(decision)).toContain("statement DecryptViaS3 of identity policy app-kms");
    expect(reasonsOf(decision)).toContain("statement EnableIAMUserPermissions of key policy of key-policy");
    expect(decision.ignoredContextKeys).toEqual([]);
  });

  it("implicitly denies Decrypt without kms:ViaService, blaming the unmet condition of DecryptViaS3", async () => {
    const decision = await decrypt({});
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain("no statement of identity policy app-kms matches");
    expect(reasonsOf(decision)).toMatch(/statement DecryptViaS3 of identity policy app-kms: condition StringEquals kms:ViaService not met/);
  });
});

describe("evaluateIam: a KMS key policy must grant the account or the principal", () => {
  const key = `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const identity = policy({ Sid: "Decrypt", Effect: "Allow", Action: "kms:Decrypt", Resource: key });
  const decrypt = (keyPolicy: PolicyDocument) =>
    evaluateIam(
      request({
        action: "kms:Decrypt",
        resource: key,
        identityPolicies: [{ name: "app-kms", policy: identity }],
        resourcePolicy: { name: "key-policy", policy: keyPolicy },
      }),
    );

  it("allows when the key policy trusts the account root", async () => {
    const decision = await decrypt(
      policy({ Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
    );
    expect(decision.result).toBe("Allowed");
    expect(reasonsOf(decision)).toContain("statement Decrypt of identity policy app-kms");
    expect(reasonsOf(decision)).toContain("statement AccountRoot");
  });

  it("implicitly denies an identity Allow when the key policy grants only another role", async () => {
    const decision = await decrypt(
      policy({ Sid: "AdminOnly", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, Action: "kms:*", Resource: "*" }),
    );
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain("key policy of key-policy grants nothing to the account or principal");
    expect(reasonsOf(decision)).toMatch(/statement AdminOnly of key policy of key-policy: principal does not match/);
  });
});

describe("evaluateIam: ssm:StartSession limited by ssm:resourceTag/Environment", () => {
  const identity = policy({
    Sid: "StartSessionTagged",
    Effect: "Allow",
    Action: "ssm:StartSession",
    Resource: `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:instance/*`,
    Condition: { StringEquals: { "ssm:resourceTag/Environment": "example" } },
  });
  const start = (context: IamRequest["context"]) =>
    evaluateIam(
      request({
        action: "ssm:StartSession",
        resource: `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:instance/i-0123456789abcdef0`,
        context,
        identityPolicies: [{ name: "operators", policy: identity }],
      }),
    );

  it("allows a session on an instance tagged Environment=example", async () => {
    const decision = await start({ "ssm:resourceTag/Environment": "example" });
    expect(decision.result).toBe("Allowed");
    expect(reasonsOf(decision)).toContain("statement StartSessionTagged of identity policy operators");
    expect(decision.ignoredContextKeys).toEqual([]);
  });

  it("implicitly denies a session on an instance tagged Environment=prod", async () => {
    const decision = await start({ "ssm:resourceTag/Environment": "prod" });
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toMatch(/statement StartSessionTagged of identity policy operators: condition StringEquals ssm:resourceTag\/Environment not met \(the request has prod\)/);
  });

  it("implicitly denies a session on an untagged instance", async () => {
    const decision = await start({});
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toMatch(/statement StartSessionTagged of identity policy operators: condition StringEquals ssm:resourceTag\/Environment not met \(the request lacks the key\)/);
  });
});

describe("evaluateIam: s3:GetObject behind a bucket policy that denies requests outside the VPC endpoint", () => {
  const identity = policy({ Sid: "ReadAppBucket", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::app-bucket/*" });
  const bucketPolicy = policy({
    Sid: "DenyOutsideVpce",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::app-bucket", "arn:aws:s3:::app-bucket/*"],
    Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-123" } },
  });
  const get = (context: IamRequest["context"]) =>
    evaluateIam(
      request({
        action: "s3:GetObject",
        resource: "arn:aws:s3:::app-bucket/reports/2024.csv",
        context,
        identityPolicies: [{ name: "app-s3", policy: identity }],
        resourcePolicy: { name: "bucket-policy", policy: bucketPolicy },
      }),
    );

  it("allows a read through the endpoint vpce-123", async () => {
    const decision = await get({ "aws:SourceVpce": "vpce-123" });
    expect(decision.result).toBe("Allowed");
    expect(reasonsOf(decision)).toContain("statement ReadAppBucket of identity policy app-s3");
  });

  it("explicitly denies a read from outside the endpoint, naming DenyOutsideVpce", async () => {
    for (const context of [{}, { "aws:SourceVpce": "vpce-999" }] as IamRequest["context"][]) {
      const decision = await get(context);
      expect(decision.result).toBe("ExplicitlyDenied");
      expect(decision.reasons).toEqual(["statement DenyOutsideVpce of bucket policy of bucket-policy"]);
    }
  });
});

describe("evaluateIam: ec2-instance-connect:OpenTunnel (iam-data lacks this action's resource and condition keys)", () => {
  const endpoint = `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:instance-connect-endpoint/eice-0123456789abcdef0`;
  const identity = policy({
    Sid: "OpenTunnelSsh",
    Effect: "Allow",
    Action: "ec2-instance-connect:OpenTunnel",
    Resource: endpoint,
    Condition: {
      NumericEquals: { "ec2-instance-connect:remotePort": ["22"] },
      IpAddress: { "ec2-instance-connect:privateIpAddress": ["172.16.32.0/20"] },
      NumericLessThanEquals: { "ec2-instance-connect:maxTunnelDuration": ["3600"] },
    },
  });
  const tunnel = (remotePort: string, privateIpAddress: string, maxTunnelDuration: string) =>
    evaluateIam(
      request({
        action: "ec2-instance-connect:OpenTunnel",
        resource: endpoint,
        context: {
          "ec2-instance-connect:remotePort": remotePort,
          "ec2-instance-connect:privateIpAddress": privateIpAddress,
          "ec2-instance-connect:maxTunnelDuration": maxTunnelDuration,
        },
        identityPolicies: [{ name: "eice", policy: identity }],
      }),
    );
  const unchecked = "evaluated without the simulator's input checks (its data lacks this action's resource or condition keys)";

  it("allows an SSH tunnel to 172.16.40.5 for an hour, saying the input checks were skipped", async () => {
    const decision = await tunnel("22", "172.16.40.5", "3600");
    expect(decision.result).toBe("Allowed");
    expect(decision.reasons).toContain(unchecked);
    expect(decision.reasons).toContain("statement OpenTunnelSsh of identity policy eice");
    expect(decision.ignoredContextKeys).toEqual([]);
  });

  it("implicitly denies a tunnel to port 5432", async () => {
    const decision = await tunnel("5432", "172.16.40.5", "3600");
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(decision.reasons).toContain(unchecked);
    expect(reasonsOf(decision)).toContain("statement OpenTunnelSsh of identity policy eice: condition NumericEquals ec2-instance-connect:remotePort not met (the request has 5432)");
  });

  it("implicitly denies a tunnel lasting two hours", async () => {
    const decision = await tunnel("22", "172.16.40.5", "7200");
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain("statement OpenTunnelSsh of identity policy eice: condition NumericLessThanEquals ec2-instance-connect:maxTunnelDuration not met");
  });

  it("implicitly denies a tunnel to 10.0.0.5, outside 172.16.32.0/20", async () => {
    const decision = await tunnel("22", "10.0.0.5", "3600");
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain("statement OpenTunnelSsh of identity policy eice: condition IpAddress ec2-instance-connect:privateIpAddress not met");
  });

  it("names every condition a denied tunnel fails", async () => {
    const decision = await tunnel("5432", "172.16.40.5", "7200");
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain(
      "statement OpenTunnelSsh of identity policy eice: condition NumericEquals ec2-instance-connect:remotePort not met (the request has 5432); condition NumericLessThanEquals ec2-instance-connect:maxTunnelDuration not met (the request has 7200)",
    );
  });

  it("does not fall back when a resource policy is present: the simulator's error becomes an implicit deny", async () => {
    const decision = await evaluateIam(
      request({
        action: "ec2-instance-connect:OpenTunnel",
        resource: endpoint,
        context: { "ec2-instance-connect:remotePort": "22" },
        identityPolicies: [{ name: "eice", policy: identity }],
        resourcePolicy: { name: "endpoint-policy", policy: policy({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) },
      }),
    );
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toContain("multiple.resource.types");
  });
});

describe("evaluateIam: ssm:TerminateSession on the caller's own sessions (${aws:userid})", () => {
  const terminate = (resourceTemplate: string, sessionId: string) =>
    evaluateIam(
      request({
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/operators/alice`,
        action: "ssm:TerminateSession",
        resource: `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:session/${sessionId}`,
        context: { "aws:userid": "AROAEXAMPLE:alice" },
        identityPolicies: [
          {
            name: "operators",
            policy: policy({ Sid: "TerminateOwnSessions", Effect: "Allow", Action: "ssm:TerminateSession", Resource: resourceTemplate }),
          },
        ],
      }),
    );
  const own = `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:session/\${aws:userid}-*`;

  it("allows terminating the caller's own session", async () => {
    const decision = await terminate(own, "AROAEXAMPLE:alice-0abc");
    expect(decision.result).toBe("Allowed");
    expect(reasonsOf(decision)).toContain("statement TerminateOwnSessions of identity policy operators");
  });

  it("implicitly denies terminating another user's session, showing the resolved resource", async () => {
    const decision = await terminate(own, "AROAOTHER:bob-0abc");
    expect(decision.result).toBe("ImplicitlyDenied");
    expect(reasonsOf(decision)).toMatch(/statement TerminateOwnSessions of identity policy operators: resource does not match: .*session\/AROAEXAMPLE:alice-\*/);
  });

  it("reads Terraform's &{aws:userid} escape as the ${aws:userid} variable", async () => {
    const terraformStyle = `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:session/&{aws:userid}-*`;
    expect((await terminate(terraformStyle, "AROAEXAMPLE:alice-0abc")).result).toBe("Allowed");
    expect((await terminate(terraformStyle, "AROAOTHER:bob-0abc")).result).toBe("ImplicitlyDenied");
  });
});

describe("checkPolicyVocabulary", () => {
  it("flags a misspelt action, an unknown service and a misspelt condition key, naming the statement", async () => {
    const problems = await checkPolicyVocabulary(
      policy(
        { Sid: "Sessions", Effect: "Allow", Action: ["ssm:StartSesion", "foo:Bar"], Resource: "*" },
        { Sid: "Decrypt", Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaServce": "s3.ap-northeast-2.amazonaws.com" } } },
      ),
    );
    expect(problems).toEqual([
      "statement Sessions: action ssm:StartSesion does not exist",
      "statement Sessions: action foo:Bar: service foo does not exist",
      "statement Decrypt: condition key kms:ViaServce does not exist",
    ]);
  });

  it("accepts real actions, templated and global condition keys, keys iam-data files under another service, and wildcard actions", async () => {
    const problems = await checkPolicyVocabulary(
      policy(
        {
          Sid: "Sessions",
          Effect: "Allow",
          Action: ["ssm:StartSession", "s3:Get*", "ec2-instance-connect:OpenTunnel", "ec2-instance-connect:SendSSHPublicKey"],
          Resource: "*",
          Condition: {
            StringEquals: {
              "ssm:resourceTag/Environment": "example",
              "aws:ResourceTag/Environment": "example",
              "aws:SourceVpce": "vpce-123",
              "ec2:osuser": "ec2-user",
              "kms:ViaService": "s3.ap-northeast-2.amazonaws.com",
              "kms:EncryptionContext:PARAMETER_ARN": `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/app/*`,
            },
            NumericEquals: { "ec2-instance-connect:remotePort": "22" },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/app" },
          },
        },
        { Sid: "Everything", Effect: "Deny", NotAction: "*", Resource: "*" },
      ),
    );
    expect(problems).toEqual([]);
  });

  it("accepts an OIDC provider's claim keys (GitHub's aud and sub), but not an unknown claim", async () => {
    const problems = await checkPolicyVocabulary(
      policy({
        Sid: "GithubActions",
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main", "token.actions.githubusercontent.com:repo": "o/r" } },
      }),
    );
    expect(problems).toEqual(["statement GithubActions: condition key token.actions.githubusercontent.com:repo does not exist"]);
  });
});

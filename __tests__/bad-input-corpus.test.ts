/**
 * A corpus of broken environment files as a new user would write them. Each case edits the bundled
 * example (one field, mostly), validates it as environments/dev.yaml, and asserts:
 *  - it is refused with ConfigErrors (not accepted, not a crash with another error);
 *  - every message is ONE line starting with "environments/dev.yaml: ";
 *  - some line names the exact field (`<file>: <field.path> `) and says what is wrong (a loose regex,
 *    so rewording is fine, but the meaning is checked).
 * The "accepted" lists hold valid edge values, so the rules are not over-broad.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ConfigErrors } from "../src/config/errors";
import { parseEnvironment } from "../src/config/load";

const FILE = "environments/dev.yaml";
const EXAMPLE = path.join(__dirname, "..", "environments", "example.yaml");

type Doc = Record<string, any>;
type Edit = (doc: Doc) => void;

// ---------------------------------------------------------------------------------------------
// Helpers

function exampleDoc(): Doc {
  return parse(fs.readFileSync(EXAMPLE, "utf8")) as Doc;
}

/** Sets a dotted path ("a.b.c"), creating missing objects on the way. */
function setIn(doc: Doc, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node: Doc = doc;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

/** An edit that sets one or more dotted paths. */
function set(values: Record<string, unknown>): Edit {
  return (doc) => {
    for (const [dotted, value] of Object.entries(values)) setIn(doc, dotted, value);
  };
}

/** Replaces `from` by `to` in every string of the document (moves the example to another region). */
function replaceEverywhere(node: unknown, from: string, to: string): unknown {
  if (typeof node === "string") return node.split(from).join(to);
  if (Array.isArray(node)) return node.map((item) => replaceEverywhere(item, from, to));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replaceEverywhere(value, from, to)]));
  }
  return node;
}

function inRegion(region: string): Edit {
  return (doc) => {
    const moved = replaceEverywhere(doc, "ap-northeast-2", region) as Doc;
    for (const key of Object.keys(doc)) delete doc[key];
    Object.assign(doc, moved);
  };
}

function textOf(edit: Edit): string {
  const doc = exampleDoc();
  edit(doc);
  return stringify(doc);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Validates `text` and returns the lines of the ConfigErrors it must throw, after checking each is
 * one line naming the file. Accepting the file or throwing anything else fails the test.
 */
function refusalLines(text: string): string[] {
  let thrown: unknown;
  try {
    parseEnvironment(FILE, text);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error("expected the environment file to be refused with ConfigErrors, but it was ACCEPTED");
  if (!(thrown instanceof ConfigErrors)) {
    const what = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    throw new Error(`expected ConfigErrors, but parseEnvironment threw something else: ${what}`);
  }
  const lines = thrown.errors.map((e) => e.message);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(new RegExp(`^${escapeRegExp(FILE)}: [^\\n]+$`));
  expect(thrown.message).toBe(lines.join("\n"));
  return lines;
}

/** The regex a line must match: `<file>: <one of fields> ` followed (anywhere) by `problem`. */
function lineFor(fields: string | readonly string[], problem: RegExp): RegExp {
  const alternatives = (typeof fields === "string" ? [fields] : fields).map(escapeRegExp).join("|");
  return new RegExp(`^${escapeRegExp(FILE)}: (?:${alternatives}) (?=.*(?:${problem.source}))`, problem.flags.replace("g", ""));
}

function expectRefused(edit: Edit, fields: string | readonly string[], problem: RegExp): string[] {
  const lines = refusalLines(textOf(edit));
  expect(lines).toContainEqual(expect.stringMatching(lineFor(fields, problem)));
  return lines;
}

function expectAccepted(edit: Edit): void {
  const text = textOf(edit);
  let message = "";
  try {
    parseEnvironment(FILE, text);
  } catch (error) {
    message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  expect(message).toBe("");
}

type Case = readonly [name: string, edit: Edit, field: string | readonly string[], problem: RegExp];

const S3_BACKEND = {
  type: "s3",
  bucket: "my-state-bucket",
  region: "ap-northeast-2",
  kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};
const s3Backend = (extra: Record<string, unknown>): Edit => (doc) => {
  doc.backend = { ...S3_BACKEND, ...extra };
};
const cloudBackend = (extra: Record<string, unknown>): Edit => (doc) => {
  doc.backend = { type: "terraform-cloud", organization: "acme", ...extra };
};

const LOG_GROUP_RETENTION_FIELDS = [
  "network.flowLogs.retentionInDays",
  "access.sessionManager.logRetentionInDays",
  "access.clientVpn.logRetentionInDays",
  "dataTier.database.logRetentionInDays",
  "dataTier.cache.logRetentionInDays",
  "webTier.edge.wafLogRetentionInDays",
] as const;

/** Fields that (also) set an S3 bucket's expiry: 0 days is refused by S3 lifecycle rules. */
const BUCKET_EXPIRY_FIELDS = [
  "access.sessionManager.logRetentionInDays", // the session log bucket and log group
  "webTier.accessLogRetentionInDays", // the ALB access log bucket
] as const;

const SERVER_CERT = "access.clientVpn.certificates.serverCertificateArn";
const ingress = (...hostnames: string[]): Edit => (doc) => {
  doc.cloudflareTunnel.ingress = [
    ...hostnames.map((hostname, index) => ({ hostname, service: index === 0 ? "ssh://localhost:22" : "http://localhost:8080" })),
    { service: "http_status:404" },
  ];
};

// ---------------------------------------------------------------------------------------------
// Refused

describe("log retention", () => {
  test.each(LOG_GROUP_RETENTION_FIELDS.map((field) => [`${field}: 100 (not a CloudWatch Logs value)`, field] as const))("%s", (_name, field) => {
    expectRefused(set({ [field]: 100 }), field, /one of|retention|CloudWatch|1, 3, 5/i);
  });

  test.each(BUCKET_EXPIRY_FIELDS.map((field) => [`${field}: 0 (a bucket expiry of 0 days)`, field] as const))("%s", (_name, field) => {
    expectRefused(set({ [field]: 0 }), field, /at least|one of|retention|positive|>=\s*1|too small|expir/i);
  });
});

describe("health check", () => {
  const cases: Case[] = [
    ["timeoutSeconds equal to intervalSeconds (15/15)", set({ "webTier.healthCheck.timeoutSeconds": 15, "webTier.healthCheck.intervalSeconds": 15 }), "webTier.healthCheck.timeoutSeconds", /interval|less than|smaller|shorter|below/i],
    ["timeoutSeconds above intervalSeconds (20/10)", set({ "webTier.healthCheck.timeoutSeconds": 20, "webTier.healthCheck.intervalSeconds": 10 }), "webTier.healthCheck.timeoutSeconds", /interval|less than|smaller|shorter|below/i],
    ['matcher "100" (the ALB accepts 200-499)', set({ "webTier.healthCheck.matcher": "100" }), "webTier.healthCheck.matcher", /200|499|range|between/i],
    ['matcher "200-599" (the ALB accepts 200-499)', set({ "webTier.healthCheck.matcher": "200-599" }), "webTier.healthCheck.matcher", /200|499|range|between/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("tagged-union choices list the choices of THAT union", () => {
  test('access.clientVpn.certificates.source: "vault" lists acm and files only', () => {
    const field = "access.clientVpn.certificates.source";
    const lines = refusalLines(textOf(set({ "access.clientVpn.certificates": { source: "vault", directory: "pki/dev" } })));
    const line = lines.find((l) => l.startsWith(`${FILE}: ${field} `));
    expect({ line, lines }).toEqual({ line: expect.stringMatching(/\bacm\b/), lines });
    expect(line).toMatch(/\bfiles\b/);
    expect(line).not.toMatch(/\blocal\b|\bs3\b|terraform-cloud/);
  });

  test('backend.type: "gcs" lists local, s3 and terraform-cloud', () => {
    const lines = refusalLines(textOf(set({ backend: { type: "gcs" } })));
    const line = lines.find((l) => l.startsWith(`${FILE}: backend.type `));
    expect({ line, lines }).toEqual({ line: expect.stringMatching(/\blocal\b/), lines });
    expect(line).toMatch(/\bs3\b/);
    expect(line).toMatch(/terraform-cloud/);
    expect(line).not.toMatch(/\bacm\b|\bfiles\b/);
  });
});

describe("cache failover", () => {
  const cases: Case[] = [
    ["automaticFailover: false with 2 nodes", set({ "dataTier.cache.nodes": 2, "dataTier.cache.automaticFailover": false }), "dataTier.cache.automaticFailover", /fail|replica|single point/i],
    ["automaticFailover: true with 1 node (not silently ignored)", set({ "dataTier.cache.nodes": 1, "dataTier.cache.automaticFailover": true }), ["dataTier.cache.automaticFailover", "dataTier.cache.nodes"], /2|two|node|replica/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("regions and availability zones", () => {
  const cases: Case[] = [
    // ap-northeast-2 has a-d; the other AZs stay so the subnets still match the list.
    ['availabilityZones[0] "ap-northeast-2e" (the region has a-d)', set({ "network.availabilityZones": ["ap-northeast-2e", "ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"] }), "network.availabilityZones[0]", /AZ|availability zone|exist|ap-northeast-2|unknown/i],
    ['aws.region "ap-northeast-9" (no such region; AZs and ARNs moved with it)', inRegion("ap-northeast-9"), "aws.region", /region|exist|unknown/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("database", () => {
  const cases: Case[] = [
    ['engineVersion "16.99" (no such minor version)', set({ "dataTier.database.engineVersion": "16.99" }), "dataTier.database.engineVersion", /version|exist|supported|16/i],
    ['masterUsername "rdsadmin" (reserved by RDS)', set({ "dataTier.database.masterUsername": "rdsadmin" }), "dataTier.database.masterUsername", /reserved|rdsadmin|cannot|may not|not allowed/i],
    ['operatorUsername "rds_iam" (an RDS role)', set({ "dataTier.database.operatorUsername": "rds_iam" }), "dataTier.database.operatorUsername", /reserved|rds_iam/i],
    ['operatorUsername "app_admin" (the master user)', set({ "dataTier.database.operatorUsername": "app_admin" }), "dataTier.database.operatorUsername", /master/i],
    ['operatorUsername "Ops" (the token names the user exactly; PostgreSQL folds unquoted names)', set({ "dataTier.database.operatorUsername": "Ops" }), "dataTier.database.operatorUsername", /lower-case/i],
    ['operatorUsername "ops-team" (a hyphen)', set({ "dataTier.database.operatorUsername": "ops-team" }), "dataTier.database.operatorUsername", /letters, digits and underscores/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("instance type and image architecture", () => {
  test('instanceType "a1.large" (arm64) with imageArchitecture x86_64 and an imageId', () => {
    expectRefused(
      set({ "webTier.servers.instanceType": "a1.large", "webTier.servers.imageArchitecture": "x86_64", "webTier.servers.imageId": "ami-0123456789abcdef0" }),
      "webTier.servers.instanceType",
      /arm64|architecture|x86_64/i,
    );
  });
});

// Well-formed names that AWS does not have: refused at synth with the nearest real name, not at apply.
describe("instance types, DB instance classes and node types that do not exist", () => {
  const cases: [string, Edit, string, RegExp][] = [
    ['instanceType "c6g.xlrage"', set({ "webTier.servers.instanceType": "c6g.xlrage" }), "webTier.servers.instanceType", /is not an EC2 instance type: did you mean "c6g\.xlarge"\?$/],
    ['instanceType "t3.mircro"', set({ "webTier.servers.instanceType": "t3.mircro" }), "webTier.servers.instanceType", /is not an EC2 instance type: did you mean "t3\.micro"\?$/],
    ['bastion instanceType "t4g.mikro"', set({ "access.bastion.instanceType": "t4g.mikro" }), "access.bastion.instanceType", /is not an EC2 instance type: did you mean "t4g\.micro"\?$/],
    ['instanceClass "db.t4g.mediun"', set({ "dataTier.database.instanceClass": "db.t4g.mediun" }), "dataTier.database.instanceClass", /is not an RDS DB instance class for PostgreSQL or MySQL: did you mean "db\.t4g\.medium"\?$/],
    ['nodeType "cache.t4g.smal"', set({ "dataTier.cache.nodeType": "cache.t4g.smal" }), "dataTier.cache.nodeType", /is not an ElastiCache node type for Valkey or Redis OSS: did you mean "cache\.t4g\.small"\?$/],
    // An EC2 type that RDS does not offer, and one nothing is near.
    ['instanceClass "db.c7g.large" (no such RDS class)', set({ "dataTier.database.instanceClass": "db.c7g.large" }), "dataTier.database.instanceClass", /is not an RDS DB instance class/],
    ['instanceType "webserver.large" (nothing near)', set({ "webTier.servers.instanceType": "webserver.large" }), "webTier.servers.instanceType", /is not an EC2 instance type \(not among the \d+ types of @aws-sdk\/client-ec2 [\d.]+ in modules\/common\/facts\/ec2-instance-types\.ts\)$/],
    // Malformed values keep their own message.
    ['instanceType "bigbox" (malformed)', set({ "webTier.servers.instanceType": "bigbox" }), "webTier.servers.instanceType", /must be an EC2 instance type such as c6g\.xlarge$/],
    ['nodeType "t4g.small" (no cache. prefix)', set({ "dataTier.cache.nodeType": "t4g.small" }), "dataTier.cache.nodeType", /must be an ElastiCache node type such as cache\.t4g\.small$/],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    const lines = expectRefused(edit, field, problem);
    // One line for the field: a typo is not also reported as malformed (or as a Mac).
    expect(lines.filter((line) => line.startsWith(`${FILE}: ${field} `))).toHaveLength(1);
  });
});

describe("Client VPN server certificate", () => {
  const cases: Case[] = [
    ["in another region (us-east-1)", set({ [SERVER_CERT]: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001" }), SERVER_CERT, /region|ap-northeast-2|us-east-1/i],
    ["in another account (999999999999)", set({ [SERVER_CERT]: "arn:aws:acm:ap-northeast-2:999999999999:certificate/00000000-0000-0000-0000-000000000001" }), SERVER_CERT, /account|123456789012|999999999999/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("tags", () => {
  const longKey = "k".repeat(129);
  const cases: Case[] = [
    ["a key over 128 characters", set({ [`tags.${longKey}`]: "x" }), [`tags.${longKey}`, `tags["${longKey}"]`, "tags"], /128|too long|long|characters/i],
    ["a value over 256 characters", set({ "tags.Team": "v".repeat(257) }), ["tags.Team", 'tags["Team"]', "tags"], /256|too long|long|characters/i],
    ['a key "aws:foo" (reserved prefix)', (doc) => { doc.tags["aws:foo"] = "x"; }, ["tags.aws:foo", 'tags["aws:foo"]', "tags"], /aws:|reserved|prefix/i],
    ['a key "Project" (the project sets it)', set({ "tags.Project": "mine" }), ["tags.Project", 'tags["Project"]', "tags"], /reserved|sets? (it|this)|set by|already|automatic|overrid|project/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("backend", () => {
  const bucketProblem = /bucket name|\.\.|xn--|s3alias|prefix|suffix|reserved|consecutive|dot|period|valid/i;
  const prefixProblem = /slash|\/|start|end|empty|segment/i;
  const cases: Case[] = [
    ['s3 bucket "my..bucket"', s3Backend({ bucket: "my..bucket" }), "backend.bucket", bucketProblem],
    ['s3 bucket "xn--state"', s3Backend({ bucket: "xn--state" }), "backend.bucket", bucketProblem],
    ['s3 bucket "state-s3alias"', s3Backend({ bucket: "state-s3alias" }), "backend.bucket", bucketProblem],
    ['s3 keyPrefix "/state"', s3Backend({ keyPrefix: "/state" }), "backend.keyPrefix", prefixProblem],
    ['s3 keyPrefix "state/"', s3Backend({ keyPrefix: "state/" }), "backend.keyPrefix", prefixProblem],
    ['s3 keyPrefix "a//b"', s3Backend({ keyPrefix: "a//b" }), "backend.keyPrefix", prefixProblem],
    ['terraform-cloud hostname "https://app.terraform.io"', cloudBackend({ hostname: "https://app.terraform.io" }), "backend.hostname", /host ?name|scheme|https|URL|without|DNS/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("source CIDRs", () => {
  const cases: Case[] = [
    ['edge officeCidrs ["128.0.0.0/1"] (half the internet)', set({ "webTier.edge.officeCidrs": ["128.0.0.0/1"] }), "webTier.edge.officeCidrs[0]", /wide|broad|large|internet|prefix|too|narrow/i],
    ['edge officeCidrs ["10.0.0.0/8"] (private: CloudFront and WAF see public sources only)', set({ "webTier.edge.officeCidrs": ["10.0.0.0/8"] }), "webTier.edge.officeCidrs[0]", /private|public/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });

  test('bastion allowedCidrs ["0.0.0.0/1"] names the bastion, and does not blame the Client VPN range', () => {
    const lines = expectRefused(set({ "access.bastion.allowedCidrs": ["0.0.0.0/1"] }), "access.bastion.allowedCidrs[0]", /wide|broad|large|internet|prefix|too|narrow/i);
    expect(lines.filter((line) => line.startsWith(`${FILE}: access.clientVpn.clientCidr`))).toEqual([]);
  });
});

describe("who may log in", () => {
  const cases: Case[] = [
    ['Cloudflare Access emailDomains ["gmail.com"] (anyone can get one)', set({ "cloudflareTunnel.access.emailDomains": ["gmail.com"] }), "cloudflareTunnel.access.emailDomains[0]", /public|free|anyone|consumer|webmail|gmail|everyone|personal|shared/i],
    ['Instance Connect osUsers ["root"]', set({ "access.instanceConnect.osUsers": ["root"] }), "access.instanceConnect.osUsers[0]", /root/i],
    ['Session Manager runAsUser "root"', set({ "access.sessionManager.runAsUser": "root" }), "access.sessionManager.runAsUser", /root/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("Cloudflare Tunnel hostnames that would share one construct id", () => {
  // modules/cloudflare-tunnel: the DNS record / Access application id is the punycode hostname with
  // "*" → "wildcard" and "." → "-", so these pairs collide.
  const cases: Case[] = [
    ['"a.b.example.com" and "a-b.example.com"', ingress("a.b.example.com", "a-b.example.com"), "cloudflareTunnel.ingress[1].hostname", /same|collide|clash|conflict|duplicate|ingress\[0\]|a\.b\.example\.com/i],
    ['the tunnel answering the web domain (one name, two DNS providers)', ingress("app.example.com"), "cloudflareTunnel.ingress[0].hostname", /one DNS provider|Route53/i],
    ['the tunnel answering the edge origin name', ingress("origin.app.example.com"), "cloudflareTunnel.ingress[0].hostname", /one DNS provider|Route53/i],
    ['"bücher.example.com" and "xn--bcher-kva.example.com" (one name, two spellings)', ingress("bücher.example.com", "xn--bcher-kva.example.com"), "cloudflareTunnel.ingress[1].hostname", /same|collide|clash|conflict|duplicate|ingress\[0\]|bücher|xn--bcher-kva/i],
  ];
  test.each(cases)("%s", (_name, edit, field, problem) => {
    expectRefused(edit, field, problem);
  });
});

describe("YAML the parser must survive", () => {
  const billionLaughs = (() => {
    const lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level <= 9; level++) lines.push(`l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(", ")}]`);
    return lines.join("\n") + "\n";
  })();
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["an undefined alias (a: *nope)", "aws:\n  region: ap-northeast-2\na: *nope\n", /alias|anchor|nope/i],
    ["a self-referencing alias (a: &x [*x])", "a: &x [*x]\n", /alias|anchor|recurs|circular|itself|cycle/i],
    ["a self-referencing alias in a map (a: &x { b: *x })", "a: &x\n  b: *x\n", /alias|anchor|recurs|circular|itself|cycle/i],
    ['a "billion laughs" alias bomb (9 levels × 9)', billionLaughs, /alias|too many|exhaust|large|expan/i],
    // Nesting deep enough to overflow the YAML library's recursion ("Maximum call stack size exceeded", no file named).
    ["flow lists nested 50,000 deep ([[[[…]]]])", `a: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`, /nest more than 64 levels deep/],
    ["flow maps nested 20,000 deep ({a: {a: …}})", `a: ${"{a: ".repeat(20_000)}1${"}".repeat(20_000)}\n`, /nest more than 64 levels deep/],
    ["compact lists nested 60,000 deep (- - - … x)", `${"- ".repeat(60_000)}x\n`, /nest more than 64 levels deep/],
    ["a list after a key nested 60,000 deep (a: - - - … x)", `a: ${"- ".repeat(60_000)}x\n`, /nest more than 64 levels deep/],
    ["block maps indented 700 deep", `${Array.from({ length: 700 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} x\n`, /nest more than 64 levels deep/],
    ["JSON nested 30,000 deep", `${'{"a":'.repeat(30_000)}1${"}".repeat(30_000)}`, /nest more than 64 levels deep/],
    ["a file over 256 KiB", `project: private-access\ndescription: "${"x".repeat(300 * 1024)}"\n`, /is 30\d KiB, more than the 256 KiB an environment file may be/],
  ];
  test.each(cases)("%s: one line naming the file, no crash, fast", (_name, text, problem) => {
    const started = performance.now();
    let lines: string[] = [];
    try {
      lines = refusalLines(text);
    } finally {
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(problem);
  });

  test("a syntax error (bad indentation) on line 7 says line 7", () => {
    const text = [
      "project: private-access",
      "aws:",
      "  region: ap-northeast-2",
      '  accountId: "123456789012"',
      "network:",
      "  cidr: 172.16.0.0/16",
      " availabilityZones: [ap-northeast-2a, ap-northeast-2b]",
      "",
    ].join("\n");
    const lines = refusalLines(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\bline 7\b/);
  });
});

// ---------------------------------------------------------------------------------------------
// Accepted: valid edge values the rules above must not catch

describe("accepted: valid edge values", () => {
  const retentionCases = LOG_GROUP_RETENTION_FIELDS.flatMap((field) =>
    [1, 3653].map((days) => [`${field}: ${days}`, set({ [field]: days })] as const),
  );
  const cases: ReadonlyArray<readonly [string, Edit]> = [
    ["the bundled example as it is", () => {}],
    ...retentionCases,
    ...BUCKET_EXPIRY_FIELDS.map((field) => [`${field}: 1 (shortest bucket expiry)`, set({ [field]: 1 })] as const),
    ["healthCheck timeoutSeconds 14 below intervalSeconds 15", set({ "webTier.healthCheck.timeoutSeconds": 14, "webTier.healthCheck.intervalSeconds": 15 })],
    ["healthCheck timeoutSeconds 2 with intervalSeconds 5", set({ "webTier.healthCheck.timeoutSeconds": 2, "webTier.healthCheck.intervalSeconds": 5 })],
    ['healthCheck matcher "200-499"', set({ "webTier.healthCheck.matcher": "200-499" })],
    ['healthCheck matcher "200,302"', set({ "webTier.healthCheck.matcher": "200,302" })],
    ['healthCheck matcher "499"', set({ "webTier.healthCheck.matcher": "499" })],
    ["certificates source files", set({ "access.clientVpn.certificates": { source: "files", directory: "pki/dev" } })],
    ["backend local", set({ backend: { type: "local" } })],
    ["cache: 1 node, automaticFailover false", set({ "dataTier.cache.nodes": 1, "dataTier.cache.automaticFailover": false })],
    ["cache: 1 node, automaticFailover unset", set({ "dataTier.cache.nodes": 1 })],
    ["cache: 3 nodes, automaticFailover true", set({ "dataTier.cache.nodes": 3, "dataTier.cache.automaticFailover": true })],
    ["availabilityZones ap-northeast-2a..d", set({ "network.availabilityZones": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"] })],
    ["aws.region eu-west-1", inRegion("eu-west-1")],
    ["aws.region us-east-1", inRegion("us-east-1")],
    ["aws.region mx-central-1 (opened 2025)", inRegion("mx-central-1")],
    ["aws.region ap-southeast-7 (opened 2025)", inRegion("ap-southeast-7")],
    ['database engineVersion "16.4"', set({ "dataTier.database.engineVersion": "16.4" })],
    ['database engineVersion "15"', set({ "dataTier.database.engineVersion": "15" })],
    ['database masterUsername "dbadmin"', set({ "dataTier.database.masterUsername": "dbadmin" })],
    ['database operatorUsername "oncall_ro"', set({ "dataTier.database.operatorUsername": "oncall_ro" })],
    [`database operatorUsername of 63 characters (PostgreSQL's limit)`, set({ "dataTier.database.operatorUsername": "o".repeat(63) })],
    ['instanceType "a1.large" alone (default image follows its architecture)', set({ "webTier.servers.instanceType": "a1.large" })],
    ['instanceType "a1.large" with imageArchitecture arm64 and an imageId', set({ "webTier.servers.instanceType": "a1.large", "webTier.servers.imageArchitecture": "arm64", "webTier.servers.imageId": "ami-0123456789abcdef0" })],
    ['instanceType "c6g.xlarge" with imageArchitecture arm64 and an imageId', set({ "webTier.servers.imageArchitecture": "arm64", "webTier.servers.imageId": "ami-0123456789abcdef0" })],
    ...["t3.micro", "t4g.micro", "c7g.2xlarge", "m7i.metal-24xl", "r8g.large"].map((type): [string, Edit] => [`bastion instanceType "${type}"`, set({ "access.bastion.instanceType": type })]),
    ...["db.t3.micro", "db.m6g.large", "db.r7g.16xlarge", "db.m8g.48xlarge"].map((cls): [string, Edit] => [`instanceClass "${cls}"`, set({ "dataTier.database.instanceClass": cls })]),
    ...["cache.t3.micro", "cache.r6gd.xlarge", "cache.c7gn.large", "cache.m7g.16xlarge"].map((type): [string, Edit] => [`nodeType "${type}"`, set({ "dataTier.cache.nodeType": type })]),
    ['instanceType "m7i.large" with imageArchitecture x86_64 and an imageId', set({ "webTier.servers.instanceType": "m7i.large", "webTier.servers.imageArchitecture": "x86_64", "webTier.servers.imageId": "ami-0123456789abcdef0" })],
    ["a tag key of 128 characters", set({ [`tags.${"k".repeat(128)}`]: "x" })],
    ["a tag value of 256 characters", set({ "tags.Team": "v".repeat(256) })],
    ["an empty tag value", set({ "tags.Team": "" })],
    ['a tag key "team:cost-center" (colon, not the aws: prefix)', (doc) => { doc.tags["team:cost-center"] = "1234"; }],
    ['s3 backend bucket "my-state-bucket"', s3Backend({})],
    ['s3 backend bucket "123-state" with keyPrefix "state"', s3Backend({ bucket: "123-state", keyPrefix: "state" })],
    ['s3 backend keyPrefix "teams/platform/state"', s3Backend({ keyPrefix: "teams/platform/state" })],
    ["terraform-cloud with the default hostname", cloudBackend({})],
    ['terraform-cloud hostname "tfe.example.com"', cloudBackend({ hostname: "tfe.example.com" })],
    ["edge officeCidrs: a /32 and a /24", set({ "webTier.edge.officeCidrs": ["198.51.100.7/32", "203.0.113.0/24"] })],
    ["bastion allowedCidrs: a public /24", set({ "access.bastion.allowedCidrs": ["198.51.100.0/24"] })],
    ['emailDomains ["partner.example", "example.co.kr"]', set({ "cloudflareTunnel.access.emailDomains": ["partner.example", "example.co.kr"] })],
    ['osUsers ["ec2-user", "ubuntu"]', set({ "access.instanceConnect.osUsers": ["ec2-user", "ubuntu"] })],
    ['Session Manager runAsUser "ssm-user"', set({ "access.sessionManager.runAsUser": "ssm-user" })],
    ['tunnel hostnames "a.b.example.com" and "ab.example.com" (distinct ids)', ingress("a.b.example.com", "ab.example.com")],
  ];
  test.each(cases)("%s", (_name, edit) => {
    expectAccepted(edit);
  });
});

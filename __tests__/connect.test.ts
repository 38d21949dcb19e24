import { spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { ConnectError, connectPlan } from "../src/connect/plan";
import { elasticacheAuthToken } from "../src/connect/elasticache-token";
import { rdsAuthToken } from "../src/connect/rds-token";
import { exampleDocument, exampleWith } from "./helpers/environment";

const ROOT = path.join(__dirname, "..");
const CLI = path.join(ROOT, "dist", "src", "cli", "connect.js");

/** What `terraform output -json` gives for an applied example. */
const OUTPUTS = {
  region: "ap-northeast-2",
  app_autoscaling_group: "private-access-example-app",
  bastion_instance_id: "i-0bbb00000000000001",
  eic_endpoint_id: "eice-0123456789abcdef0",
  database_endpoint: "private-access-example-db.abc.ap-northeast-2.rds.amazonaws.com",
  database_port: 5432,
  database_master_secret_arn: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1",
  database_operator_user: "operators",
  cache_endpoint: "master.private-access-example-cache.abc.apn2.cache.amazonaws.com",
  cache_port: 6379,
  cache_replication_group_id: "private-access-example-cache",
  cache_operator_user: "private-access-example-operator",
  client_vpn_dns_name: "*.cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com",
};

/** A project folder with the example, its outputs, and a fake `aws` (and plugin) on PATH that records its arguments. */
function project(edit: (doc: any) => void = () => {}, outputs: Record<string, unknown> = OUTPUTS) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-connect-"));
  fs.mkdirSync(path.join(dir, "environments"));
  const doc = exampleDocument();
  edit(doc);
  fs.writeFileSync(path.join(dir, "environments", "example.yaml"), stringify(doc));
  fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v }]))));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const log = path.join(dir, "aws.log");
  fs.writeFileSync(
    path.join(bin, "aws"),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> ${log}\ncase "$1 $2" in\n  "autoscaling describe-auto-scaling-groups") printf 'i-0aaa00000000000001\\ti-0aaa00000000000002\\n' ;;\n  "configure export-credentials") printf '{"Version":1,"AccessKeyId":"AKIDEXAMPLE","SecretAccessKey":"secret","SessionToken":"token"}\\n' ;;\nesac\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, "session-manager-plugin"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  return { dir, log, bin };
}

function connect(p: ReturnType<typeof project>, args: string[], withPlugin = true) {
  if (!withPlugin) fs.rmSync(path.join(p.bin, "session-manager-plugin"));
  const run = spawnSync(process.execPath, [CLI, ...args, "--outputs", "outputs.json"], {
    cwd: p.dir,
    encoding: "utf8",
    env: { PATH: `${p.bin}${path.delimiter}${path.dirname(process.execPath)}`, HOME: p.dir },
  });
  const calls = fs.existsSync(p.log) ? fs.readFileSync(p.log, "utf8").trim().split("\n") : [];
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, calls };
}

describe("npm run connect runs the declared path with real ids and the region", () => {
  it("shell: finds an app server of the group, then starts a Session Manager session on it", () => {
    const r = connect(project(), ["example", "shell"]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      "autoscaling describe-auto-scaling-groups --region ap-northeast-2 --auto-scaling-group-names private-access-example-app --query AutoScalingGroups[0].Instances[?LifecycleState=='InService'].InstanceId --output text",
      "ssm start-session --region ap-northeast-2 --target i-0aaa00000000000001",
    ]);
    expect(r.stderr).toContain("$ aws ssm start-session --region ap-northeast-2 --target i-0aaa00000000000001");
  });

  it("shell --index 1 picks the second server; --instance bastion needs no lookup", () => {
    expect(connect(project(), ["example", "shell", "--index", "1"]).calls[1]).toBe("ssm start-session --region ap-northeast-2 --target i-0aaa00000000000002");
    expect(connect(project(), ["example", "shell", "--instance", "bastion"]).calls).toEqual(["ssm start-session --region ap-northeast-2 --target i-0bbb00000000000001"]);
  });

  it("shell --via eic: SSH with a pushed key through the endpoint, as the first allowed OS user", () => {
    expect(connect(project(), ["example", "shell", "--via", "eic"]).calls[1]).toBe("ec2-instance-connect ssh --region ap-northeast-2 --instance-id i-0aaa00000000000001 --os-user ec2-user --connection-type eice");
  });

  it("db: forwards the database's real port through an app server, and says how to sign in as the operator user", () => {
    const r = connect(project(), ["example", "db", "--local-port", "15432"]);
    expect(r.calls[1]).toBe(
      `ssm start-session --region ap-northeast-2 --target i-0aaa00000000000001 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters {"host":["${OUTPUTS.database_endpoint}"],"portNumber":["5432"],"localPortNumber":["15432"]}`,
    );
    // TLS verified against the RDS CA bundle and the real host name, while dialling the local forward; an IAM token, not the master password.
    expect(r.stderr).toContain(
      `PGPASSWORD="$(npm run --silent connect -- example db-token)" psql "host=${OUTPUTS.database_endpoint} hostaddr=127.0.0.1 port=15432 dbname=app user=operators sslmode=verify-full sslrootcert=ap-northeast-2-bundle.pem"`,
    );
    expect(r.stderr).toContain("curl -fsSo ap-northeast-2-bundle.pem https://truststore.pki.rds.amazonaws.com/ap-northeast-2/ap-northeast-2-bundle.pem");
    expect(r.stderr).toContain("CREATE USER operators; GRANT rds_iam TO operators;");
    expect(r.stderr).not.toContain("sslmode=require");
    expect(r.stderr).not.toContain("user=app_admin");
    // The master password stays, on one break-glass line only.
    const secretLines = r.stderr.split("\n").filter((line) => line.includes("secretsmanager"));
    expect(secretLines).toEqual([expect.stringMatching(/^  break-glass only: .*--secret-id arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1 .*no operator policy grants reading it/)]);
  });

  it("db-token: signs an rds-db connect request for the operator user at the database's real host and port", () => {
    const r = connect(project(), ["example", "db-token"]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(["configure export-credentials --format process"]);
    const token = r.stdout.trim();
    expect(token.startsWith(`${OUTPUTS.database_endpoint}:5432/?Action=connect&DBUser=operators&`)).toBe(true);
    const query = new URLSearchParams(token.split("?")[1]);
    expect(query.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\/\d{8}\/ap-northeast-2\/rds-db\/aws4_request$/);
    expect(query.get("X-Amz-Expires")).toBe("900");
    expect(query.get("X-Amz-Security-Token")).toBe("token");
    expect(connect(project(), ["example", "db-token", "--print"]).stdout.trim()).toBe("aws configure export-credentials --format process   # then sign a connect request for operators (15 minutes)");
  });

  it("cache: forwards the cache's port and prints a redis-cli line whose password is a fresh IAM token", () => {
    const r = connect(project(), ["example", "cache"]);
    expect(r.calls[1]).toContain('--document-name AWS-StartPortForwardingSessionToRemoteHost --parameters {"host":["master.private-access-example-cache.abc.apn2.cache.amazonaws.com"],"portNumber":["6379"],"localPortNumber":["6379"]}');
    expect(r.stderr).toContain('redis-cli --tls --sni master.private-access-example-cache.abc.apn2.cache.amazonaws.com -h localhost -p 6379 --user private-access-example-operator --pass "$(npm run --silent connect -- example cache-token)"');
  });

  it("cache-token: signs a connect request for the operator user with the CLI's credentials", () => {
    const r = connect(project(), ["example", "cache-token"]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(["configure export-credentials --format process"]);
    const token = r.stdout.trim();
    expect(token).toMatch(/^private-access-example-cache\/\?Action=connect&User=private-access-example-operator&/);
    const query = new URLSearchParams(token.split("?")[1]);
    expect(query.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\/\d{8}\/ap-northeast-2\/elasticache\/aws4_request$/);
    expect(query.get("X-Amz-Expires")).toBe("900");
    expect(query.get("X-Amz-Security-Token")).toBe("token");
    expect(query.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("vpn: writes the user's profile through npm run ovpn, with the endpoint from the outputs", () => {
    const r = connect(project(), ["example", "vpn", "--user", "alice", "--print"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("npm run --silent ovpn -- --env example --user alice --endpoint '*.cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com'");
  });

  it("--print prints the exact commands and runs nothing", () => {
    const r = connect(project(), ["example", "shell", "--print"]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.stdout).toContain("instance=$(aws autoscaling describe-auto-scaling-groups --region ap-northeast-2 --auto-scaling-group-names private-access-example-app");
    expect(r.stdout).toContain('aws ssm start-session --region ap-northeast-2 --target "$instance"');
  });
});

describe("npm run connect refuses with one line when a prerequisite is missing", () => {
  it.each<[string, (doc: any) => void, Record<string, unknown>, string[], boolean, string]>([
    ["no Session Manager plugin", () => {}, OUTPUTS, ["example", "shell"], false, "connect: the Session Manager plugin is not on PATH"],
    ["outputs not applied yet", () => {}, {}, ["example", "shell"], true, "connect: example-aws has no outputs yet: apply the stack first"],
    ["a path the environment does not enable", (d) => delete d.access.bastion, OUTPUTS, ["example", "shell", "--instance", "bastion"], true, "connect: --instance bastion: environments/example.yaml has no bastion"],
    ["the EIC endpoint for a port it cannot reach", (d) => (d.access.instanceConnect.databaseTunnel = false), OUTPUTS, ["example", "db", "--via", "eic"], true, "connect: --via eic: environments/example.yaml does not enable access.instanceConnect.databaseTunnel"],
    ["an unknown target", () => {}, OUTPUTS, ["example", "database"], true, 'connect: target must be one of shell, db, db-token, cache, cache-token, vpn, got "database"'],
    ["a database token before the operator user is applied", () => {}, Object.fromEntries(Object.entries(OUTPUTS).filter(([name]) => name !== "database_operator_user")), ["example", "db-token"], true, "connect: output database_operator_user of example-aws is missing: apply the stack first"],
    ["an unknown environment", () => {}, OUTPUTS, ["prod", "shell"], true, 'environments/prod.yaml: does not exist (no environment named "prod")'],
  ])("%s", (_what, edit, outputs, args, plugin, message) => {
    const r = connect(project(edit, outputs), args, plugin);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringContaining(message)]);
    expect(r.calls).toEqual([]);
  });

  it("an environment not applied from here: one plain line (terraform's colours and box removed) with the next step", () => {
    const p = project();
    fs.mkdirSync(path.join(p.dir, "cdktf.out", "stacks", "example-aws"), { recursive: true });
    // What terraform prints for a stack never initialised, coloured as on a terminal.
    const box = ["\u001b[31m╷\u001b[0m\u001b[0m", '\u001b[31m│\u001b[0m \u001b[0m\u001b[1m\u001b[31mError: \u001b[0m\u001b[0m\u001b[1mBackend initialization required, please run "terraform init"\u001b[0m', "\u001b[31m│\u001b[0m \u001b[0m", "\u001b[31m╵\u001b[0m\u001b[0m"];
    fs.writeFileSync(path.join(p.bin, "terraform"), `#!/bin/sh\nprintf '%s\\n' ${box.map((l) => `'${l}'`).join(" ")} >&2\nexit 1\n`, { mode: 0o755 });
    for (const env of [{}, { NO_COLOR: "1" }]) {
      const run = spawnSync(process.execPath, [CLI, "example", "db"], { cwd: p.dir, encoding: "utf8", env: { PATH: `${p.bin}${path.delimiter}${path.dirname(process.execPath)}`, HOME: p.dir, ...env } });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).not.toContain("\u001b");
      expect(run.stderr.trim().split("\n")).toEqual([
        "connect: example-aws has not been applied from here (terraform has no state for it): apply the stack first (terraform -chdir=cdktf.out/stacks/example-aws init, then apply), or pass --outputs <file> (its terraform output -json; - reads standard input)",
      ]);
    }
  });

  it("--outputs - reads terraform output -json from standard input", () => {
    const p = project();
    const json = fs.readFileSync(path.join(p.dir, "outputs.json"), "utf8");
    const run = spawnSync(process.execPath, [CLI, "example", "shell", "--instance", "bastion", "--print", "--outputs", "-"], { cwd: p.dir, encoding: "utf8", input: json, env: { PATH: p.bin, HOME: p.dir } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("i-0bbb00000000000001");
    expect(fs.existsSync(path.join(p.dir, "-"))).toBe(false);
  });

  it("answers --help (exit 0) and a bad option with one line (exit 2)", () => {
    const p = project();
    expect(spawnSync(process.execPath, [CLI, "--help"], { cwd: p.dir, encoding: "utf8" }).stdout).toContain("usage: npm run connect -- <env> <target> [options]");
    const bad = spawnSync(process.execPath, [CLI, "example", "shell", "--via", "ssh"], { cwd: p.dir, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('connect: --via must be one of ssm, eic, got "ssh"');
  });
});

describe("connect plans (pure)", () => {
  it("db --via eic needs the database on a port the endpoint reaches", () => {
    const env = exampleWith((d) => (d.access.instanceConnect.databaseTunnel = false));
    expect(() => connectPlan("db", env, OUTPUTS, { via: "eic" })).toThrow(ConnectError);
    const tunnel = exampleWith((d) => { d.dataTier.database.port = 3389; d.access.instanceConnect.databaseTunnel = true; });
    expect(connectPlan("db", tunnel, { ...OUTPUTS, database_port: 3389 }, { via: "eic" }).command).toEqual(["aws", "ec2-instance-connect", "open-tunnel", "--region", "ap-northeast-2", "--instance-connect-endpoint-id", "eice-0123456789abcdef0", "--private-ip-address", "{database-ip}", "--remote-port", "3389", "--local-port", "3389"]);
  });

  it("db --via eic and MySQL: the same operator sign-in, the name verified (mysql needs it to resolve to the forward)", () => {
    const tunnel = exampleWith((d) => { d.dataTier.database.port = 3389; d.access.instanceConnect.databaseTunnel = true; });
    const eic = connectPlan("db", tunnel, { ...OUTPUTS, database_port: 3389 }, { via: "eic", localPort: 13389 }).notes.join("\n");
    expect(eic).toContain(`psql "host=${OUTPUTS.database_endpoint} hostaddr=127.0.0.1 port=13389 dbname=app user=operators sslmode=verify-full sslrootcert=ap-northeast-2-bundle.pem"`);
    expect(eic).not.toMatch(/--sni|sslmode=require/);
    const mysql = exampleWith((d) => Object.assign(d.dataTier.database, { engine: "mysql", engineVersion: "8.0", port: 3306 }));
    const notes = connectPlan("db", mysql, { ...OUTPUTS, database_port: 3306 }).notes.join("\n");
    expect(notes).toContain("CREATE USER 'operators'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'; ALTER USER 'operators'@'%' REQUIRE SSL;");
    expect(notes).toContain(`mysql --host=${OUTPUTS.database_endpoint} --port=3306 --user=operators --enable-cleartext-plugin --password="$(npm run --silent connect -- example db-token)" --ssl-mode=VERIFY_IDENTITY --ssl-ca=ap-northeast-2-bundle.pem`);
    expect(notes).toContain(`make ${OUTPUTS.database_endpoint} resolve to 127.0.0.1`);
    expect(notes).not.toMatch(/--ssl-mode=REQUIRED|app_admin --/);
  });

  it("the RDS token is the presigned rds-db connect request for host:port, without a scheme, valid 900 s (checked against SigV4 computed here)", async () => {
    const host = "db.abc.ap-northeast-2.rds.amazonaws.com";
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+1=" };
    const make = () => rdsAuthToken({ hostname: host, port: 5432, user: "operators", region: "ap-northeast-2", credentials, now: new Date("2026-01-01T00:00:00Z") });
    const token = await make();
    expect(token).toBe(await make());
    expect(token).not.toMatch(/^https?:\/\//);
    const [base, queryText] = token.split("?");
    expect(base).toBe(`${host}:5432/`);
    const query = new URLSearchParams(queryText);
    expect([...query.keys()].sort()).toEqual(["Action", "DBUser", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-SignedHeaders"]);
    expect(Object.fromEntries([...query.entries()].filter(([k]) => k !== "X-Amz-Signature"))).toEqual({
      Action: "connect",
      DBUser: "operators",
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": "AKIDEXAMPLE/20260101/ap-northeast-2/rds-db/aws4_request",
      "X-Amz-Date": "20260101T000000Z",
      "X-Amz-Expires": "900",
      "X-Amz-Security-Token": "session/token+1=",
      "X-Amz-SignedHeaders": "host",
    });
    // SigV4 by hand: the signed host is host:port, the payload an empty body.
    const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const canonicalQuery = [...query.entries()].filter(([k]) => k !== "X-Amz-Signature").map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join("&");
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const canonical = ["GET", "/", canonicalQuery, `host:${host}:5432`, "", "host", sha("")].join("\n");
    const toSign = ["AWS4-HMAC-SHA256", "20260101T000000Z", "20260101/ap-northeast-2/rds-db/aws4_request", sha(canonical)].join("\n");
    const hmac = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text).digest();
    let key = hmac(`AWS4${credentials.secretAccessKey}`, "20260101");
    for (const part of ["ap-northeast-2", "rds-db", "aws4_request"]) key = hmac(key, part);
    expect(query.get("X-Amz-Signature")).toBe(createHmac("sha256", key).update(toSign).digest("hex"));
  });

  it("the IAM token is a presigned connect request, deterministic for a given time", async () => {
    const make = () => elasticacheAuthToken({ replicationGroupId: "g", userId: "u", region: "ap-northeast-2", credentials: { accessKeyId: "AKID", secretAccessKey: "s" }, now: new Date("2026-01-01T00:00:00Z") });
    const token = await make();
    expect(token).toBe(await make());
    expect(token).toMatch(/^g\/\?Action=connect&User=u&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fap-northeast-2%2Felasticache%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
  });
});

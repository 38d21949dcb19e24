import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, writeEnvironment } from "./helpers/cli";
import { runOvpn, writeOvpnProfile } from "../src/cli/ovpn";
import { runPki } from "../src/cli/pki";
import { renderOvpn } from "../src/pki/ovpn";

const ENDPOINT = "*.cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com";

describe("pki command", () => {
  let cwd: string;
  const previous = process.cwd();
  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-pki-"));
    process.chdir(cwd);
    writeEnvironment(cwd, "demo");
    expect((await cli(runPki, ["init", "--env", "demo"])).code).toBe(0);
    expect((await cli(runPki, ["client", "--env", "demo", "--user", "alice"])).code).toBe(0);
  });
  afterAll(() => process.chdir(previous));

  const read = (file: string) => fs.readFileSync(path.join(cwd, "pki", "demo", file), "utf8");

  it("makes a CA that issued the server and client certificates, each signed by its key", () => {
    const ca = new X509Certificate(read("ca.crt"));
    const server = new X509Certificate(read("server.crt"));
    const client = new X509Certificate(read("clients/alice.crt"));
    expect(ca.ca).toBe(true);
    for (const leaf of [server, client]) {
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.ca).toBe(false);
    }
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(client.subject).toBe("CN=alice.demo");
    expect(server.subjectAltName).toBe("DNS:server.demo.vpn.internal");
  });

  it("writes keys that match their certificates, RSA 2048 as Client VPN requires", () => {
    for (const [cert, key] of [["ca.crt", "ca.key"], ["server.crt", "server.key"], ["clients/alice.crt", "clients/alice.key"]]) {
      const certificate = new X509Certificate(read(cert));
      const privateKey = createPrivateKey(read(key));
      expect(certificate.checkPrivateKey(privateKey)).toBe(true);
      expect(createPublicKey(privateKey).asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
  });

  it("writes every file readable by its owner only", () => {
    for (const file of ["ca.key", "server.key", "clients/alice.key", "ca.crt"]) {
      expect(fs.statSync(path.join(cwd, "pki", "demo", file)).mode & 0o777).toBe(0o600);
    }
  });

  it("refuses to replace an existing CA or certificate, and needs a CA before issuing clients (one line, exit 1)", async () => {
    expect(await cli(runPki, ["init", "--env", "demo"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^pki: .*already exists; a new CA would invalidate every client certificate\n$/) });
    expect(await cli(runPki, ["client", "--env", "other", "--user", "bob"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^pki: .*run `npm run pki -- init --env other` first\n$/) });
    expect(await cli(runPki, ["client", "--env", "demo", "--user", "alice"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^pki: .*alice\.crt already exists; revoke it first/) });
  });

  it("writes a profile for OpenVPN / Tunnelblick with everything inline, from the environment's settings", () => {
    const { file } = writeOvpnProfile({ env: "demo", user: "alice", endpoint: ENDPOINT, dir: "pki", environments: "environments" });
    const profile = fs.readFileSync(path.join(cwd, file), "utf8");
    expect(profile).toContain("proto udp\nremote cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com 443\nremote-random-hostname");
    expect(profile).toContain(`<ca>\n${read("ca.crt").trim()}\n</ca>`);
    expect(profile).toContain(`<key>\n${read("clients/alice.key").trim()}\n</key>`);
    expect(fs.statSync(path.join(cwd, file)).mode & 0o777).toBe(0o600);
    expect(() => writeOvpnProfile({ env: "demo", user: "bob", endpoint: "x.example", dir: "pki", environments: "environments" })).toThrow(/bob.crt does not exist/);
  });

  it("never sends all traffic through the tunnel, and names the DNS servers the endpoint pushes (the VPC resolver by default)", () => {
    const profile = fs.readFileSync(path.join(cwd, "pki", "demo", "clients", "alice.ovpn"), "utf8");
    expect(profile).not.toMatch(/redirect-gateway|def1/);
    expect(profile).not.toMatch(/^dhcp-option/m); // DNS comes from the endpoint, not the profile
    expect(profile).toMatch(/^# DNS: the endpoint pushes 172\.16\.0\.2 /m); // example VPC 172.16.0.0/16 + 2
  });

  it("takes transport and port from the environment file: tcp 1194 gives `proto tcp` and `remote … 1194`", async () => {
    writeEnvironment(cwd, "demo", (doc) => {
      doc.access.clientVpn.transport = "tcp";
      doc.access.clientVpn.port = 1194;
      doc.access.clientVpn.dnsServers = ["172.16.128.10", "172.16.144.10"];
    });
    const result = await cli(runOvpn, ["--env", "demo", "--user", "alice", "--endpoint", ENDPOINT]);
    expect(result).toEqual({ code: 0, out: expect.stringContaining("tcp 1194"), err: "" });
    const profile = fs.readFileSync(path.join(cwd, "pki", "demo", "clients", "alice.ovpn"), "utf8");
    expect(profile).toMatch(/^proto tcp$/m);
    expect(profile).toMatch(/^remote cvpn-endpoint-0abc\.prod\.clientvpn\.ap-northeast-2\.amazonaws\.com 1194$/m);
    expect(profile).not.toMatch(/udp|443/);
    expect(profile).toMatch(/^# DNS: the endpoint pushes 172\.16\.128\.10, 172\.16\.144\.10 /m);
    writeEnvironment(cwd, "demo");
  });

  it("refuses an environment without Client VPN, in one line (exit 1), writing nothing", async () => {
    const profile = path.join(cwd, "pki", "demo", "clients", "alice.ovpn");
    fs.rmSync(profile, { force: true });
    writeEnvironment(cwd, "novpn", (doc) => (doc.access.clientVpn.enabled = false));
    writeEnvironment(cwd, "bare", (doc) => delete doc.access.clientVpn);
    fs.cpSync(path.join(cwd, "pki", "demo"), path.join(cwd, "pki", "novpn"), { recursive: true });
    for (const env of ["novpn", "bare"]) {
      const result = await cli(runOvpn, ["--env", env, "--user", "alice", "--endpoint", ENDPOINT]);
      expect(result).toEqual({ code: 1, out: "", err: expect.stringMatching(new RegExp(`^ovpn: environments/${env}\\.yaml: access\\.clientVpn is not enabled[^\\n]*\\n$`)) });
    }
    expect(fs.existsSync(path.join(cwd, "pki", "novpn", "clients", "alice.ovpn"))).toBe(false);
  });

  it("reports a missing or bad environment file with the config loader's one-line errors (exit 1)", async () => {
    expect(await cli(runOvpn, ["--env", "nope", "--user", "alice", "--endpoint", ENDPOINT])).toEqual({
      code: 1, out: "", err: 'environments/nope.yaml: does not exist (no environment named "nope")\n',
    });
    writeEnvironment(cwd, "broken", (doc) => (doc.access.clientVpn.port = 8443));
    const result = await cli(runOvpn, ["--env", "broken", "--user", "alice", "--endpoint", ENDPOINT]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^environments\/broken\.yaml: access\.clientVpn\.port .*\n$/);
  });
});

describe("ovpn and pki command lines", () => {
  const runs: Record<string, (argv: string[]) => Promise<number>> = { ovpn: runOvpn, pki: runPki };
  it.each<[string, string[], RegExp]>([
    ["ovpn", ["--user", "a", "--endpoint", "x.example"], /^ovpn: --env is required; see --help$/],
    ["ovpn", ["--env", "demo", "--endpoint", "x.example"], /^ovpn: --user is required; see --help$/],
    ["ovpn", ["--env", "demo", "--user", "a"], /^ovpn: --endpoint is required; see --help$/],
    ["ovpn", ["--env", "demo", "--user", "a", "--endpoint", "x.example", "--transport", "tcp"], /^ovpn: unknown option --transport; see --help$/],
    ["ovpn", ["--env", "Demo", "--user", "a", "--endpoint", "x.example"], /^ovpn: --env must be an environment name/],
    ["ovpn", ["--env", "demo", "--user", "../a", "--endpoint", "x.example"], /^ovpn: --user must be/],
    ["ovpn", ["--env", "demo", "--user", "a", "--endpoint", "evil.example\nup /bin/sh"], /^ovpn: --endpoint must be the endpoint's DNS name/],
    ["pki", [], /^pki: missing <command> \(init, client, revoke, list\); see --help$/],
    ["pki", ["renew", "--env", "demo"], /^pki: unknown command "renew" \(init, client, revoke, list\); see --help$/],
    ["pki", ["init"], /^pki: --env is required; see --help$/],
    ["pki", ["client", "--env", "demo"], /^pki: --user is required; see --help$/],
    ["pki", ["client", "--env", "demo", "--user", "bad name"], /^pki: --user must be/],
    ["pki", ["revoke", "--env", "demo"], /^pki: --user is required; see --help$/],
    ["pki", ["revoke", "--env", "demo", "--user", "a", "--reason", "bored"], /^pki: --reason must be one of keyCompromise, affiliationChanged, superseded, cessationOfOperation, got "bored"$/],
    ["pki", ["revoke", "--env", "demo", "--user", "a", "--endpoint-id", "vpn-1"], /^pki: --endpoint-id must be a Client VPN endpoint id/],
    ["pki", ["revoke", "--env", "demo", "--user", "a", "--run=yes"], /^pki: --run takes no value, or true or false; got "yes"$/],
    ["pki", ["list", "--env", "demo", "--user", "a"], /^pki: unknown option --user; see --help$/],
  ])("%s %j is a one-line usage error, exit 2", async (name, argv, message) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-pki-usage-"));
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const result = await cli(runs[name], argv);
      expect(result.code).toBe(2);
      expect(result.out).toBe("");
      expect(result.err).toMatch(/^[^\n]+\n$/);
      expect(result.err.trimEnd()).toMatch(message);
      expect(fs.readdirSync(cwd)).toEqual([]); // nothing done
    } finally {
      process.chdir(previous);
    }
  });

  it.each<[string, string[], string[]]>([
    ["ovpn", ["--help"], ["--env VALUE", "--user VALUE", "--endpoint VALUE", "--environments VALUE", "--dir VALUE"]],
    ["ovpn", ["--env", "demo", "--help"], ["--endpoint VALUE"]],
    ["pki", ["--help"], ["init", "client", "revoke", "list"]],
    ["pki", ["revoke", "--help"], ["--endpoint-id VALUE", "--run", "--reason", "--environments VALUE"]],
    ["pki", ["init", "--env", "demo", "--help"], ["--env VALUE"]],
  ])("%s %j prints help, exits 0 and does nothing else", async (name, argv, expected) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-pki-help-"));
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const result = await cli(runs[name], argv);
      expect(result.code).toBe(0);
      expect(result.err).toBe("");
      for (const text of expected) expect(result.out).toContain(text);
      expect(fs.readdirSync(cwd)).toEqual([]);
    } finally {
      process.chdir(previous);
    }
  });
});

describe("ovpn rendering", () => {
  const base = { endpointDnsName: "*.cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com", transport: "tcp" as const, port: 1194, caPem: "CA\n", certificatePem: "CERT", privateKeyPem: "KEY" };
  it("renders the transport, port, split-tunnel and DNS notes and blocks in order", () => {
    expect(renderOvpn({ ...base, dnsServers: ["10.0.0.2"] })).toBe(
      [
        "client", "dev tun", "proto tcp", "remote cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com 1194", "remote-random-hostname",
        "resolv-retry infinite", "nobind", "remote-cert-tls server", "cipher AES-256-GCM", "verb 3", "reneg-sec 0",
        "# Split tunnel: the endpoint pushes routes for the VPC only; other traffic stays on the local network.",
        "# DNS: the endpoint pushes 10.0.0.2 (set nothing here).",
        "<ca>", "CA", "</ca>", "<cert>", "CERT", "</cert>", "<key>", "KEY", "</key>", "",
      ].join("\n"),
    );
  });
  it("refuses a host name or DNS server that could inject directives", () => {
    expect(() => renderOvpn({ ...base, endpointDnsName: "evil.example\nup /bin/sh" })).toThrow(/is not a host name/);
    expect(() => renderOvpn({ ...base, dnsServers: ["10.0.0.2\nup /bin/sh"] })).toThrow(/is not an IPv4 address/);
  });
});

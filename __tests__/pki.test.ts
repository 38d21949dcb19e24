import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runOvpn } from "../src/cli/ovpn";
import { runPki } from "../src/cli/pki";
import { renderOvpn } from "../src/pki/ovpn";

describe("pki command", () => {
  let cwd: string;
  const previous = process.cwd();
  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-pki-"));
    process.chdir(cwd);
    await runPki(["init", "--env", "demo"]);
    await runPki(["client", "--env", "demo", "--user", "alice"]);
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

  it("refuses to replace an existing CA and needs one before issuing clients", async () => {
    await expect(runPki(["init", "--env", "demo"])).rejects.toThrow(/already exists; a new CA would invalidate every client certificate/);
    await expect(runPki(["client", "--env", "other", "--user", "bob"])).rejects.toThrow(/run `npm run pki -- init --env other` first/);
    await expect(runPki(["client", "--env", "demo", "--user", "bad name"])).rejects.toThrow(/common name/);
  });

  it("writes a profile for OpenVPN / Tunnelblick with everything inline", () => {
    const file = runOvpn(["--env", "demo", "--user", "alice", "--endpoint", "*.cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com"]);
    const profile = fs.readFileSync(path.join(cwd, file), "utf8");
    expect(profile).toContain("remote cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com 443\nremote-random-hostname");
    expect(profile).toContain(`<ca>\n${read("ca.crt").trim()}\n</ca>`);
    expect(profile).toContain(`<key>\n${read("clients/alice.key").trim()}\n</key>`);
    expect(fs.statSync(path.join(cwd, file)).mode & 0o777).toBe(0o600);
    expect(() => runOvpn(["--env", "demo", "--user", "bob", "--endpoint", "x.example"])).toThrow(/bob.crt does not exist/);
  });
});

describe("ovpn rendering", () => {
  const base = { endpointDnsName: "*.cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com", transport: "tcp" as const, port: 1194, caPem: "CA\n", certificatePem: "CERT", privateKeyPem: "KEY" };
  it("renders the transport, port and blocks in order", () => {
    expect(renderOvpn(base)).toBe(
      [
        "client", "dev tun", "proto tcp", "remote cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com 1194", "remote-random-hostname",
        "resolv-retry infinite", "nobind", "remote-cert-tls server", "cipher AES-256-GCM", "verb 3", "reneg-sec 0",
        "<ca>", "CA", "</ca>", "<cert>", "CERT", "</cert>", "<key>", "KEY", "</key>", "",
      ].join("\n"),
    );
  });
  it("refuses a host name that could inject directives", () => {
    expect(() => renderOvpn({ ...base, endpointDnsName: "evil.example\nup /bin/sh" })).toThrow(/is not a host name/);
  });
});

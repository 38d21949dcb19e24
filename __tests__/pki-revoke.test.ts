import "reflect-metadata"; // before @peculiar/x509
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as x509 from "@peculiar/x509";
import { cli, writeEnvironment } from "./helpers/cli";
import { runOvpn } from "../src/cli/ovpn";
import { runPki } from "../src/cli/pki";
import { checkCertificate, createAuthority, createRevocationList, issue, serialOf } from "../src/pki/certificates";
import { addRevocation, EMPTY_REVOCATION_LIST, importCrlCommand, parseRevocationList } from "../src/pki/revocation";

const openssl = spawnSync("openssl", ["version"]).status === 0;

describe("certificate revocation lists", () => {
  it("a revoked certificate fails verification against the CA's CRL; others pass; a CRL from another CA is refused", async () => {
    const ca = await createAuthority("t Client VPN CA");
    const alice = await issue(ca, "client", "alice.t");
    const bob = await issue(ca, "client", "bob.t");
    const crl = await createRevocationList(ca, [{ serial: serialOf(alice.certificatePem), revokedAt: new Date(), reason: "keyCompromise" }], 1);

    expect(crl).toMatch(/^-----BEGIN X509 CRL-----\n[\s\S]+\n-----END X509 CRL-----\n?$/); // the label OpenSSL and AWS read
    // The CRL itself: v2, signed by the CA's key, issued by the CA, listing alice's serial with its reason.
    const parsed = new x509.X509Crl(crl);
    expect(parsed.version).toBe(1); // v2 is encoded as 1
    expect(await parsed.verify({ publicKey: ca.certificate.publicKey })).toBe(true);
    expect(parsed.issuer).toBe(ca.certificate.subject);
    expect(parsed.entries.map((e) => e.serialNumber.toLowerCase())).toEqual([serialOf(alice.certificatePem)]);
    expect(parsed.entries[0].reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(parsed.nextUpdate?.getTime()).toBe(ca.certificate.notAfter.getTime()); // does not lapse before the CA

    expect(await checkCertificate(ca.certificatePem, alice.certificatePem, crl)).toEqual({ valid: false, kind: "revoked", problem: expect.stringContaining("was revoked") });
    expect(await checkCertificate(ca.certificatePem, bob.certificatePem, crl)).toEqual({ valid: true });
    expect(await checkCertificate(ca.certificatePem, alice.certificatePem)).toEqual({ valid: true }); // without the CRL, it still verifies

    const other = await createAuthority("other CA");
    const forged = await createRevocationList(other, [], 1);
    expect(await checkCertificate(ca.certificatePem, bob.certificatePem, forged)).toMatchObject({ valid: false, kind: "crl" });
    expect(await checkCertificate(other.certificatePem, bob.certificatePem)).toMatchObject({ valid: false, kind: "issuer" });
  });

  (openssl ? it : it.skip)("OpenSSL (what the endpoint runs) rejects the revoked certificate with the CRL and accepts the other", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-crl-"));
    const ca = await createAuthority("t Client VPN CA");
    const alice = await issue(ca, "client", "alice.t");
    const bob = await issue(ca, "client", "bob.t");
    const crl = await createRevocationList(ca, [{ serial: serialOf(alice.certificatePem), revokedAt: new Date(), reason: "cessationOfOperation" }], 1);
    const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const args = ["verify", "-crl_check", "-CAfile", file("ca.pem", ca.certificatePem), "-CRLfile", file("crl.pem", crl)];
    const verify = (cert: string) => spawnSync("openssl", [...args, file("leaf.pem", cert)], { encoding: "utf8" });
    const revoked = verify(alice.certificatePem);
    expect(revoked.status).not.toBe(0);
    expect(`${revoked.stdout}${revoked.stderr}`).toMatch(/certificate revoked/);
    expect(verify(bob.certificatePem).status).toBe(0);
    expect(execFileSync("openssl", ["crl", "-in", path.join(dir, "crl.pem"), "-noout", "-text"], { encoding: "utf8" })).toMatch(/Version 2[\s\S]*X509v3 CRL Number:\s*\n\s*1\b/);
  });

  it("keeps revocations as serial, user and date, and refuses a serial twice", () => {
    const record = { serial: "1A2b", user: "alice", commonName: "alice.t", revokedAt: "2026-01-02T03:04:05.000Z", reason: "superseded" as const };
    const list = addRevocation(EMPTY_REVOCATION_LIST, record);
    expect(list).toEqual({ crlNumber: 1, revoked: [{ ...record, serial: "1a2b" }] });
    expect(() => addRevocation(list, record)).toThrow("alice's certificate (serial 1a2b) is already revoked (2026-01-02T03:04:05.000Z)");
    expect(parseRevocationList("r.json", JSON.stringify(list))).toEqual(list);
    expect(() => parseRevocationList("r.json", "{")).toThrow(/^r\.json is not valid JSON/);
    expect(() => parseRevocationList("r.json", '{"crlNumber":1,"revoked":[{"serial":"zz"}]}')).toThrow(/revoked\[0\] must have/);
  });

  it("prints the AWS CLI import step, with the endpoint id from Terraform unless given", () => {
    expect(importCrlCommand("eu-west-1", "prod", "pki/prod/crl.pem")).toBe(
      "aws ec2 import-client-certificate-revocation-list --region eu-west-1 --client-vpn-endpoint-id $(terraform -chdir=cdktf.out/stacks/prod-aws output -raw client_vpn_endpoint_id) --certificate-revocation-list file://pki/prod/crl.pem",
    );
    expect(importCrlCommand("eu-west-1", "prod", "my pki/prod/crl.pem", "cvpn-endpoint-0123456789abcdef0")).toBe(
      "aws ec2 import-client-certificate-revocation-list --region eu-west-1 --client-vpn-endpoint-id cvpn-endpoint-0123456789abcdef0 --certificate-revocation-list 'file://my pki/prod/crl.pem'",
    );
  });
});

describe("pki revoke", () => {
  let cwd: string;
  const previous = process.cwd();
  const originalPath = process.env.PATH;
  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pa-revoke-"));
    process.chdir(cwd);
    writeEnvironment(cwd, "demo");
    for (const argv of [["init", "--env", "demo"], ["client", "--env", "demo", "--user", "alice"], ["client", "--env", "demo", "--user", "bob"], ["client", "--env", "demo", "--user", "carol"]]) {
      expect((await cli(runPki, argv)).code).toBe(0);
    }
  });
  afterAll(() => {
    process.chdir(previous);
    process.env.PATH = originalPath;
  });
  const pem = (file: string) => fs.readFileSync(path.join(cwd, "pki", "demo", file), "utf8");

  it("revokes a user: the CA-signed CRL makes that certificate fail and leaves the others valid; prints the import step", async () => {
    const aliceSerial = serialOf(pem("clients/alice.crt"));
    const result = await cli(runPki, ["revoke", "--env", "demo", "--user", "alice"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "aws ec2 import-client-certificate-revocation-list --region ap-northeast-2 --client-vpn-endpoint-id $(terraform -chdir=cdktf.out/stacks/demo-aws output -raw client_vpn_endpoint_id) --certificate-revocation-list file://pki/demo/crl.pem",
    );
    const crl = pem("crl.pem");
    expect(await checkCertificate(pem("ca.crt"), pem("clients/alice.crt"), crl)).toMatchObject({ valid: false, kind: "revoked" });
    expect(await checkCertificate(pem("ca.crt"), pem("clients/bob.crt"), crl)).toEqual({ valid: true });
    expect(fs.statSync(path.join(cwd, "pki", "demo", "crl.pem")).mode & 0o777).toBe(0o644);
    const list = parseRevocationList("revoked.json", pem("revoked.json"));
    expect(list.revoked).toEqual([{ serial: aliceSerial, user: "alice", commonName: "alice.demo", revokedAt: expect.any(String), reason: "cessationOfOperation" }]);
  });

  it("refuses an already revoked or unknown user in one line (exit 1), leaving the CRL as it was", async () => {
    const before = pem("crl.pem");
    expect(await cli(runPki, ["revoke", "--env", "demo", "--user", "alice"])).toEqual({ code: 1, out: "", err: expect.stringMatching(/^pki: alice's certificate \(serial [0-9a-f]+\) is already revoked \([^)]+\)\n$/) });
    expect(await cli(runPki, ["revoke", "--env", "demo", "--user", "mallory"])).toEqual({ code: 1, out: "", err: 'pki: no certificate for user "mallory" in pki/demo/clients (users: alice, bob, carol)\n' });
    expect(pem("crl.pem")).toBe(before);
  });

  it("a second revocation keeps the first on the CRL and bumps the CRL number", async () => {
    const result = await cli(runPki, ["revoke", "--env", "demo", "--user", "bob", "--endpoint-id", "cvpn-endpoint-0123456789abcdef0", "--reason", "keyCompromise"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("--client-vpn-endpoint-id cvpn-endpoint-0123456789abcdef0 --certificate-revocation-list file://pki/demo/crl.pem");
    const crl = new x509.X509Crl(pem("crl.pem"));
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase()).sort()).toEqual([serialOf(pem("clients/alice.crt")), serialOf(pem("clients/bob.crt"))].sort());
    expect(parseRevocationList("r", pem("revoked.json")).crlNumber).toBe(2);
    expect(await checkCertificate(pem("ca.crt"), pem("clients/carol.crt"), pem("crl.pem"))).toEqual({ valid: true });
  });

  it("lists users, serials and whether each is revoked", async () => {
    const result = await cli(runPki, ["list", "--env", "demo"]);
    expect(result.code).toBe(0);
    const rows = result.out.trim().split("\n").slice(1).map((line) => line.split(/\s{2,}/));
    expect(rows.map(([user, serial, state]) => [user, serial, state.split(" ")[0]])).toEqual([
      ["alice", serialOf(pem("clients/alice.crt")), "revoked"],
      ["bob", serialOf(pem("clients/bob.crt")), "revoked"],
      ["carol", serialOf(pem("clients/carol.crt")), "valid"],
    ]);
  });

  it("will not write a profile for a revoked certificate, and issues a revoked user a new one that the CRL does not list", async () => {
    const ovpn = await cli(runOvpn, ["--env", "demo", "--user", "alice", "--endpoint", "cvpn-endpoint-0abc.prod.clientvpn.ap-northeast-2.amazonaws.com"]);
    expect(ovpn).toEqual({ code: 1, out: "", err: expect.stringMatching(/^ovpn: .*alice\.crt was revoked on [^\n]*\n$/) });
    const old = serialOf(pem("clients/alice.crt"));
    expect((await cli(runPki, ["client", "--env", "demo", "--user", "alice"])).code).toBe(0);
    expect(serialOf(pem("clients/alice.crt"))).not.toBe(old);
    expect(await checkCertificate(pem("ca.crt"), pem("clients/alice.crt"), pem("crl.pem"))).toEqual({ valid: true });
    const list = await cli(runPki, ["list", "--env", "demo"]);
    expect(list.out).toMatch(new RegExp(`alice\\s+${old}\\s+revoked .*\\(replaced\\)`));
  });

  it("--run runs the aws CLI from PATH with the import arguments", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bin-"));
    const record = path.join(bin, "args");
    fs.writeFileSync(path.join(bin, "aws"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${originalPath}`;
    try {
      const result = await cli(runPki, ["revoke", "--env", "demo", "--user", "carol", "--endpoint-id", "cvpn-endpoint-0123456789abcdef0", "--run"]);
      expect(result).toEqual({ code: 0, out: expect.stringContaining("imported pki/demo/crl.pem into cvpn-endpoint-0123456789abcdef0 (ap-northeast-2)"), err: "" });
      expect(fs.readFileSync(record, "utf8").trim().split("\n")).toEqual([
        "ec2", "import-client-certificate-revocation-list", "--region", "ap-northeast-2", "--client-vpn-endpoint-id", "cvpn-endpoint-0123456789abcdef0",
        "--certificate-revocation-list", "file://pki/demo/crl.pem",
      ]);
    } finally {
      process.env.PATH = originalPath;
    }
  });

  it("--run without the aws CLI on PATH is one line (exit 1)", async () => {
    expect((await cli(runPki, ["client", "--env", "demo", "--user", "dave"])).code).toBe(0);
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "pa-empty-"));
    try {
      const result = await cli(runPki, ["revoke", "--env", "demo", "--user", "dave", "--endpoint-id", "cvpn-endpoint-0123456789abcdef0", "--run"]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^pki: aws is not on PATH: install it, or run the printed command yourself; pki\/demo\/crl.pem is written, import it with: aws ec2 [^\n]*\n$/);
    } finally {
      process.env.PATH = originalPath;
    }
  });

  it("refuses --run for an environment without Client VPN before writing anything; without --run it only records", async () => {
    writeEnvironment(cwd, "novpn", (doc) => (doc.access.clientVpn.enabled = false));
    fs.cpSync(path.join(cwd, "pki", "demo"), path.join(cwd, "pki", "novpn"), { recursive: true });
    fs.rmSync(path.join(cwd, "pki", "novpn", "revoked.json"));
    fs.rmSync(path.join(cwd, "pki", "novpn", "crl.pem"));
    const refused = await cli(runPki, ["revoke", "--env", "novpn", "--user", "carol", "--endpoint-id", "cvpn-endpoint-0123456789abcdef0", "--run"]);
    expect(refused).toEqual({ code: 1, out: "", err: expect.stringMatching(/^pki: environments\/novpn\.yaml: access\.clientVpn is not enabled[^\n]*\n$/) });
    expect(fs.existsSync(path.join(cwd, "pki", "novpn", "crl.pem"))).toBe(false);
    const recorded = await cli(runPki, ["revoke", "--env", "novpn", "--user", "carol"]);
    expect(recorded.code).toBe(0);
    expect(recorded.out).toMatch(/has no Client VPN enabled: import pki\/novpn\/crl\.pem once the endpoint exists/);
  });

  it("reports a missing environment file with the loader's one-line error (exit 1)", async () => {
    expect(await cli(runPki, ["revoke", "--env", "gone", "--user", "carol"])).toEqual({ code: 1, out: "", err: 'environments/gone.yaml: does not exist (no environment named "gone")\n' });
  });
});

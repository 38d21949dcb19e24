import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { BootPart } from "../modules/common/boot/boot-part";
import { renderPartScript, renderUserData } from "../modules/common/boot/render-user-data";
import { certificateLoginPart, publicKeyLoginPart } from "../modules/cloudflare-tunnel/boot/ssh-access-part";
import { sharedHostKeyPart, SHARED_HOST_KEY } from "../modules/cloudflare-tunnel/boot/host-key-part";
import { cloudflaredPart } from "../modules/cloudflare-tunnel/boot/cloudflared-part";
import { DEFAULT_APP_SOURCE, FORWARDED_METHODS, defaultAppPart } from "../modules/web-tier/default-app";
import { byName, synthAws } from "./helpers/synth";
import { exampleWith } from "./helpers/environment";
import { RUNTIME_TOOLS, createSandbox, freePort, runtimeOrSkip } from "./helpers/runtime";

/**
 * What runs on the servers, run for real: bash and shellcheck over every script, systemd-analyze
 * over every unit, a real sshd on loopback with a CA made by ssh-keygen standing in for Cloudflare
 * Access, the default app under the machine's Python, and the whole user data in a sandbox (a
 * private mount namespace with overlays over /etc and the other folders it writes, stub
 * aws/dnf/curl/systemctl) — never the machine's own /etc or users.
 */
const runtime = runtimeOrSkip();
const describeRuntime = runtime.ok ? describe : describe.skip;

const REGION = "ap-northeast-2";
const CA_PARAMETER = "/private-access/example/cloudflared/ssh-ca-public-key";
const HOST_KEY = { region: REGION, parameter: "/private-access/example/ssh/shared-host-key", publicParameter: "/private-access/example/ssh/shared-host-key.pub", keyAlias: "private-access-example-cloudflared-token" };
const PEOPLE = [
  { email: "alice@partner.example", unixUser: "alice", principal: "alice" },
  { email: "bob.smith@partner.example", unixUser: "bob-smith", principal: "bob.smith" },
];

function exampleUserData(): { userData: string; parts: BootPart[] } {
  const launchTemplate = byName(synthAws(exampleWith()).tf, "aws_launch_template", "app-servers");
  return { userData: Buffer.from(launchTemplate.user_data, "base64").toString("utf8"), parts: [] };
}

/** Every bash program the parts carry: the part scripts and the executable files they write. */
function bashPrograms(parts: readonly BootPart[]): { name: string; source: string }[] {
  return parts.flatMap((part) => [
    { name: `part ${part.name}`, source: `#!/bin/bash\n${renderPartScript(part)}` },
    ...(part.files ?? []).filter((file) => file.content.startsWith("#!/bin/bash")).map((file) => ({ name: file.path, source: file.content })),
  ]);
}

const ALL_PARTS: BootPart[] = [
  defaultAppPart({ port: 8080, healthPath: "/api/health", name: "app.example.com" }),
  cloudflaredPart({ region: REGION, tokenParameter: "/private-access/example/cloudflared/token", install: { version: "latest" } }),
  cloudflaredPart({ region: REGION, tokenParameter: "/t", install: { version: "2025.8.1", sha256: { arm64: "a".repeat(64), x86_64: "b".repeat(64) } } }),
  sharedHostKeyPart(HOST_KEY),
  certificateLoginPart({ region: REGION, caParameter: CA_PARAMETER, people: PEOPLE, sharedUser: "engineer" }),
  publicKeyLoginPart({ unixUser: "engineer", keys: [{ name: "alice", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO0 alice@laptop" }] }),
];

describeRuntime("boot scripts pass bash -n and shellcheck", () => {
  const check = (name: string, source: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-sh-"));
    const file = path.join(dir, "script.sh");
    fs.writeFileSync(file, source);
    const syntax = spawnSync("bash", ["-n", file], { encoding: "utf8" });
    expect({ name, syntax: syntax.stderr }).toEqual({ name, syntax: "" });
    const lint = spawnSync(RUNTIME_TOOLS.shellcheck, ["--shell=bash", "--severity=style", file], { encoding: "utf8" });
    expect({ name, shellcheck: lint.stdout }).toEqual({ name, shellcheck: "" });
    fs.rmSync(dir, { recursive: true });
  };

  it("the example's whole user data", () => {
    check("example user data", exampleUserData().userData);
  });

  it.each(bashPrograms(ALL_PARTS).map((p) => [p.name, p.source]))("%s", (name, source) => {
    check(name, source);
  });

  it("shellcheck is really looking (a known mistake is reported)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-sh-"));
    fs.writeFileSync(path.join(dir, "bad.sh"), "#!/bin/bash\nrm -rf $1/*\n");
    expect(spawnSync(RUNTIME_TOOLS.shellcheck, [path.join(dir, "bad.sh")], { encoding: "utf8" }).stdout).toMatch(/SC2115|SC2086/);
  });
});

/** The sandbox after the example's whole user data ran, with the Access CA and a shared host key in the stub SSM. */
describeRuntime("the example's user data runs in a sandbox", () => {
  let sandbox: ReturnType<typeof createSandbox>;
  let run: { status: number | null; stdout: string; stderr: string };
  const ca = fs.mkdtempSync(path.join(os.tmpdir(), "pa-ca-"));

  beforeAll(() => {
    spawnSync(RUNTIME_TOOLS.sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-C", "cloudflare access stand-in", "-f", path.join(ca, "ca")]);
    sandbox = createSandbox();
    fs.writeFileSync(path.join(sandbox.ssm, CA_PARAMETER.replace(/\//g, "_")), fs.readFileSync(path.join(ca, "ca.pub")));
    fs.writeFileSync(path.join(sandbox.root, "user-data"), exampleUserData().userData);
    run = sandbox.run(`bash ${sandbox.root}/user-data; echo "exit $?"`, {}, 120000);
  }, 180000);
  afterAll(() => sandbox?.dispose());

  it("a failed cloudflared install fails only its own part: SSH is still set up", () => {
    const results = fs.readFileSync(path.join(sandbox.upper("/var"), "lib/private-access/boot/results"), "utf8");
    expect(results).toBe(["default-app ok", "cloudflared failed 1", "ssh-host-key ok", "ssh-access ok", ""].join("\n"));
    expect(run.stdout).toContain("exit 1");
    expect(run.stdout).toMatch(/part cloudflared FAILED \(exit 1 after \d+ s\); rerun: sudo bash -euo pipefail \/var\/lib\/private-access\/boot\/02-cloudflared\.sh/);
    // Cloudflare's repository with the current signing key was tried, and nothing else.
    const repo = fs.readFileSync(path.join(sandbox.upper("/etc"), "yum.repos.d/cloudflared.repo"), "utf8");
    expect(repo).toContain("gpgcheck=1\n");
    expect(repo).toContain("gpgkey=https://pkg.cloudflare.com/cloudflare-main.gpg");
  });

  it("the log an operator reads through Session Manager says what happened", () => {
    const log = fs.readFileSync(path.join(sandbox.upper("/var"), "log/private-access/boot.log"), "utf8");
    expect(log).toContain("part ssh-access ok");
    expect(log).toContain("4 part(s), 1 failed");
  });

  it("nothing waits on the network where a local copy exists: no package is installed for Python", () => {
    const calls = fs.readFileSync(sandbox.log, "utf8");
    expect(calls).not.toMatch(/dnf install -y python3/);
    expect(calls).toMatch(/dnf install -y cloudflared/);
  });

  it("each person gets their own account, in the sandbox's /etc only", () => {
    const passwd = fs.readFileSync(path.join(sandbox.upper("/etc"), "passwd"), "utf8");
    expect(passwd).toMatch(/^alice:x:\d+:\d+:alice@partner\.example \(Cloudflare Access\):\/home\/alice:\/bin\/bash$/m);
    expect(passwd).toMatch(/^bob:/m);
    expect(passwd).not.toMatch(/^engineer:/m);
    expect(fs.readFileSync("/etc/passwd", "utf8")).not.toMatch(/^alice:/m);
    // A password of '*': no password, but not a locked account (which sshd refuses without PAM).
    expect(fs.readFileSync(path.join(sandbox.upper("/etc"), "shadow"), "utf8")).toMatch(/^alice:\*:/m);
  });

  it("the first server stores the shared host key in SSM (create-only) and sshd uses it", () => {
    const stored = path.join(sandbox.ssm, HOST_KEY.parameter.replace(/\//g, "_"));
    expect(fs.readFileSync(stored, "utf8")).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(fs.readFileSync(`${stored}.pub`, "utf8")).toMatch(/^ssh-ed25519 /);
    expect(fs.readFileSync(sandbox.log, "utf8")).toMatch(/aws ssm put-parameter .*--type SecureString --key-id alias\/private-access-example-cloudflared-token --no-overwrite/);
  });

  it("every unit the boot wrote passes systemd-analyze verify (with the files the boot wrote)", () => {
    const units = fs.readdirSync(path.join(sandbox.upper("/etc"), "systemd/system")).filter((f) => /\.(service|timer)$/.test(f));
    expect(units.sort()).toEqual(["cloudflared.service", "private-access-app.service", "private-access-ssh-ca.service", "private-access-ssh-ca.timer"]);
    // cloudflared itself never installed here: its runner script is what the unit starts.
    const result = sandbox.run(`cd /etc/systemd/system && ${RUNTIME_TOOLS.systemdAnalyze} verify ${units.map((u) => `./${u}`).join(" ")} 2>&1; echo "exit $?"`);
    expect(result.stdout.trim()).toBe("exit 0");
  });

  it("systemd-analyze is really looking (a misspelt key is reported)", () => {
    const result = sandbox.run(`cd $(mktemp -d) && printf '[Service]\\nExecStrt=/bin/true\\n' > bad.service && ${RUNTIME_TOOLS.systemdAnalyze} verify ./bad.service 2>&1; echo "exit $?"`);
    expect(result.stdout).toMatch(/Unknown key 'ExecStrt'/);
  });

  it("the CA fetch checks what SSM holds before sshd trusts it", () => {
    const fetched = sandbox.run("/usr/local/libexec/private-access/fetch-access-ca && cat /etc/ssh/private-access/cloudflare-access-ca.pub");
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toBe(fs.readFileSync(path.join(ca, "ca.pub"), "utf8"));
    fs.writeFileSync(path.join(sandbox.ssm, CA_PARAMETER.replace(/\//g, "_")), "not a key\n");
    const refused = sandbox.run("/usr/local/libexec/private-access/fetch-access-ca; echo \"exit $?\"; cat /etc/ssh/private-access/cloudflare-access-ca.pub");
    expect(refused.stdout).not.toContain("exit 0");
    expect(refused.stdout).toContain(fs.readFileSync(path.join(ca, "ca.pub"), "utf8").trim());
  });
});

/** A real sshd on loopback with the boot parts' configuration, and certificates from a stand-in CA. */
describeRuntime("a real sshd with the rendered configuration", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pa-sshd-"));
  fs.chmodSync(work, 0o755);
  const keygen = (...args: string[]) => {
    const result = spawnSync(RUNTIME_TOOLS.sshKeygen, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(result.stderr);
  };
  keygen("-q", "-t", "ed25519", "-N", "", "-C", "access-ca", "-f", path.join(work, "ca"));
  keygen("-q", "-t", "ed25519", "-N", "", "-C", "not-access", "-f", path.join(work, "other-ca"));
  /** A key and a certificate as Access makes them: key id the email, principal its local part. */
  const certificate = (name: string, email: string, principal: string, signer = "ca") => {
    keygen("-q", "-t", "ed25519", "-N", "", "-f", path.join(work, name));
    keygen("-q", "-s", path.join(work, signer), "-I", email, "-n", principal, "-V", "-5m:+1h", path.join(work, `${name}.pub`));
    return name;
  };
  const alice = certificate("alice", "alice@partner.example", "alice");
  const bob = certificate("bob", "bob.smith@partner.example", "bob.smith");
  const mallory = certificate("mallory", "mallory@partner.example", "mallory");
  // The old drop-in let a mailbox named after an account log in as it: ec2-user@partner.example → ec2-user.
  const ec2User = certificate("ec2user", "ec2-user@partner.example", "ec2-user");
  const root = certificate("root", "root@partner.example", "root");
  const forged = certificate("forged", "alice@partner.example", "alice", "other-ca");

  /**
   * Runs the SSH parts in a sandbox (as a server's boot would), starts sshd on loopback with an
   * Amazon Linux-like main configuration (drop-ins included first, host keys of its own), tries
   * each login, and returns who got in.
   */
  async function logins(parts: BootPart[], attempts: { key: string; user: string }[]): Promise<{ results: string[]; log: string; hostKeys: string }> {
    const sandbox = createSandbox();
    try {
      fs.writeFileSync(path.join(sandbox.ssm, CA_PARAMETER.replace(/\//g, "_")), fs.readFileSync(path.join(work, "ca.pub")));
      fs.writeFileSync(path.join(sandbox.root, "user-data"), renderUserData(parts));
      const port = await freePort();
      const sshOptions = `-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o ConnectTimeout=5 -p ${port}`;
      const tries = attempts
        .map(({ key, user }) => `if ${RUNTIME_TOOLS.ssh} ${sshOptions} -i ${work}/${key} -o CertificateFile=${work}/${key}-cert.pub ${user}@127.0.0.1 'echo "$(id -un)"' > ${sandbox.root}/out 2>/dev/null; then echo "${key} as ${user}: in as $(cat ${sandbox.root}/out)"; else echo "${key} as ${user}: refused"; fi`)
        .join("\n");
      const script = `
bash ${sandbox.root}/user-data > ${sandbox.root}/boot.out 2>&1 || { cat ${sandbox.root}/boot.out; cat /var/lib/private-access/boot/results; }
/usr/local/libexec/private-access/fetch-access-ca 2>/dev/null || true
useradd --create-home --password '*' ec2-user
install -d -m 0755 /etc/ssh/main
ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/main/own_host_ed25519_key
ssh-keygen -q -t ecdsa -N '' -f /etc/ssh/main/own_host_ecdsa_key
cat > /etc/ssh/main/sshd_config <<'EOF'
Include /etc/ssh/sshd_config.d/*.conf
HostKey /etc/ssh/main/own_host_ecdsa_key
HostKey /etc/ssh/main/own_host_ed25519_key
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
PidFile none
EOF
# Only the project's drop-ins: Debian's own would change the main configuration under test.
find /etc/ssh/sshd_config.d -type f ! -name '*private-access*' -delete
${RUNTIME_TOOLS.sshd} -t -f /etc/ssh/main/sshd_config || exit 3
${RUNTIME_TOOLS.sshd} -D -e -f /etc/ssh/main/sshd_config -o ListenAddress=127.0.0.1 -p ${port} 2> ${sandbox.root}/sshd.log &
sshd_pid=$!
for _ in $(seq 50); do ${RUNTIME_TOOLS.sshKeyscan} -p ${port} 127.0.0.1 >/dev/null 2>&1 && break; sleep 0.1; done
${RUNTIME_TOOLS.sshKeyscan} -p ${port} 127.0.0.1 2>/dev/null | sort > ${sandbox.root}/hostkeys
${tries}
kill $sshd_pid
wait $sshd_pid 2>/dev/null
cat /etc/ssh/private-access/shared_host_ed25519_key.pub > ${sandbox.root}/shared.pub 2>/dev/null || true
`;
      const result = sandbox.run(script, {}, 120000);
      const log = fs.existsSync(path.join(sandbox.root, "sshd.log")) ? fs.readFileSync(path.join(sandbox.root, "sshd.log"), "utf8") : "";
      if (result.status !== 0) throw new Error(`sandbox exited ${result.status}: ${result.stdout}${result.stderr}${log}`);
      const read = (name: string) => (fs.existsSync(path.join(sandbox.root, name)) ? fs.readFileSync(path.join(sandbox.root, name), "utf8") : "");
      return { results: result.stdout.trim().split("\n").filter((line) => / as /.test(line)), log, hostKeys: `${read("hostkeys")}\nshared: ${read("shared.pub")}` };
    } finally {
      sandbox.dispose();
    }
  }

  it("lets each mapped person in as their own account, and nobody as root, ec2-user or another's account", async () => {
    const parts = [sharedHostKeyPart(HOST_KEY), certificateLoginPart({ region: REGION, caParameter: CA_PARAMETER, people: PEOPLE })];
    const { results, log } = await logins(parts, [
      { key: alice, user: "alice" },
      { key: bob, user: "bob-smith" },
      { key: alice, user: "bob-smith" },
      { key: alice, user: "root" },
      { key: alice, user: "ec2-user" },
      { key: ec2User, user: "ec2-user" },
      { key: root, user: "root" },
      { key: mallory, user: "alice" },
      { key: mallory, user: "mallory" },
      { key: forged, user: "alice" },
    ]);
    expect(results).toEqual([
      "alice as alice: in as alice",
      "bob as bob-smith: in as bob-smith",
      "alice as bob-smith: refused",
      "alice as root: refused",
      "alice as ec2-user: refused",
      "ec2user as ec2-user: refused",
      "root as root: refused",
      "mallory as alice: refused",
      "mallory as mallory: refused",
      "forged as alice: refused",
    ]);
    // The certificate's key id (the person's email) is in the log with every login.
    expect(log).toMatch(/Accepted certificate ID "alice@partner\.example"/);
    expect(log).toMatch(/Accepted certificate ID "bob\.smith@partner\.example"/);
  });

  it("a shared account, named in the settings, admits every certificate the CA signed and logs whose it was", async () => {
    const parts = [certificateLoginPart({ region: REGION, caParameter: CA_PARAMETER, people: [PEOPLE[0]], sharedUser: "engineer" })];
    const { results, log } = await logins(parts, [
      { key: mallory, user: "engineer" },
      { key: alice, user: "engineer" },
      { key: mallory, user: "alice" },
      { key: forged, user: "engineer" },
      { key: ec2User, user: "ec2-user" },
    ]);
    expect(results).toEqual([
      "mallory as engineer: in as engineer",
      "alice as engineer: in as engineer",
      "mallory as alice: refused",
      "forged as engineer: refused",
      "ec2user as ec2-user: refused",
    ]);
    expect(log).toMatch(/Accepted certificate ID "mallory@partner\.example"/);
  });

  it("listed public keys log in as their account only, never as root", async () => {
    keygen("-q", "-t", "ed25519", "-N", "", "-C", "carol", "-f", path.join(work, "carol"));
    const key = fs.readFileSync(path.join(work, "carol.pub"), "utf8").trim();
    const parts = [publicKeyLoginPart({ unixUser: "engineer", keys: [{ name: "carol", key }] })];
    fs.copyFileSync(path.join(work, "carol.pub"), path.join(work, "carol-cert.pub")); // no certificate: ssh ignores a plain key there
    const { results } = await logins(parts, [
      { key: "carol", user: "engineer" },
      { key: "carol", user: "root" },
      { key: alice, user: "engineer" },
    ]);
    expect(results).toEqual(["carol as engineer: in as engineer", "carol as root: refused", "alice as engineer: refused"]);
  });

  it("two replicas present one host key: the first stores it, the second uses it, and no other key is offered", async () => {
    const ssm = fs.mkdtempSync(path.join(os.tmpdir(), "pa-ssm-"));
    const replica = () => {
      const sandbox = createSandbox(ssm);
      try {
        fs.writeFileSync(path.join(sandbox.root, "user-data"), renderUserData([sharedHostKeyPart(HOST_KEY)]));
        const result = sandbox.run(`bash ${sandbox.root}/user-data >/dev/null 2>&1; echo "exit $?"; ssh-keygen -lf ${SHARED_HOST_KEY}.pub`);
        expect(result.stdout).toContain("exit 0");
        return result.stdout.split("\n")[1];
      } finally {
        sandbox.dispose();
      }
    };
    const first = replica();
    const second = replica();
    expect(first).toMatch(/^256 SHA256:\S+ private-access shared host key \(ED25519\)$/);
    expect(second).toBe(first);
    const { hostKeys } = await logins([sharedHostKeyPart(HOST_KEY), certificateLoginPart({ region: REGION, caParameter: CA_PARAMETER, people: PEOPLE })], [{ key: alice, user: "alice" }]);
    const offered = hostKeys.split("\n").filter((line) => line.startsWith("[127.0.0.1]"));
    const shared = hostKeys.split("shared: ")[1].trim().split(" ").slice(0, 2).join(" ");
    expect(offered).toHaveLength(1);
    expect(offered[0].split(" ").slice(1).join(" ")).toBe(shared);
  });

  it("sshd -t refuses a broken drop-in, and the part moves it aside so sshd keeps working", () => {
    const sandbox = createSandbox();
    try {
      const broken: BootPart = { name: "broken-sshd", description: "a drop-in sshd refuses", files: [{ path: "/etc/ssh/sshd_config.d/40-private-access.conf", mode: "0600", content: "NoSuchKeyword yes\n" }], commands: ["if ! /usr/sbin/sshd -t; then mv -f /etc/ssh/sshd_config.d/40-private-access.conf /etc/ssh/sshd_config.d/40-private-access.conf.refused; exit 1; fi"] };
      fs.writeFileSync(path.join(sandbox.root, "user-data"), renderUserData([broken]));
      const result = sandbox.run(`bash ${sandbox.root}/user-data >/dev/null 2>&1; echo "exit $?"; ls /etc/ssh/sshd_config.d; /usr/sbin/sshd -t && echo sshd-ok`);
      expect(result.stdout).toContain("exit 1");
      expect(result.stdout).toContain("40-private-access.conf.refused");
      expect(result.stdout).toContain("sshd-ok");
    } finally {
      sandbox.dispose();
    }
  });
});

describeRuntime("the default app under the machine's Python", () => {
  it("answers the health path and every method the edge forwards to /api/*", async () => {
    const port = await freePort();
    const part = defaultAppPart({ port, healthPath: "/api/health", name: "app.example.com" });
    const source = part.files!.find((f) => f.path === DEFAULT_APP_SOURCE)!.content;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-app-"));
    fs.writeFileSync(path.join(dir, "server.py"), source);
    const server = spawn(RUNTIME_TOOLS.python3, [path.join(dir, "server.py")], { env: { APP_ADDRESS: "127.0.0.1" }, stdio: "ignore" });
    const request = (method: string, url: string, body?: string) =>
      new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method, path: url, headers: body ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {} }, (res) => {
          let data = "";
          res.on("data", (chunk) => (data += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, body: data, type: res.headers["content-type"] }));
        });
        req.on("error", reject);
        if (body) req.write(body);
        req.end();
      });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          await request("GET", "/api/health");
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const health = await request("GET", "/api/health");
      expect(health).toEqual({ status: 200, body: '{"status": "ok"}', type: "application/json" });
      const answers: Record<string, number> = {};
      for (const method of FORWARDED_METHODS) answers[method] = (await request(method, "/api/orders?x=1", ["POST", "PUT", "PATCH"].includes(method) ? '{"a":1}' : undefined)).status;
      expect(answers).toEqual({ GET: 200, HEAD: 200, OPTIONS: 204, PUT: 200, POST: 200, PATCH: 200, DELETE: 200 });
      expect(JSON.parse((await request("DELETE", "/api/orders/7")).body)).toMatchObject({ method: "DELETE", path: "/api/orders/7" });
      expect((await request("GET", "/nowhere")).status).toBe(404);
    } finally {
      server.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

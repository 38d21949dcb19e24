import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Real components for the boot tests (Debian's openssh-server, shellcheck, systemd, Python), and a
 * sandbox to run boot parts in: a private mount namespace whose /etc, /var, /usr/local, /opt and
 * /home are overlays on the machine's own (writes land in a temporary folder, never on the
 * machine), with stub `aws`, `dnf`, `curl` and `systemctl` first on PATH. In CI (CI=true) a missing
 * component fails the run; elsewhere the tests skip, saying why.
 */
export const RUNTIME_TOOLS = {
  sshd: "/usr/sbin/sshd",
  ssh: "/usr/bin/ssh",
  sshKeygen: "/usr/bin/ssh-keygen",
  sshKeyscan: "/usr/bin/ssh-keyscan",
  shellcheck: "/usr/bin/shellcheck",
  systemdAnalyze: "/usr/bin/systemd-analyze",
  python3: "/usr/bin/python3",
  unshare: "/usr/bin/unshare",
} as const;

export function runtimeOrSkip(): { ok: boolean; reason?: string } {
  const missing = Object.values(RUNTIME_TOOLS).filter((tool) => !fs.existsSync(tool));
  let reason = missing.length > 0 ? `missing ${missing.join(", ")} (install Debian's openssh-server, shellcheck, systemd and python3)` : undefined;
  if (!reason && process.getuid?.() !== 0) reason = "the sandbox needs root (a private mount namespace with overlays)";
  if (!reason) {
    const probe = spawnSync(RUNTIME_TOOLS.unshare, ["--mount", "--propagation", "private", "true"], { encoding: "utf8" });
    if (probe.status !== 0) reason = `unshare --mount failed: ${probe.stderr.trim()}`;
  }
  if (!reason) return { ok: true };
  if (process.env.CI === "true") throw new Error(`CI=true but the boot runtime tests cannot run: ${reason}`);
  console.warn(`skipping boot runtime tests: ${reason}`);
  return { ok: false, reason };
}

const OVERLAID = ["/etc", "/var", "/usr/local", "/opt", "/home"] as const;

/** A stub AWS CLI: SSM parameters are files in $STUB_SSM (get-parameter, put-parameter with --no-overwrite). */
const STUB_AWS = `#!/bin/bash
echo "aws $*" >> "$STUB_LOG"
name=""; value=""; overwrite=0; op="$1 $2"; shift 2
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --value) value=$2; shift 2 ;;
    --overwrite) overwrite=1; shift ;;
    --region|--query|--output|--type) shift 2 ;;
    *) shift ;;
  esac
done
file="$STUB_SSM/$(printf '%s' "$name" | tr '/' '_')"
case "$op" in
  "ssm get-parameter")
    if [ -f "$file" ]; then cat "$file"; else echo "An error occurred (ParameterNotFound) when calling the GetParameter operation" >&2; exit 254; fi ;;
  "ssm put-parameter")
    if [ -f "$file" ] && [ "$overwrite" -eq 0 ]; then echo "An error occurred (ParameterAlreadyExists)" >&2; exit 254; fi
    case "$value" in file://*) cat "\${value#file://}" > "$file" ;; *) printf '%s' "$value" > "$file" ;; esac ;;
  *) echo "stub aws: $op is not stubbed" >&2; exit 2 ;;
esac
`;

/** dnf and curl reach no network here: both fail, as a mirror or GitHub being down would. */
const STUB_OFFLINE = (name: string) => `#!/bin/bash
echo "${name} $*" >> "$STUB_LOG"
echo "${name}: no network in the sandbox" >&2
exit 1
`;

const STUB_SYSTEMCTL = `#!/bin/bash
echo "systemctl $*" >> "$STUB_LOG"
`;

export interface Sandbox {
  readonly root: string;
  /** Where the overlays' writes land: upper(/etc) is the sandbox's own /etc changes. */
  upper(dir: (typeof OVERLAID)[number]): string;
  readonly ssm: string;
  readonly log: string;
  /** Runs bash in the sandbox (a new mount namespace each time, the same overlays). */
  run(script: string, env?: Record<string, string>, timeoutMs?: number): { status: number | null; stdout: string; stderr: string };
  dispose(): void;
}

export function createSandbox(ssm?: string): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pa-boot-"));
  fs.chmodSync(root, 0o755);
  const stubs = path.join(root, "stubs");
  fs.mkdirSync(stubs);
  const write = (name: string, content: string) => fs.writeFileSync(path.join(stubs, name), content, { mode: 0o755 });
  write("aws", STUB_AWS);
  write("dnf", STUB_OFFLINE("dnf"));
  write("curl", STUB_OFFLINE("curl"));
  write("systemctl", STUB_SYSTEMCTL);
  const ssmDir = ssm ?? path.join(root, "ssm");
  fs.mkdirSync(ssmDir, { recursive: true });
  const log = path.join(root, "stub.log");
  fs.writeFileSync(log, "");
  const name = (dir: string) => dir.slice(1).replace(/\//g, "-");
  for (const dir of OVERLAID) for (const kind of ["upper", "work"]) fs.mkdirSync(path.join(root, kind, name(dir)), { recursive: true });
  const mounts = [
    ...OVERLAID.map((dir) => `mount -t overlay overlay -o lowerdir=${dir},upperdir=${root}/upper/${name(dir)},workdir=${root}/work/${name(dir)} ${dir}`),
    // sshd wants its privilege-separation directory; /run is a fresh tmpfs in the namespace.
    "mount -t tmpfs tmpfs /run",
    "mkdir -m 0755 /run/sshd",
  ];
  return {
    root,
    ssm: ssmDir,
    log,
    upper: (dir) => path.join(root, "upper", name(dir)),
    run(script, env = {}, timeoutMs = 60000) {
      const result = spawnSync(RUNTIME_TOOLS.unshare, ["--mount", "--propagation", "private", "bash", "-c", `set -e\n${mounts.join("\n")}\nset +e\n${script}`], {
        encoding: "utf8",
        timeout: timeoutMs,
        env: { PATH: `${stubs}:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: root, LANG: "C.UTF-8", STUB_SSM: ssmDir, STUB_LOG: log, PRIVATE_ACCESS_RETRY_TRIES: "2", PRIVATE_ACCESS_RETRY_PAUSE: "0", ...env },
      });
      return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

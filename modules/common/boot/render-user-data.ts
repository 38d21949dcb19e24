import { createHash } from "node:crypto";
import type { BootFile, BootPackage, BootPart, PartFacts } from "./boot-part";
import { shellQuote } from "../shell-quote";

/** Where the boot script keeps its parts, results and log on the server (read them through Session Manager). */
export const BOOT_DIRECTORY = "/var/lib/private-access/boot";
export const BOOT_LOG = "/var/log/private-access/boot.log";

/** What the verifier and the reports read: the parts' facts, and the hash of the user data they describe. */
export interface BootManifest {
  /** sha256 (hex) of the rendered user data: a script edited after rendering no longer matches its facts. */
  readonly sha256: string;
  readonly log: string;
  readonly parts: readonly ManifestPart[];
}

export interface ManifestPart {
  readonly name: string;
  readonly description: string;
  /** The user's own script: its effects are unknown. */
  readonly opaque: boolean;
  readonly users: readonly string[];
  readonly packages: readonly ManifestPackage[];
  readonly units: readonly { readonly name: string; readonly enabled: boolean }[];
  readonly facts: PartFacts;
}

export interface ManifestPackage {
  readonly name: string;
  readonly source: BootPackage["source"]["kind"];
  /** Where it comes from: the repository and its signing key, the asset URLs, or the image. */
  readonly from: string;
  /** How its origin is checked before it runs. */
  readonly verification: string;
  /** Pinned release, when one is. */
  readonly version?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const PART_DELIMITER = "PRIVATE_ACCESS_PART";
const FILE_DELIMITER = "PRIVATE_ACCESS_FILE";

function heredoc(target: string, content: string, delimiter: string): string {
  if (content.split("\n").some((line) => line === delimiter)) throw new Error(`boot content for ${target} contains the line ${delimiter}, which would end it early`);
  const body = content.endsWith("\n") ? content : `${content}\n`;
  return `cat > ${shellQuote(target)} <<'${delimiter}'\n${body}${delimiter}`;
}

function writeFile(file: BootFile): string {
  if (!file.path.startsWith("/") || file.path.includes("..")) throw new Error(`boot file path must be absolute without "..": ${file.path}`);
  if (!/^0[0-7]{3}$/.test(file.mode)) throw new Error(`boot file ${file.path}: mode must be four octal digits such as 0644, got "${file.mode}"`);
  const temporary = `${file.path}.private-access-new`;
  const directory = file.path.slice(0, file.path.lastIndexOf("/")) || "/";
  return [
    `install -d -m 0755 ${shellQuote(directory)}`,
    heredoc(temporary, file.content, FILE_DELIMITER),
    `chmod ${file.mode} ${shellQuote(temporary)}`,
    `chown ${shellQuote(file.owner ?? "root:root")} ${shellQuote(temporary)}`,
    `mv -f ${shellQuote(temporary)} ${shellQuote(file.path)}`,
  ].join("\n");
}

/** Installs the package unless its program is already there; records the version installed. */
function installPackage(pkg: BootPackage): string {
  const { source } = pkg;
  let install: string[];
  switch (source.kind) {
    case "image":
      install = [`echo ${shellQuote(`${pkg.name}: ${pkg.program} is missing from the image (it is not installed from the network)`)} >&2`, "exit 1"];
      break;
    case "repository":
      install = [writeFile(source.repoFile), `retry dnf install -y ${shellQuote(pkg.name)}`];
      break;
    case "release-asset": {
      const rpm = `/var/lib/private-access/downloads/${pkg.name}-${source.version}.rpm`;
      install = [
        'case "$(uname -m)" in',
        ...(["x86_64", "arm64"] as const).map((arch) => `  ${arch === "arm64" ? "aarch64" : "x86_64"}) url=${shellQuote(source.assets[arch].url)}; sha256=${source.assets[arch].sha256} ;;`),
        `  *) echo "${pkg.name}: no release asset for $(uname -m)" >&2; exit 1 ;;`,
        "esac",
        "install -d -m 0700 /var/lib/private-access/downloads",
        `retry curl --fail --silent --show-error --location --proto '=https' --output ${rpm} "$url"`,
        // dnf does not check a signature on a file or a URL: the recorded sha256 is the check.
        `echo "$sha256  ${rpm}" | sha256sum --check --strict`,
        `dnf install -y ${rpm}`,
      ];
      break;
    }
  }
  return [
    `if command -v ${shellQuote(pkg.program)} >/dev/null 2>&1; then`,
    `  echo ${shellQuote(`${pkg.name}: already on the server, nothing fetched`)}`,
    "else",
    // Not indented: a here-document's end line must start the line.
    ...install,
    "fi",
    "install -d -m 0755 /var/lib/private-access/installed",
    `${pkg.versionCommand} | tee /var/lib/private-access/installed/${pkg.name}`,
  ].join("\n");
}

/** The bash a part runs (as its own process, with `set -euo pipefail`). */
export function renderPartScript(part: BootPart): string {
  if (!NAME.test(part.name)) throw new Error(`boot part name must be lowercase letters, digits and dashes, got "${part.name}"`);
  const lines = [
    `# private-access boot part "${part.name}": ${part.description}`,
    "# Retry for up to 5 minutes (30 tries, 10 s apart): the route out or a mirror may not be ready yet.",
    "# PRIVATE_ACCESS_RETRY_TRIES and PRIVATE_ACCESS_RETRY_PAUSE shorten it (the project's own tests do).",
    'retry() { local n=0; until "$@"; do n=$((n + 1)); if [ "$n" -ge "${PRIVATE_ACCESS_RETRY_TRIES:-30}" ]; then echo "gave up: $*" >&2; return 1; fi; sleep "${PRIVATE_ACCESS_RETRY_PAUSE:-10}"; done; }',
  ];
  if (part.opaqueScript !== undefined) return [...lines, part.opaqueScript.trim(), ""].join("\n");
  for (const user of part.users ?? []) {
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user.name) || user.name === "root") throw new Error(`boot user must be a Linux user name other than root, got "${user.name}"`);
    // '*' is no password at all but not a locked account: sshd refuses locked accounts (a '!' password) outright when PAM is off.
    lines.push(`id -u ${user.name} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --password '*' --comment ${shellQuote(user.comment)} ${user.name}`);
  }
  for (const file of part.files ?? []) lines.push(writeFile(file));
  // Units are written before packages are fetched: a failed install leaves them in place to start by hand.
  const units = part.units ?? [];
  for (const unit of units) lines.push(writeFile({ path: `/etc/systemd/system/${unit.name}`, mode: "0644", content: unit.content }));
  if (units.length > 0) lines.push("systemctl daemon-reload");
  for (const pkg of part.packages ?? []) lines.push(installPackage(pkg));
  for (const unit of units.filter((u) => u.enable)) lines.push(`systemctl enable --now ${unit.name}`);
  lines.push(...(part.commands ?? []));
  return [...lines, ""].join("\n");
}

function scriptPath(index: number, part: BootPart): string {
  return `${BOOT_DIRECTORY}/${String(index + 1).padStart(2, "0")}-${part.name}.sh`;
}

/**
 * The user data: each part is written to its own file under /var/lib/private-access/boot and run
 * as its own `bash -euo pipefail` process, so a failing part stops only itself. (A part run in a
 * subshell of a `||` list would not stop at its first error: bash ignores `set -e` there.) Output
 * goes to the console (cloud-init) and to the log; each part's result to `results`.
 */
export function renderUserData(parts: readonly BootPart[]): string {
  const names = new Set<string>();
  for (const part of parts) {
    if (names.has(part.name)) throw new Error(`boot part "${part.name}" was added twice`);
    names.add(part.name);
  }
  const lines = [
    "#!/bin/bash",
    `# private-access boot script: ${parts.length} independent part(s), written to ${BOOT_DIRECTORY} and run one by one.`,
    `# A failing part is logged (console and ${BOOT_LOG}) and never stops the others; rerun one with`,
    `#   sudo bash -euo pipefail ${BOOT_DIRECTORY}/<NN-part>.sh`,
    "set -uo pipefail",
    "umask 022",
    `install -d -m 0700 ${BOOT_DIRECTORY}`,
    `install -d -m 0750 ${BOOT_LOG.slice(0, BOOT_LOG.lastIndexOf("/"))}`,
    `exec > >(tee -a ${BOOT_LOG}) 2>&1`,
    `: > ${BOOT_DIRECTORY}/results`,
    "failed=0",
    "run_part() {",
    '  local script=$1 name=$2 started=$SECONDS status=0',
    '  echo "private-access boot: part $name started"',
    '  bash -euo pipefail "$script" || status=$?',
    '  if [ "$status" -eq 0 ]; then',
    `    echo "private-access boot: part $name ok ($((SECONDS - started)) s)"; echo "$name ok" >> ${BOOT_DIRECTORY}/results`,
    "  else",
    `    echo "private-access boot: part $name FAILED (exit $status after $((SECONDS - started)) s); rerun: sudo bash -euo pipefail $script" >&2; echo "$name failed $status" >> ${BOOT_DIRECTORY}/results`,
    "    failed=$((failed + 1))",
    "  fi",
    "}",
  ];
  parts.forEach((part, index) => {
    const path = scriptPath(index, part);
    lines.push("", `# --- part ${part.name}: ${part.description}`, heredoc(path, renderPartScript(part), PART_DELIMITER), `run_part ${path} ${part.name}`);
  });
  lines.push(
    "",
    `echo "private-access boot: ${parts.length} part(s), $failed failed (results: ${BOOT_DIRECTORY}/results, log: ${BOOT_LOG})"`,
    '[ "$failed" -eq 0 ]',
    "",
  );
  return lines.join("\n");
}

function describePackage(pkg: BootPackage): ManifestPackage {
  const { source } = pkg;
  switch (source.kind) {
    case "image":
      return { name: pkg.name, source: "image", from: "the image", verification: "nothing fetched: the image's own copy" };
    case "repository":
      return { name: pkg.name, source: "repository", from: `${source.baseUrl} (key ${source.gpgKeyUrl})`, verification: "package signature checked by dnf (gpgcheck=1); installed version logged" };
    case "release-asset":
      return {
        name: pkg.name,
        source: "release-asset",
        version: source.version,
        from: `${source.assets.arm64.url}, ${source.assets.x86_64.url}`,
        verification: `sha256 checked before install (arm64 ${source.assets.arm64.sha256.slice(0, 12)}…, x86_64 ${source.assets.x86_64.sha256.slice(0, 12)}…)`,
      };
  }
}

/** The facts of the rendered parts, with the hash of the user data they describe. */
export function bootManifest(parts: readonly BootPart[], userData: string): BootManifest {
  return {
    sha256: bootScriptHash(userData),
    log: BOOT_LOG,
    parts: parts.map((part) => ({
      name: part.name,
      description: part.description,
      opaque: part.opaqueScript !== undefined,
      users: (part.users ?? []).map((u) => u.name),
      packages: (part.packages ?? []).map(describePackage),
      units: (part.units ?? []).map((u) => ({ name: u.name, enabled: u.enable })),
      facts: part.facts ?? {},
    })),
  };
}

export function bootScriptHash(userData: string): string {
  return createHash("sha256").update(userData).digest("hex");
}

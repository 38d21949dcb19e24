import type { BootPart, PackageSource } from "../../common/boot/boot-part";

/**
 * Cloudflare's RPM repository as its own `.repo` file names it. Since the key rollover of
 * 30 October 2025 the packages are signed with the key published as `cloudflare-main.gpg`; the old
 * `cloudflare-ascii-pubkey.gpg` made dnf fail with "GPG check FAILED" on Amazon Linux 2023
 * (cloudflared issue 1549). The repository keeps only the newest release (cloudflared issue 914),
 * so it installs the current release and the installed version is logged; pin a release asset
 * with its sha256 to hold a version.
 * https://pkg.cloudflare.com/index.html
 */
export const CLOUDFLARED_REPOSITORY = {
  baseUrl: "https://pkg.cloudflare.com/cloudflared/rpm",
  gpgKeyUrl: "https://pkg.cloudflare.com/cloudflare-main.gpg",
} as const;

/** cloudflared's release assets: one RPM per architecture for each tag. https://github.com/cloudflare/cloudflared/releases */
export function cloudflaredReleaseAsset(version: string, arch: "arm64" | "x86_64"): string {
  return `https://github.com/cloudflare/cloudflared/releases/download/${version}/cloudflared-linux-${arch === "arm64" ? "aarch64" : "x86_64"}.rpm`;
}

export type CloudflaredInstall = { readonly version: "latest" } | { readonly version: string; readonly sha256: Readonly<Record<"arm64" | "x86_64", string>> };

function packageSource(install: CloudflaredInstall): PackageSource {
  if (!("sha256" in install)) {
    return {
      kind: "repository",
      baseUrl: CLOUDFLARED_REPOSITORY.baseUrl,
      gpgKeyUrl: CLOUDFLARED_REPOSITORY.gpgKeyUrl,
      repoFile: {
        path: "/etc/yum.repos.d/cloudflared.repo",
        mode: "0644",
        // repo_gpgcheck stays off: the repository metadata is still signed with the retired key.
        content: [
          "[cloudflared-stable]",
          "name=cloudflared-stable",
          `baseurl=${CLOUDFLARED_REPOSITORY.baseUrl}`,
          "enabled=1",
          "type=rpm",
          "gpgcheck=1",
          "repo_gpgcheck=0",
          `gpgkey=${CLOUDFLARED_REPOSITORY.gpgKeyUrl}`,
        ].join("\n"),
      },
    };
  }
  const asset = (arch: "arm64" | "x86_64") => ({ url: cloudflaredReleaseAsset(install.version, arch), sha256: install.sha256[arch] });
  return { kind: "release-asset", version: install.version, assets: { arm64: asset("arm64"), x86_64: asset("x86_64") } };
}

export const CLOUDFLARED_RUNNER = "/usr/local/libexec/private-access/cloudflared-run";

/**
 * cloudflared, installed (or found on the image) and run unprivileged; its token is read from SSM
 * at every start, never written to disk or user data.
 */
export function cloudflaredPart(props: { readonly region: string; readonly tokenParameter: string; readonly install: CloudflaredInstall }): BootPart {
  const unit = "cloudflared.service";
  return {
    name: "cloudflared",
    description: "Cloudflare Tunnel connector (token from SSM at every start)",
    packages: [{ name: "cloudflared", program: "/usr/bin/cloudflared", versionCommand: "/usr/bin/cloudflared --version", source: packageSource(props.install) }],
    files: [
      {
        path: CLOUDFLARED_RUNNER,
        mode: "0755",
        content: `#!/bin/bash
# Reads the tunnel token from SSM (decrypted through KMS) and hands it to cloudflared in its environment.
set -euo pipefail
TUNNEL_TOKEN="$(aws ssm get-parameter --region ${props.region} --name ${props.tokenParameter} --with-decryption --query Parameter.Value --output text)"
export TUNNEL_TOKEN
exec /usr/bin/cloudflared --no-autoupdate tunnel run
`,
      },
    ],
    units: [
      {
        name: unit,
        enable: true,
        content: `[Unit]
Description=Cloudflare Tunnel (token read from SSM at start)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${CLOUDFLARED_RUNNER}
Restart=on-failure
RestartSec=10s
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
`,
      },
    ],
    facts: { readsParameters: [props.tokenParameter], runs: [{ unit, command: "cloudflared --no-autoupdate tunnel run" }] },
  };
}

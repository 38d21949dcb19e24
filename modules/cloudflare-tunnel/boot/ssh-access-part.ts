import type { BootFile, BootPart, BootUnit, SshLogin } from "../../common/boot/boot-part";

/** A person Cloudflare Access lets through, and the account their certificate logs in as. */
export interface SshPerson {
  readonly email: string;
  readonly unixUser: string;
  /** What Access puts in the certificate: the email's local part. */
  readonly principal: string;
}

export const SSH_DIRECTORY = "/etc/ssh/private-access";
export const ACCESS_CA_FILE = `${SSH_DIRECTORY}/cloudflare-access-ca.pub`;
/** Sorted before Amazon Linux's 50-redhat.conf: for most keywords sshd keeps the first value it reads. */
export const ACCESS_DROP_IN = "/etc/ssh/sshd_config.d/40-private-access.conf";
const PRINCIPALS_COMMAND = "/usr/local/libexec/private-access/certificate-principals";
const FETCH_CA = "/usr/local/libexec/private-access/fetch-access-ca";

/**
 * Checks the drop-in before sshd reads it: a broken file is moved aside so sshd (and EIC) keep
 * working. A running sshd reloads; one not started yet reads the new file when it starts.
 */
export function reloadSshd(dropIn: string): string[] {
  return [
    "if ! /usr/sbin/sshd -t; then",
    `  mv -f ${dropIn} ${dropIn}.refused`,
    `  echo "sshd refused ${dropIn}; moved aside to ${dropIn}.refused" >&2`,
    "  exit 1",
    "fi",
    "systemctl try-reload-or-restart sshd",
  ];
}

/** Settings every certificate-only account gets inside its Match block. */
const CERTIFICATE_ONLY = [
  `\tTrustedUserCAKeys ${ACCESS_CA_FILE}`,
  // Nobody adds a key of their own that would outlive Access's decision.
  "\tAuthorizedKeysFile none",
  "\tAuthenticationMethods publickey",
  // VERBOSE logs the certificate's key id (the person's email) with every login.
  "\tLogLevel VERBOSE",
];

/**
 * sshd for Cloudflare Access short-lived certificates. The CA is trusted inside `Match User` blocks
 * only, so no certificate logs in as root, ec2-user or any account not listed here (outside a
 * Match block, sshd would accept a certificate whose principal equals the login name for every
 * account). Each person's certificate maps to their own account; a shared account admits every
 * certificate the CA signed only when the environment file names one.
 * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/use-cases/ssh/ssh-infrastructure-access/
 */
export function certificateLoginPart(props: {
  readonly region: string;
  readonly caParameter: string;
  readonly people: readonly SshPerson[];
  readonly sharedUser?: string;
}): BootPart {
  const { people, sharedUser } = props;
  if (people.length === 0 && !sharedUser) throw new Error("certificate logins need at least one person or a shared user");
  const config = [
    "# private-access: Cloudflare Access short-lived certificates, trusted only for the accounts below.",
    "# Written at every boot; edits are overwritten.",
    "PermitRootLogin no",
  ];
  if (people.length > 0) {
    config.push(
      "",
      "# One account per person: a certificate logs in only as the account its principal maps to.",
      `Match User ${people.map((p) => p.unixUser).join(",")}`,
      `\tAuthorizedPrincipalsFile ${SSH_DIRECTORY}/principals/%u`,
      ...CERTIFICATE_ONLY,
    );
  }
  if (sharedUser) {
    config.push(
      "",
      "# The shared account: every certificate the CA signed (the key id in the log names the person).",
      `Match User ${sharedUser}`,
      `\tAuthorizedPrincipalsCommand ${PRINCIPALS_COMMAND} %t %k`,
      "\tAuthorizedPrincipalsCommandUser nobody",
      ...CERTIFICATE_ONLY,
    );
  }
  // Ends the last block, so the rest of sshd_config applies to every account (OpenSSH before 8.x
  // carried a Match block on past the end of an included file).
  config.push("", "Match all", "");

  const files: BootFile[] = [
    ...people.map((person) => ({ path: `${SSH_DIRECTORY}/principals/${person.unixUser}`, mode: "0644", content: `${person.principal}\n` })),
    ...(sharedUser
      ? [
          {
            path: PRINCIPALS_COMMAND,
            mode: "0755",
            content: `#!/bin/bash
# Prints the principals of the certificate sshd is checking (key type $1, base64 certificate $2):
# the shared account admits every certificate the trusted CA signed, whoever it names.
set -euo pipefail
printf '%s %s\\n' "$1" "$2" | ssh-keygen -L -f - | awk '/^[[:space:]]*Principals:/ { list = 1; next } list && /^[[:space:]]*[A-Za-z ]+:/ { list = 0 } list { print $1 }'
`,
          },
        ]
      : []),
    {
      path: FETCH_CA,
      mode: "0755",
      content: `#!/bin/bash
# Fetches the Access application's SSH CA public key(s) from SSM; sshd reads the file at every login,
# so no reload is needed. Each line is checked to be a public key before the file is replaced.
set -euo pipefail
new=${ACCESS_CA_FILE}.new
aws ssm get-parameter --region ${props.region} --name ${props.caParameter} --query Parameter.Value --output text > "$new"
while IFS= read -r line; do
  [ -z "$line" ] || printf '%s\\n' "$line" | ssh-keygen -l -f - >/dev/null
done < "$new"
chmod 0644 "$new"
mv -f "$new" ${ACCESS_CA_FILE}
`,
    },
    { path: ACCESS_DROP_IN, mode: "0600", content: config.join("\n") },
  ];
  const units: BootUnit[] = [
    {
      name: "private-access-ssh-ca.service",
      enable: false,
      // Not ordered before sshd: a slow SSM call never delays sshd (which EIC and the bastion use too).
      content: `[Unit]
Description=Fetch the Cloudflare Access SSH CA for sshd (certificate logins)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${FETCH_CA}
`,
    },
    {
      name: "private-access-ssh-ca.timer",
      enable: true,
      // At boot, then every 5 minutes: retries until the Cloudflare stack has written the CA, and picks up a new one.
      content: `[Unit]
Description=Fetch the Cloudflare Access SSH CA at boot and every 5 minutes

[Timer]
OnBootSec=5s
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
`,
    },
  ];
  const logins: SshLogin[] = [
    ...people.map((person): SshLogin => ({ user: person.unixUser, credential: "certificate", caParameter: props.caParameter, principals: [person.principal], person: person.email })),
    ...(sharedUser ? [{ user: sharedUser, credential: "certificate" as const, caParameter: props.caParameter, principals: "any" as const }] : []),
  ];
  return {
    name: "ssh-access",
    description: `SSH for customer engineers: Cloudflare Access certificates for ${logins.map((l) => l.user).join(", ")} only; no root login`,
    users: [
      ...people.map((person) => ({ name: person.unixUser, comment: `${person.email} (Cloudflare Access)` })),
      ...(sharedUser ? [{ name: sharedUser, comment: "shared account for people Cloudflare Access admits by domain or group" }] : []),
    ],
    files,
    units,
    commands: [`install -d -m 0755 ${SSH_DIRECTORY}`, ...reloadSshd(ACCESS_DROP_IN), "systemctl start private-access-ssh-ca.service || echo 'the Access CA is not in SSM yet; the timer retries every 5 minutes' >&2"],
    facts: { ssh: { rootLogin: false, logins }, readsParameters: [props.caParameter] },
  };
}

/** sshd for listed public keys: installed for one account at every boot, in a file only root writes. */
export function publicKeyLoginPart(props: { readonly unixUser: string; readonly keys: readonly { readonly name: string; readonly key: string }[] }): BootPart {
  const lines = props.keys.map((k) => `${k.key.split(" ").slice(0, 2).join(" ")} ${k.name}`);
  return {
    name: "ssh-access",
    description: `SSH for customer engineers: ${props.keys.length} listed key(s) for ${props.unixUser}; no root login`,
    users: [{ name: props.unixUser, comment: "customer engineers (listed SSH keys)" }],
    files: [
      { path: `${SSH_DIRECTORY}/authorized_keys/${props.unixUser}`, mode: "0644", content: `${lines.join("\n")}\n` },
      {
        path: ACCESS_DROP_IN,
        mode: "0600",
        content: [
          "# private-access: the engineers' listed keys, in a file only root writes. Written at every boot.",
          "PermitRootLogin no",
          "",
          `Match User ${props.unixUser}`,
          `\tAuthorizedKeysFile ${SSH_DIRECTORY}/authorized_keys/%u`,
          "\tAuthenticationMethods publickey",
          "\tLogLevel VERBOSE",
          "",
          "Match all",
          "",
        ].join("\n"),
      },
    ],
    commands: reloadSshd(ACCESS_DROP_IN),
    facts: { ssh: { rootLogin: false, logins: [{ user: props.unixUser, credential: "public-key", keys: props.keys.map((k) => k.name) }] } },
  };
}

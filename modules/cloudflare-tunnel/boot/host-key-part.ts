import type { BootPart } from "../../common/boot/boot-part";
import { SSH_DIRECTORY, reloadSshd } from "./ssh-access-part";

export const SHARED_HOST_KEY = `${SSH_DIRECTORY}/shared_host_ed25519_key`;
/** Sorted before the access drop-in and Amazon Linux's own: sshd offers the first host key of a type it reads. */
export const HOST_KEY_DROP_IN = "/etc/ssh/sshd_config.d/30-private-access-host-key.conf";

/**
 * One SSH host key for every replica behind the tunnel. cloudflared replicas share the tunnel's
 * traffic, so an engineer's sessions land on any server; with a key per server (and new ones after
 * every instance refresh) OpenSSH would refuse the host. The first server creates the key and
 * stores it as an SSM SecureString under the tunnel's own KMS key (not aws/ssm, which every
 * principal of the account may decrypt with; never in Terraform: no plan, state or JSON holds it), refusing
 * to overwrite one that exists (`--no-overwrite`; the role may only create, `ssm:Overwrite` false),
 * so two servers booting at once agree on the first key written. Its public half goes to a
 * second parameter, from which engineers can fill known_hosts before their first login.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policy-conditions.html
 */
export function sharedHostKeyPart(props: { readonly region: string; readonly parameter: string; readonly publicParameter: string; readonly keyAlias: string }): BootPart {
  const { region, parameter, publicParameter, keyAlias } = props;
  return {
    name: "ssh-host-key",
    description: "one SSH host key shared by every replica behind the tunnel (kept in SSM)",
    files: [
      {
        path: "/usr/local/libexec/private-access/shared-host-key",
        mode: "0755",
        content: `#!/bin/bash
# Installs the shared host key from SSM, creating it there first if no server has yet.
set -euo pipefail
key=${SHARED_HOST_KEY}
read_key() { aws ssm get-parameter --region ${region} --name ${parameter} --with-decryption --query Parameter.Value --output text > "$key.new" 2>/dev/null; }
install -d -m 0755 ${SSH_DIRECTORY}
umask 077
if ! read_key; then
  rm -f "$key.generated" "$key.generated.pub"
  ssh-keygen -q -t ed25519 -N '' -C 'private-access shared host key' -f "$key.generated"
  if aws ssm put-parameter --region ${region} --name ${parameter} --type SecureString --key-id alias/${keyAlias} --no-overwrite --value "file://$key.generated" >/dev/null; then
    mv -f "$key.generated" "$key.new"
  else
    # Another server stored one first (or SSM refused): use what is there.
    read_key
  fi
  rm -f "$key.generated" "$key.generated.pub"
fi
ssh-keygen -y -f "$key.new" > "$key.new.pub"
chmod 0600 "$key.new"; chmod 0644 "$key.new.pub"
mv -f "$key.new.pub" "$key.pub"; mv -f "$key.new" "$key"
aws ssm put-parameter --region ${region} --name ${publicParameter} --type String --no-overwrite --value "file://$key.pub" >/dev/null 2>&1 || true
`,
      },
    ],
    commands: [
      "retry /usr/local/libexec/private-access/shared-host-key",
      `cat > ${HOST_KEY_DROP_IN}.private-access-new <<'HOSTKEY'`,
      "# private-access: the host key every replica shares (written once the key is in place).",
      `HostKey ${SHARED_HOST_KEY}`,
      "HostKeyAlgorithms ssh-ed25519",
      "HOSTKEY",
      `chmod 0600 ${HOST_KEY_DROP_IN}.private-access-new`,
      `mv -f ${HOST_KEY_DROP_IN}.private-access-new ${HOST_KEY_DROP_IN}`,
      ...reloadSshd(HOST_KEY_DROP_IN),
    ],
    facts: { sharedHostKey: { parameter }, readsParameters: [parameter] },
  };
}

/**
 * Accounts an Amazon Linux 2023 server already has, or that system software expects: a customer
 * engineer's certificate must never map to one of them. Source: the AL2023 image's /etc/passwd
 * (setup, shadow-utils and the image's services: ec2-user from cloud-init's default_user, ssm-user
 * from the SSM agent, sshd from openssh-server), plus systemd's reserved `systemd-` prefix.
 * https://docs.aws.amazon.com/linux/al2023/ug/ec2.html
 */
export const RESERVED_LINUX_USERS = [
  "root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "operator", "games", "ftp", "nobody",
  "dbus", "tss", "rpc", "rpcuser", "sshd", "chrony", "libstoragemgmt", "ec2-instance-connect", "polkitd", "unbound",
  "ec2-user", "ssm-user", "cloudflared",
] as const;

export function isReservedLinuxUser(name: string): boolean {
  return (RESERVED_LINUX_USERS as readonly string[]).includes(name) || name.startsWith("systemd-");
}

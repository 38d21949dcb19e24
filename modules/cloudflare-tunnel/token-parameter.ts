/** The SSM parameter the Cloudflare stack writes the tunnel token to and the app servers read at boot. */
export function tunnelTokenParameterName(project: string, environment: string): string {
  return `/${project}/${environment}/cloudflared/token`;
}


/** Alias of the KMS key the Cloudflare stack encrypts the parameter with (both sides derive it the same way). */
export function tunnelTokenKeyAlias(project: string, environment: string): string {
  return `${project}-${environment}-cloudflared-token`;
}

/** The SSM parameter the Cloudflare stack writes the Access application's SSH CA public key to (not a secret). */
export function accessSshCaParameterName(project: string, environment: string): string {
  return `/${project}/${environment}/cloudflared/ssh-ca-public-key`;
}

/** The SSM parameters of the SSH host key every app server shares (created by the first server, never by Terraform). */
export function sharedHostKeyParameterNames(project: string, environment: string): { secret: string; public: string } {
  return { secret: `/${project}/${environment}/ssh/shared-host-key`, public: `/${project}/${environment}/ssh/shared-host-key.pub` };
}

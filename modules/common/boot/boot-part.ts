/**
 * What one capability needs on a server at boot, as data: the users, files, packages, systemd units
 * and commands, plus the facts they establish (what listens where, who may log in with which
 * credentials, what is read from where). One renderer turns parts into user data
 * (`render-user-data.ts`); the facts are recorded beside it for the verifier, so nothing reads a
 * boot script with regular expressions.
 */

/** A file written atomically (temporary copy, then rename) with its mode and owner. */
export interface BootFile {
  readonly path: string;
  /** Octal, four digits: "0644". */
  readonly mode: string;
  /** `user:group`. @default "root:root" */
  readonly owner?: string;
  readonly content: string;
}

/** A login user: created when missing, with no usable password (certificates or keys only). */
export interface BootUser {
  readonly name: string;
  /** Who the account is for (the GECOS field): the person's email, or what the shared account is for. */
  readonly comment: string;
}

/** Where a package comes from and how its origin is checked before it runs. */
export type PackageSource =
  /** Ships with the image (Amazon Linux 2023 has Python 3): nothing is installed; a missing one fails the part. */
  | { readonly kind: "image" }
  /** The publisher's signed dnf repository, newest release, signature checked by dnf (gpgcheck=1). */
  | { readonly kind: "repository"; readonly repoFile: BootFile; readonly baseUrl: string; readonly gpgKeyUrl: string }
  /** One release asset per architecture, checked against a recorded sha256 before it is installed. */
  | { readonly kind: "release-asset"; readonly version: string; readonly assets: Readonly<Record<"arm64" | "x86_64", { readonly url: string; readonly sha256: string }>> };

export interface BootPackage {
  readonly name: string;
  /** The program the package provides: when it is already there (a local copy), nothing is fetched. */
  readonly program: string;
  /** Prints the installed version (logged and written to /var/lib/private-access/installed/<name>). */
  readonly versionCommand: string;
  readonly source: PackageSource;
}

/** A systemd unit in /etc/systemd/system; `enable` enables and starts it (`systemctl enable --now`). */
export interface BootUnit {
  readonly name: string;
  readonly content: string;
  readonly enable: boolean;
}

/** Who may log in over SSH, and with what: the facts sshd's configuration establishes. */
export interface SshLoginFacts {
  /** `PermitRootLogin no` is set. */
  readonly rootLogin: false;
  readonly logins: readonly SshLogin[];
}

export type SshLogin =
  | {
      readonly user: string;
      /** A certificate of the CA in this SSM parameter, naming one of `principals`. */
      readonly credential: "certificate";
      readonly caParameter: string;
      /** The certificate principals admitted, or "any" (a shared account: every certificate the CA signed). */
      readonly principals: readonly string[] | "any";
      /** The person (email) the account belongs to, when it is one person's. */
      readonly person?: string;
    }
  | { readonly user: string; readonly credential: "public-key"; readonly keys: readonly string[] };

export interface PartFacts {
  /** Services answering on a port of the server. */
  readonly listens?: readonly { readonly port: number; readonly unit: string; readonly healthPath?: string; readonly methods?: readonly string[] }[];
  readonly ssh?: SshLoginFacts;
  /** SSM parameters the part reads on the server. */
  readonly readsParameters?: readonly string[];
  /** Long-running programs, by unit. */
  readonly runs?: readonly { readonly unit: string; readonly command: string }[];
  /** SSH host identity shared by every replica (kept in this SSM parameter, never in Terraform). */
  readonly sharedHostKey?: { readonly parameter: string };
}

export interface BootPart {
  /** Short id: lowercase letters, digits and dashes. */
  readonly name: string;
  readonly description: string;
  readonly users?: readonly BootUser[];
  readonly files?: readonly BootFile[];
  readonly packages?: readonly BootPackage[];
  readonly units?: readonly BootUnit[];
  /** Bash lines run last, as root. */
  readonly commands?: readonly string[];
  readonly facts?: PartFacts;
  /**
   * A script the project did not write (the user's own): rendered as given, its effects unknown, so
   * the verifier reports what depends on it as unproven.
   */
  readonly opaqueScript?: string;
}

/** A part made of the user's own script: its effects are not known to the project. */
export function opaquePart(name: string, description: string, script: string): BootPart {
  return { name, description, opaqueScript: script };
}

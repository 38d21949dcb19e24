import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Variable naming a Terraform filesystem mirror (a folder holding `registry.terraform.io/hashicorp/aws/...`). */
export const MIRROR_VARIABLE = "PRIVATE_ACCESS_PROVIDER_MIRROR";

/** The AWS provider version `@cdktf/provider-aws` 20.1.0 is generated from (its package.json `cdktf.provider.version`). */
export const AWS_PROVIDER_VERSION = "5.100.0";

/**
 * Where a mirror is searched for when neither the variable nor Terraform's implied folders hold one:
 * the folders software is usually installed or unpacked into (the machine images this project is
 * tested on keep theirs under /opt).
 */
export const SEARCH_ROOTS: readonly string[] = ["/opt", "/usr/local", "/usr/share", "/srv", "/root", "/home"];

/** Folders never searched: package stores and checkouts that are large and never hold a provider mirror. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".npm", ".cargo", ".rustup", ".pyenv", ".m2", ".gradle", "proc"]);
/** How deep below a search root a mirror root may sit. */
const MAX_DEPTH = 8;

const REGISTRY = "registry.terraform.io";
const AWS_PROVIDER = path.join(REGISTRY, "hashicorp", "aws");

export type MirrorLookup =
  | { readonly found: true; readonly mirror: string; readonly how: "named" | "implied" | "searched" }
  | { readonly found: false; readonly reason: string; readonly fix: string };

export interface MirrorSearchOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Home folder for the implied mirror folders (default: the user's). */
  readonly home?: string;
  /** Folders searched last (default SEARCH_ROOTS). */
  readonly searchRoots?: readonly string[];
  /** `<os>_<arch>` as Terraform names it (default: this machine's). */
  readonly platform?: string;
}

/** This machine as Terraform names platforms: linux_amd64, darwin_arm64, ... */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch[process.arch] ?? process.arch}`;
}

/**
 * The AWS provider builds a mirror root holds, as `<version>/<os_arch>`: unpacked
 * (`hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_*`, also the layout of a plugin cache)
 * or packed (`hashicorp/aws/terraform-provider-aws_<version>_<os_arch>.zip`).
 */
export function awsProviderBuilds(mirror: string): string[] {
  const provider = path.join(mirror, AWS_PROVIDER);
  const builds: string[] = [];
  for (const entry of readDir(provider)) {
    const packed = /^terraform-provider-aws_(.+)_([^_]+_[^_]+)\.zip$/.exec(entry.name);
    if (packed && isFile(path.join(provider, entry.name))) builds.push(`${packed[1]}/${packed[2]}`);
    if (!entry.isDirectory()) continue;
    for (const platform of readDir(path.join(provider, entry.name))) {
      const dir = path.join(provider, entry.name, platform.name);
      if (readDir(dir).some((file) => file.name.startsWith("terraform-provider-aws") && isFile(path.join(dir, file.name)))) {
        builds.push(`${entry.name}/${platform.name}`);
      }
    }
  }
  return builds.sort();
}

export function holdsAwsProvider(dir: string): boolean {
  return fs.existsSync(path.join(dir, AWS_PROVIDER));
}

/**
 * Finds the provider mirror for offline plans, the one discovery every caller uses (`npm test`'s
 * plan tests, `npm run plan-offline`, `npm run drift -- --offline`, and so CI's `.ci/run`):
 * 1. `PRIVATE_ACCESS_PROVIDER_MIRROR` when set (and only it: a wrong value is reported, not skipped);
 * 2. the implied local mirror folders Terraform itself searches on Unix (its CLI configuration docs);
 * 3. a search of SEARCH_ROOTS for a `registry.terraform.io` folder holding the AWS provider, preferring
 *    one with AWS_PROVIDER_VERSION for this platform (first in name order), else the first with any.
 */
export function locateProviderMirror(options: MirrorSearchOptions = {}): MirrorLookup {
  const env = options.env ?? process.env;
  const wanted = `${AWS_PROVIDER_VERSION}/${options.platform ?? terraformPlatform()}`;
  const fix =
    `set ${MIRROR_VARIABLE}=<folder holding ${REGISTRY}/hashicorp/aws/${AWS_PROVIDER_VERSION}/…>, ` +
    `or make one on a machine with network access: npm run synth && terraform -chdir=cdktf.out/stacks/example-aws providers mirror <folder>`;
  const named = env[MIRROR_VARIABLE];
  if (named) {
    if (holdsAwsProvider(named)) return { found: true, mirror: named, how: "named" };
    return { found: false, reason: `${MIRROR_VARIABLE}=${named} holds no ${AWS_PROVIDER}`, fix };
  }
  const home = options.home ?? os.homedir();
  const dataHome = env.XDG_DATA_HOME ?? path.join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter(Boolean);
  const implied = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(dataHome, "terraform", "plugins"),
    ...dataDirs.map((dir) => path.join(dir, "terraform", "plugins")),
  ];
  const impliedMirror = implied.find(holdsAwsProvider);
  if (impliedMirror) return { found: true, mirror: impliedMirror, how: "implied" };
  const roots = options.searchRoots ?? SEARCH_ROOTS;
  const searched = searchMirror(roots, wanted);
  if (searched) return { found: true, mirror: searched, how: "searched" };
  return {
    found: false,
    reason: `no Terraform provider mirror holding ${AWS_PROVIDER} (${MIRROR_VARIABLE} is unset; looked in Terraform's implied mirror folders and under ${roots.join(", ")})`,
    fix,
  };
}

/** The mirror folder, or undefined: `locateProviderMirror` without the explanation. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const lookup = locateProviderMirror({ env });
  return lookup.found ? lookup.mirror : undefined;
}

function searchMirror(roots: readonly string[], wanted: string): string | undefined {
  let anyVersion: string | undefined;
  const visit = (dir: string, depth: number): string | undefined => {
    const entries = readDir(dir)
      .filter((entry) => entry.isDirectory())
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((entry) => entry.name === REGISTRY)) {
      const builds = awsProviderBuilds(dir);
      if (builds.includes(wanted)) return dir;
      if (builds.length > 0) anyVersion ??= dir;
    }
    if (depth >= MAX_DEPTH) return undefined;
    for (const entry of entries) {
      if (entry.name === REGISTRY || SKIP_DIRS.has(entry.name)) continue;
      const hit = visit(path.join(dir, entry.name), depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const root of roots) {
    const hit = visit(root, 0);
    if (hit) return hit;
  }
  return anyVersion;
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * A CLI configuration that installs the AWS provider from the mirror only (no registry access)
 * and shares one plugin cache, so each stack links the provider instead of copying ~700 MB.
 */
export function cliConfiguration(mirror: string, pluginCacheDir: string): string {
  return [
    `plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`,
    "disable_checkpoint = true",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Variable naming a Terraform filesystem mirror (a folder holding `registry.terraform.io/hashicorp/aws/...`). */
export const MIRROR_VARIABLE = "PRIVATE_ACCESS_PROVIDER_MIRROR";

const AWS_PROVIDER = path.join("registry.terraform.io", "hashicorp", "aws");

/**
 * Finds the provider mirror for offline plans: the variable first, then the implied local mirror
 * folders Terraform itself searches on Unix (its CLI configuration docs list them).
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env[MIRROR_VARIABLE];
  if (named) return holdsAwsProvider(named) ? named : undefined;
  const home = os.homedir();
  const dataHome = env.XDG_DATA_HOME ?? path.join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter(Boolean);
  const implied = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(dataHome, "terraform", "plugins"),
    ...dataDirs.map((dir) => path.join(dir, "terraform", "plugins")),
  ];
  return implied.find(holdsAwsProvider);
}

export function holdsAwsProvider(dir: string): boolean {
  return fs.existsSync(path.join(dir, AWS_PROVIDER));
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

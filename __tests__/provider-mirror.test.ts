import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AWS_PROVIDER_VERSION, SEARCH_ROOTS, awsProviderBuilds, locateProviderMirror } from "../src/terraform/provider-mirror";

/**
 * The one discovery of the offline provider mirror (npm test's plan tests, plan-offline, drift
 * --offline, and so .ci/run), on fake folder trees in a temp dir: the variable, Terraform's implied
 * folders, then a search of the usual software folders.
 */
const PLATFORM = "linux_amd64";
let tmp: string;

/** A mirror at `root` holding the AWS provider `version` for `platform`, unpacked (or packed). */
function mirrorAt(root: string, version = AWS_PROVIDER_VERSION, platform = PLATFORM, packed = false): string {
  const provider = path.join(tmp, root, "registry.terraform.io", "hashicorp", "aws");
  if (packed) {
    fs.mkdirSync(provider, { recursive: true });
    fs.writeFileSync(path.join(provider, `terraform-provider-aws_${version}_${platform}.zip`), "");
  } else {
    fs.mkdirSync(path.join(provider, version, platform), { recursive: true });
    fs.writeFileSync(path.join(provider, version, platform, `terraform-provider-aws_v${version}_x5`), "");
  }
  return path.join(tmp, root);
}

const dir = (relative: string) => {
  fs.mkdirSync(path.join(tmp, relative), { recursive: true });
  return path.join(tmp, relative);
};

/** A lookup that sees only the temp tree: no real home, XDG folders or search roots. */
const locate = (env: NodeJS.ProcessEnv = {}, roots = ["opt", "usr/local", "home"]) =>
  locateProviderMirror({
    env: { XDG_DATA_HOME: path.join(tmp, "xdg-data"), XDG_DATA_DIRS: path.join(tmp, "usr/share"), ...env },
    home: path.join(tmp, "home/me"),
    searchRoots: roots.map((root) => path.join(tmp, root)),
    platform: PLATFORM,
  });

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pa-mirror-"));
  for (const root of ["opt", "usr/local", "usr/share", "home/me"]) dir(root);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("takes PRIVATE_ACCESS_PROVIDER_MIRROR first, even when another mirror could be found", () => {
  const named = mirrorAt("elsewhere/mirror");
  mirrorAt("opt/tf-plugins");
  expect(locate({ PRIVATE_ACCESS_PROVIDER_MIRROR: named })).toEqual({ found: true, mirror: named, how: "named" });
});

it("reports a variable that names no mirror instead of searching past it", () => {
  mirrorAt("opt/tf-plugins");
  const wrong = dir("not-a-mirror");
  const lookup = locate({ PRIVATE_ACCESS_PROVIDER_MIRROR: wrong });
  expect(lookup).toMatchObject({ found: false, reason: `PRIVATE_ACCESS_PROVIDER_MIRROR=${wrong} holds no registry.terraform.io/hashicorp/aws` });
});

it("then Terraform's implied mirror folders (~/.terraform.d/plugins, XDG data folders)", () => {
  mirrorAt("opt/tf-plugins");
  const implied = mirrorAt("home/me/.terraform.d/plugins");
  expect(locate()).toEqual({ found: true, mirror: implied, how: "implied" });
  fs.rmSync(implied, { recursive: true });
  const xdg = mirrorAt("usr/share/terraform/plugins");
  expect(locate()).toEqual({ found: true, mirror: xdg, how: "implied" });
});

it("then searches the software folders for the mirror root, whatever its name and depth", () => {
  const mirror = mirrorAt("opt/tf-plugins");
  expect(locate()).toEqual({ found: true, mirror, how: "searched" });
  fs.rmSync(mirror, { recursive: true });
  const deep = mirrorAt("home/me/work/tools/terraform/mirror");
  expect(locate()).toEqual({ found: true, mirror: deep, how: "searched" });
});

it("finds a packed mirror (terraform-provider-aws_<version>_<platform>.zip) too", () => {
  const mirror = mirrorAt("usr/local/mirror", AWS_PROVIDER_VERSION, PLATFORM, true);
  expect(awsProviderBuilds(mirror)).toEqual([`${AWS_PROVIDER_VERSION}/${PLATFORM}`]);
  expect(locate()).toEqual({ found: true, mirror, how: "searched" });
});

it("prefers a mirror with the provider version and platform the stacks need, else takes any", () => {
  mirrorAt("opt/a-newer", "6.0.0");
  mirrorAt("opt/b-other-platform", AWS_PROVIDER_VERSION, "darwin_arm64");
  const wanted = mirrorAt("opt/c-wanted");
  expect(locate()).toMatchObject({ found: true, mirror: wanted });
  fs.rmSync(wanted, { recursive: true });
  expect(locate()).toMatchObject({ found: true, mirror: path.join(tmp, "opt/a-newer") });
});

it("does not look inside node_modules, .git or package stores, nor count an empty registry folder", () => {
  mirrorAt("opt/project/node_modules/pkg");
  mirrorAt("home/me/.npm/x");
  dir("usr/local/empty/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64");
  expect(locate()).toMatchObject({ found: false });
});

it("not found: says where it looked and how to fix it", () => {
  dir("opt/something/else");
  const lookup = locate();
  expect(lookup.found).toBe(false);
  if (lookup.found) return;
  expect(lookup.reason).toContain("PRIVATE_ACCESS_PROVIDER_MIRROR is unset");
  expect(lookup.reason).toContain(path.join(tmp, "opt"));
  expect(lookup.fix).toMatch(/^set PRIVATE_ACCESS_PROVIDER_MIRROR=<folder holding registry\.terraform\.io\/hashicorp\/aws\/5\.100\.0\/…>, or make one .*providers mirror <folder>$/);
});

it("searches the folders .ci/run used to search, and the version is the one @cdktf/provider-aws is generated from", () => {
  expect(SEARCH_ROOTS).toEqual(["/opt", "/usr/local", "/usr/share", "/srv", "/root", "/home"]);
  const manifest = JSON.parse(fs.readFileSync(require.resolve("@cdktf/provider-aws/package.json"), "utf8"));
  expect(manifest.cdktf.provider).toEqual({ name: "registry.terraform.io/hashicorp/aws", version: AWS_PROVIDER_VERSION });
});

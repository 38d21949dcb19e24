/**
 * The instance-type, DB-class and node-type facts: the EC2 list is what scripts/extract-instance-types.js
 * makes of @aws-sdk/client-ec2 (compared against the package when one is at hand: installed, or unpacked
 * and named by EC2_CLIENT_PACKAGE_DIR; the package is not a dependency, so without it that one test is
 * skipped and the committed file, with the version it names, stands), and the other lists agree with it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ARM64_INSTANCE_FAMILIES,
  CACHE_NODE_TYPES,
  EC2_INSTANCE_TYPES,
  EC2_INSTANCE_TYPES_SOURCE,
  RDS_INSTANCE_CLASSES,
  instanceFamilyOf,
} from "../modules/common/facts";
import { closest, didYouMean, editDistance } from "../modules/common/settings/did-you-mean";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require("../scripts/extract-instance-types.js") as {
  extract(dir: string): { version: string; types: string[] };
  render(extract: { version: string; types: string[] }): string;
  installedPackageDir(): string | undefined;
  OUTPUT: string;
};

const packageDir = process.env.EC2_CLIENT_PACKAGE_DIR ? path.resolve(process.env.EC2_CLIENT_PACKAGE_DIR) : script.installedPackageDir();

describe("EC2 instance types", () => {
  (packageDir ? it : it.skip)(`modules/common/facts/ec2-instance-types.ts is the extract of ${packageDir ?? "@aws-sdk/client-ec2 (not installed: skipped)"}`, () => {
    const extracted = script.extract(packageDir!);
    const committed = fs.readFileSync(script.OUTPUT, "utf8");
    const hint = `regenerate with: node scripts/extract-instance-types.js ${packageDir}`;
    expect({ version: EC2_INSTANCE_TYPES_SOURCE.version, hint }).toEqual({ version: extracted.version, hint });
    expect(committed).toBe(script.render(extracted));
  });

  it("names the package and version it came from, in the file and in its data", () => {
    const committed = fs.readFileSync(script.OUTPUT, "utf8");
    expect(EC2_INSTANCE_TYPES_SOURCE.package).toBe("@aws-sdk/client-ec2");
    expect(EC2_INSTANCE_TYPES_SOURCE.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(committed).toContain(`@aws-sdk/client-ec2 ${EC2_INSTANCE_TYPES_SOURCE.version}`);
  });

  it("is sorted, distinct and well formed, and holds the project's defaults", () => {
    expect([...EC2_INSTANCE_TYPES].sort()).toEqual(EC2_INSTANCE_TYPES);
    expect(new Set(EC2_INSTANCE_TYPES).size).toBe(EC2_INSTANCE_TYPES.length);
    for (const type of EC2_INSTANCE_TYPES) expect(type).toMatch(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/);
    expect(EC2_INSTANCE_TYPES).toEqual(expect.arrayContaining(["c6g.xlarge", "t4g.micro", "t3.micro", "a1.large", "m7i.large"]));
  });

  it("has every family of the arm64 table, and the table has every Graviton-named family of the list", () => {
    const families = new Set(EC2_INSTANCE_TYPES.map(instanceFamilyOf));
    expect(ARM64_INSTANCE_FAMILIES.filter((family) => !families.has(family))).toEqual([]);
    // A "g" after the generation digit is AWS's naming for Graviton (c7g, x2gd, im4gn, is4gen, hpc7g; not g5).
    const gravitonNamed = [...families].filter((family) => /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family)).sort();
    expect(gravitonNamed.filter((family) => !(ARM64_INSTANCE_FAMILIES as readonly string[]).includes(family))).toEqual([]);
  });
});

describe("RDS DB instance classes and ElastiCache node types", () => {
  it.each([
    ["RDS", RDS_INSTANCE_CLASSES, "db."],
    ["ElastiCache", CACHE_NODE_TYPES, "cache."],
  ] as const)("%s: distinct, each the EC2 type it runs on with a prefix", (_what, names, prefix) => {
    expect(new Set(names).size).toBe(names.length);
    const ec2 = new Set(EC2_INSTANCE_TYPES);
    // RDS names its x2gd-based class db.x2g (the RDS User Guide's own name): the one family renamed.
    const renamed: Record<string, string> = { "x2g.": "x2gd." };
    const ec2TypeOf = (name: string) => Object.entries(renamed).reduce((type, [from, to]) => (type.startsWith(from) ? to + type.slice(from.length) : type), name.slice(prefix.length));
    const notEc2 = names.filter((name) => !name.startsWith(prefix) || !ec2.has(ec2TypeOf(name)));
    expect(notEc2).toEqual([]);
  });

  it("hold the defaults and the classes the docs and example use", () => {
    expect(RDS_INSTANCE_CLASSES).toEqual(expect.arrayContaining(["db.t4g.medium", "db.t4g.micro", "db.t3.micro", "db.m8g.48xlarge", "db.r6idn.xlarge"]));
    expect(RDS_INSTANCE_CLASSES).not.toContain("db.r6idn.large");
    expect(RDS_INSTANCE_CLASSES).not.toContain("db.t4g.nano");
    expect(CACHE_NODE_TYPES).toEqual(expect.arrayContaining(["cache.t4g.small", "cache.r6gd.16xlarge", "cache.c8gn.large"]));
  });
});

describe("did you mean", () => {
  it.each([
    ["xlrage", "xlarge", 1],
    ["mircro", "micro", 1],
    ["mikro", "micro", 1],
    ["micro", "micro", 0],
    ["", "abc", 3],
    ["ca", "abc", 3],
  ] as const)("%s → %s is %d edits", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it("suggests the nearest real names, at most 3, none further than 2 edits", () => {
    expect(closest("c6g.xlrage", EC2_INSTANCE_TYPES)).toEqual(["c6g.xlarge"]);
    expect(closest("db.t4g.mediun", RDS_INSTANCE_CLASSES)).toEqual(["db.t4g.medium"]);
    expect(closest("cache.t4g.smal", CACHE_NODE_TYPES)).toEqual(["cache.t4g.small"]);
    expect(closest("c6q.xlarge", EC2_INSTANCE_TYPES).length).toBeLessThanOrEqual(3);
    expect(didYouMean("webserver.large", EC2_INSTANCE_TYPES)).toBeUndefined();
    expect(didYouMean("t4g.mikro", EC2_INSTANCE_TYPES)).toBe('"t4g.micro"');
  });
});

/**
 * S3 general purpose bucket naming rules and the rules we hold a state-key prefix to.
 */

// Source: "General purpose bucket naming rules" (Amazon S3 User Guide) —
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
//   3–63 characters; lowercase letters, numbers, periods and hyphens; begin and end with a letter or number; no two
//   adjacent periods; not formatted as an IP address; must not start with xn--, sthree-, amzn-s3-demo-; must not end with
//   -s3alias, --ol-s3, .mrap, --x-s3, --table-s3. (sthree-configurator is covered by sthree-.)
export const BUCKET_NAME_RULES = {
  minLength: 3,
  maxLength: 63,
  forbiddenPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
  forbiddenSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
} as const;

/** A short problem with a general purpose bucket name, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  const r = BUCKET_NAME_RULES;
  if (name.length < r.minLength || name.length > r.maxLength) return `bucket name "${name}" is ${name.length} characters; S3 allows ${r.minLength}–${r.maxLength}`;
  if (!/^[a-z0-9.-]+$/.test(name)) return `bucket name "${name}" may hold only lowercase letters, digits, periods and hyphens`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return `bucket name "${name}" must begin and end with a letter or digit`;
  if (name.includes("..")) return `bucket name "${name}" has two adjacent periods`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `bucket name "${name}" is formatted as an IP address`;
  const prefix = r.forbiddenPrefixes.find((p) => name.startsWith(p));
  if (prefix) return `bucket name "${name}" starts with "${prefix}", which S3 reserves`;
  const suffix = r.forbiddenSuffixes.find((s) => name.endsWith(s));
  if (suffix) return `bucket name "${name}" ends with "${suffix}", which S3 reserves`;
  return undefined;
}

// Source: "Naming Amazon S3 objects" (Amazon S3 User Guide) — https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
//   "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long."
// The rest is our own rule, not S3's: S3 accepts "/", "//" and ".." in keys, but a backend state key built from such a
// prefix is ambiguous in the console and in tools that treat keys as paths (the same doc warns about "." and ".." segments).
export const KEY_PREFIX_MAX_BYTES = 1024;

/** A short problem with a key prefix used to build a backend state key, or undefined. */
export function keyPrefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0) return "the key prefix is empty";
  const bytes = new TextEncoder().encode(prefix).length;
  if (bytes > KEY_PREFIX_MAX_BYTES) return `key prefix is ${bytes} bytes in UTF-8; S3 keys are at most ${KEY_PREFIX_MAX_BYTES}`;
  if (prefix.startsWith("/")) return `key prefix "${prefix}" starts with "/"`;
  if (prefix.endsWith("/")) return `key prefix "${prefix}" ends with "/"`;
  if (prefix.includes("//")) return `key prefix "${prefix}" holds "//"`;
  if (prefix.split("/").some((segment) => segment === "." || segment === "..")) return `key prefix "${prefix}" holds a "." or ".." segment`;
  return undefined;
}

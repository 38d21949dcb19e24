/**
 * AWS tag limits, checked at synth so a bad tag fails before apply (where each service reports it differently).
 */

// Source: "Tag restrictions" (AWS Batch User Guide) — https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html
//   and the same text in the ECS Tag API type: "Maximum number of tags per resource – 50; Maximum key length – 128 Unicode
//   characters in UTF-8; Maximum value length – 256 Unicode characters in UTF-8; Generally allowed characters are letters,
//   numbers, and spaces representable in UTF-8, and the following characters: + - = . _ : / @; Don't use aws:, AWS:, or any
//   upper or lowercase combination of such as a prefix for either keys or values". Also "Guidelines and requirements"
//   (Amazon Personalize) lists the same set. Lengths count Unicode characters (code points), not UTF-16 units or bytes.
// Note: EC2 accepts more characters than this; we keep to the common set so a tag works on every service we tag.
export const TAG_LIMITS = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxUserTagsPerResource: 50,
  reservedPrefix: "aws:",
  // letters, digits (any script), spaces, and _ . : / = + - @
  allowed: /^[\p{L}\p{N}\p{Zs}_.:/=+\-@]*$/u,
} as const;

function codePoints(s: string): number {
  return [...s].length;
}

/**
 * A short problem with one tag, or undefined. The reserved `aws:` prefix is checked on the key only:
 * some services (Forecast) allow it in values, and values we set never start with it.
 */
export function tagProblem(key: string, value: string): string | undefined {
  if (key.length === 0) return "a tag key is empty";
  if (codePoints(key) > TAG_LIMITS.maxKeyLength) return `tag key "${key.slice(0, 20)}…" is ${codePoints(key)} characters; the limit is ${TAG_LIMITS.maxKeyLength}`;
  if (codePoints(value) > TAG_LIMITS.maxValueLength) return `tag "${key}" has a ${codePoints(value)}-character value; the limit is ${TAG_LIMITS.maxValueLength}`;
  if (key.toLowerCase().startsWith(TAG_LIMITS.reservedPrefix)) return `tag key "${key}" starts with "aws:", which AWS reserves`;
  if (!TAG_LIMITS.allowed.test(key)) return `tag key "${key}" holds a character outside letters, digits, spaces and _ . : / = + - @`;
  if (!TAG_LIMITS.allowed.test(value)) return `tag "${key}" has a value with a character outside letters, digits, spaces and _ . : / = + - @`;
  return undefined;
}

/** A short problem when a resource would carry more user tags than AWS allows, or undefined. */
export function tagCountProblem(tags: Readonly<Record<string, string>>): string | undefined {
  const n = Object.keys(tags).length;
  return n > TAG_LIMITS.maxUserTagsPerResource ? `${n} tags on one resource; AWS allows ${TAG_LIMITS.maxUserTagsPerResource}` : undefined;
}

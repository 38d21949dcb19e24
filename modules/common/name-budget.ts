import { createHash } from "node:crypto";

/**
 * A derived resource name that fits its resource's limit. A name that fits is kept as it is (so
 * existing resources keep their names); a longer one keeps a readable head and ends in a stable
 * 6-character hash of the whole name, so the same input always gives the same name and two long
 * names sharing a head (`…-seoul-a-alb`, `…-seoul-b-alb`) stay distinct.
 */
export function fitName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  const head = name.slice(0, maxLength - hash.length - 1).replace(/[-_.]+$/, "");
  return `${head}-${hash}`;
}

/**
 * cdktf resolves every value of every resource through one recursive function that, for each key
 * and each value of plain data, builds a fresh resolution context (two closures, a copied key path)
 * and runs three regular expressions over each string. Nearly all of a synthesized stack is plain
 * data (strings without token markers, numbers that are not encoded tokens), so that walk is most of
 * the time a synth spends per environment.
 *
 * While `run` executes, cdktf's entry point (`Tokenization.resolve` → `private/resolve`'s `resolve`)
 * is replaced by a walk that copies plain data itself, with the same rules cdktf applies to it
 * (undefined dropped from objects and arrays, Dates and booleans as they are), and hands every
 * value that is or may hold a token — a string with a token marker or with what cdktf's own number
 * pattern could take for an encoded number, an encoded number, an object with `resolve`, a
 * construct, a key that is not plain, a list or map token, anything deeper than cdktf's depth
 * limit — to cdktf's own function with the key path it would have had. cdktf's contexts for plain
 * levels carry nothing (every flag is copied from the level above, undefined at the top), so the
 * result is the same value; a test synthesizes every stack both ways and compares them byte for
 * byte. The original is restored afterwards; cdktf's files are untouched.
 *
 * `useCdktfs` (the comparison test, PRIVATE_ACCESS_DEBUG=1) leaves cdktf's walk in place.
 */
import * as cdktfResolve from "cdktf/lib/tokens/private/resolve";
import { extractTokenDouble } from "cdktf/lib/tokens/private/encoding";
import { Token } from "cdktf/lib/tokens/token";

type ResolveOptions = Parameters<typeof cdktfResolve.resolve>[1];
type Resolve = typeof cdktfResolve.resolve;

/** Every token marker cdktf writes into a string: `${TfToken[`, `#{TfToken[` (list), `&{TfToken[` (map). */
const TOKEN_MARKER = "{TfToken[";
/** cdktf's NUMBER_TOKEN_REGEX (encoding.js), unanchored: a string it matches goes to cdktf. */
const NUMBER_PATTERN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
/** cdktf refuses to resolve deeper than this many keys (a cyclic structure); it says so itself. */
const DEPTH_LIMIT = 200;

/** Whether cdktf would return `text` unchanged (no token of any kind can be in it). */
function isPlainString(text: string): boolean {
  return !text.includes(TOKEN_MARKER) && text !== Token.STRING_MAP_TOKEN_VALUE && text !== Token.ANY_MAP_TOKEN_VALUE && !NUMBER_PATTERN.test(text);
}

function isPlainNumber(value: number): boolean {
  return value !== Token.NUMBER_MAP_TOKEN_VALUE && extractTokenDouble(value, false) === undefined;
}

/** A value cdktf copies key by key: not a token, not a construct, every key plain. */
function isPlainObject(value: Record<string, unknown>, keys: readonly string[]): boolean {
  if (typeof (value as { resolve?: unknown }).resolve === "function") return false;
  if ((value as { _children?: unknown })._children !== undefined && (value as { _metadata?: unknown })._metadata !== undefined) return false;
  return keys.every(isPlainString);
}

/** An array cdktf maps element by element: no list token among its elements. */
function isPlainArray(value: readonly unknown[]): boolean {
  return value.every((item) => (typeof item === "string" ? !item.includes(TOKEN_MARKER) : typeof item !== "number" || extractTokenDouble(item, true) === undefined));
}

function plainValueResolve(original: Resolve): Resolve {
  return function resolve(obj: unknown, options: ResolveOptions): unknown {
    // Called with a context of its own (not by Tokenization.resolve): cdktf's, untouched.
    if (options.previousContext !== undefined) return original(obj, options);
    const top = options.prefix ?? [];
    const path: string[] = [];
    const handOver = (value: unknown) => original(value, { ...options, prefix: [...top, ...path] });
    const walk = (value: unknown): unknown => {
      if (value === undefined || value === null || typeof value === "boolean") return value;
      if (top.length + path.length > DEPTH_LIMIT) return handOver(value);
      if (typeof value === "string") return isPlainString(value) ? value : handOver(value);
      if (typeof value === "number") return isPlainNumber(value) ? value : handOver(value);
      if (typeof value !== "object" || value instanceof Date) return typeof value === "function" ? handOver(value) : value;
      if (Array.isArray(value)) {
        if (!isPlainArray(value)) return handOver(value);
        const out: unknown[] = [];
        for (let index = 0; index < value.length; index++) {
          path.push(`${index}`);
          const item = walk(value[index]);
          path.pop();
          if (item !== undefined) out.push(item);
        }
        return out;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (!isPlainObject(record, keys)) return handOver(value);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        path.push(key);
        const item = walk(record[key]);
        path.pop();
        if (item !== undefined) out[key] = item;
      }
      return out;
    };
    return walk(obj);
  };
}

/** Runs `run` with the plain-data walk in cdktf's place (unless `useCdktfs`), restoring cdktf's after. */
export function withPlainValueResolve<T>(useCdktfs: boolean, run: () => T): T {
  if (useCdktfs) return run();
  const module = cdktfResolve as { resolve: Resolve };
  const original = module.resolve;
  module.resolve = plainValueResolve(original);
  try {
    return run();
  } finally {
    module.resolve = original;
  }
}

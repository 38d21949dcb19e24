/**
 * cdktf resolves every value of every resource through one recursive function
 * (`cdktf/lib/tokens/private/resolve`) that, for each key and each value of plain data, builds a
 * fresh resolution context (two closures, a copied key path) and runs three regular expressions
 * over each string. Nearly all of a synthesized stack is plain data, so that walk was most of the
 * time a synth spent per environment.
 *
 * While `run` executes, the module's `resolve` (what `Tokenization.resolve` calls) is this file's
 * `resolve`: the same steps in the same order with the same errors, except that a value cdktf
 * would return as it is returns at once — a string with no token marker and nothing cdktf's number
 * pattern could take for an encoded number, a number that is not an encoded token — and a level of
 * plain data passes its caller's context on instead of building one per key (a context carries
 * nothing but four flags copied from the level above). The contexts it gives tokens resolve
 * through it too, so what a token returns (a lazy value, a policy document's statements) takes the
 * same shortcuts. A property test compares it with cdktf's own on random mixes of data and tokens,
 * and a synth test compares every stack byte for byte. cdktf's files are untouched; the original
 * is put back after `run`.
 *
 * `useCdktfs` (those tests, PRIVATE_ACCESS_DEBUG=1) leaves cdktf's own in place, and so does any
 * cdktf release other than the one these steps were taken from (slower, never different).
 */
import * as cdktfResolve from "cdktf/lib/tokens/private/resolve";
import {
  TokenString,
  containsMapToken,
  containsNumberListTokenElement,
  containsStringListTokenElement,
  extractTokenDouble,
} from "cdktf/lib/tokens/private/encoding";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { Token } from "cdktf/lib/tokens/token";
import { IPostProcessor, IResolveContext, StringConcat } from "cdktf/lib/tokens/resolvable";
import {
  cannotResolveFunction,
  constructsCannotBeResolved,
  encodedListTokenInScalarStringContext,
  encodedMapTokenInScalarNumberContext,
  encodedMapTokenInScalarStringContext,
  mapKeyMustResolveToString,
  unableToResolveCircularReference,
} from "cdktf/lib/errors";

/** The cdktf release whose resolve this follows step by step (a test says so when the installed one differs). */
export const FOLLOWS_CDKTF = "0.21.0";
const installedCdktf = (require("cdktf/package.json") as { version: string }).version;

type ResolveOptions = Parameters<typeof cdktfResolve.resolve>[1];
type Resolve = typeof cdktfResolve.resolve;

/** Every token marker cdktf writes into a string: `${TfToken[`, `#{TfToken[` (list), `&{TfToken[` (map). */
const TOKEN_MARKER = "{TfToken[";
const LIST_TOKEN_MARKER = "#{TfToken[";
const MAP_TOKEN_MARKER = "&{TfToken[";
/**
 * cdktf encodes a token as a number by fixing a double's top 16 bits (sign and exponent): every
 * such number is at most -2^960 (encoding.ts); anything above this bound is no token, with no
 * buffer allocated to look at its bits.
 */
const ABOVE_EVERY_TOKEN_NUMBER = -1e288;
const mayBeTokenNumber = (value: number) => !(value > ABOVE_EVERY_TOKEN_NUMBER);
/**
 * Whether cdktf's NUMBER_TOKEN_REGEX (`[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`, encoding.js) matches
 * somewhere in `text`: an `e` with one of `-|0-9.+` just before it and one of `-|0-9.eE+` just
 * after. A loop over the `e`s, since this is asked of every string of every stack (a test holds
 * it to the regular expression).
 */
export function matchesNumberTokenPattern(text: string): boolean {
  for (let at = text.indexOf("e", 1); at !== -1; at = text.indexOf("e", at + 1)) {
    if (isBeforeExponent(text.charCodeAt(at - 1)) && isAfterExponent(text.charCodeAt(at + 1))) return true;
  }
  return false;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
/** `-`, `|`, `.`, `+` or a digit. */
const isBeforeExponent = (code: number) => isDigit(code) || code === 45 || code === 124 || code === 46 || code === 43;
/** Those, `e` or `E`. */
const isAfterExponent = (code: number) => isBeforeExponent(code) || code === 101 || code === 69;
/** cdktf refuses to resolve deeper than this many keys (a cyclic structure). */
const DEPTH_LIMIT = 200;

/** A string cdktf returns unchanged, whatever the context: no token of any kind can be in it. */
function isPlainString(text: string): boolean {
  return !text.includes(TOKEN_MARKER) && text !== Token.STRING_MAP_TOKEN_VALUE && text !== Token.ANY_MAP_TOKEN_VALUE && !matchesNumberTokenPattern(text);
}

/** cdktf's test for a construct (resolve.ts `isConstruct`). */
const isConstruct = (value: any): boolean => value._children !== undefined && value._metadata !== undefined;

/** The key path to a value (cdktf's `prefix`), as a chain: a child costs one small object, not a copied array. */
interface KeyPath {
  readonly parent: KeyPath | undefined;
  readonly key: string;
  readonly depth: number;
}

const keyPathOf = (prefix: readonly string[] | undefined): KeyPath | undefined =>
  (prefix ?? []).reduce<KeyPath | undefined>((parent, key) => ({ parent, key, depth: (parent?.depth ?? 0) + 1 }), undefined);

function prefixOf(path: KeyPath | undefined): string[] {
  const out: string[] = [];
  for (let at = path; at; at = at.parent) out.push(at.key);
  return out.reverse();
}

const pathNameOf = (path: KeyPath | undefined) => "/" + prefixOf(path).join("/");

/** What `Tokenization.resolve` calls: cdktf's resolve, with the shortcuts above. */
function resolve(obj: any, options: ResolveOptions): any {
  return resolveAt(obj, options, keyPathOf(options.prefix));
}

/**
 * cdktf's steps for one value at `path`. `options.previousContext` is the context whose flags a
 * new one copies: a plain level hands its own on unchanged (cdktf would copy the same flags into
 * a new context per key).
 */
function resolveAt(obj: any, options: ResolveOptions, path: KeyPath | undefined): any {
  const depth = path?.depth ?? 0;
  // The shortcuts: values cdktf returns as they are, before any context is made.
  if (typeof obj === "string" && depth <= DEPTH_LIMIT && isPlainString(obj)) return obj;
  if (typeof obj === "number" && depth <= DEPTH_LIMIT && obj !== Token.NUMBER_MAP_TOKEN_VALUE && (!mayBeTokenNumber(obj) || extractTokenDouble(obj, false) === undefined)) return obj;

  if (depth > DEPTH_LIMIT) throw unableToResolveCircularReference(pathNameOf(path));
  if (typeof obj === "undefined") return undefined;
  if (obj === null) return null;
  if (typeof obj === "function") throw cannotResolveFunction(pathNameOf(path), obj);

  if (typeof obj === "string") {
    if (TokenString.forListToken(obj).test()) throw encodedListTokenInScalarStringContext();
    if (obj === Token.STRING_MAP_TOKEN_VALUE || obj === Token.ANY_MAP_TOKEN_VALUE) throw encodedMapTokenInScalarStringContext();
    let str: string = obj;
    const context = makeContext(options, path)[0];
    const tokenStr = TokenString.forString(str, !context.ignoreEscapes, context.warnEscapes);
    if (tokenStr.test()) {
      const tokenMap = TokenMap.instance();
      const fragments = tokenStr.split(tokenMap.lookupToken.bind(tokenMap));
      str = options.resolver.resolveString(fragments, makeContext(options, path)[0]);
    }
    const tokenNumberStr = TokenString.forNumbers(str);
    if (tokenNumberStr.test()) {
      const fragments = tokenNumberStr.split((id) => TokenMap.instance().lookupNumberToken(parseFloat(id)));
      str = fragments.mapTokens(makeContext(options, path)[0]).join(new StringConcat());
    }
    return str;
  }

  if (typeof obj === "number") {
    if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw encodedMapTokenInScalarNumberContext();
    const token = TokenMap.instance().lookupNumberToken(obj);
    return token === undefined ? obj : makeContext(options, path)[0].resolve(token);
  }

  if (typeof obj !== "object" || obj instanceof Date) return obj;

  if (Array.isArray(obj)) {
    // cdktf's tests, asked only when an element could make them true.
    let listMarker = false;
    let tokenRange = false;
    for (const x of obj) {
      if (typeof x === "string") listMarker ||= x.includes(LIST_TOKEN_MARKER);
      else if (typeof x === "number") tokenRange ||= mayBeTokenNumber(x);
    }
    if (listMarker && containsStringListTokenElement(obj)) return options.resolver.resolveList(obj, makeContext(options, path)[0]);
    if (tokenRange && containsNumberListTokenElement(obj)) return options.resolver.resolveNumberList(obj, makeContext(options, path)[0]);
    const out: any[] = [];
    for (let index = 0; index < obj.length; index++) {
      const item = resolveAt(obj[index], options, { parent: path, key: `${index}`, depth: depth + 1 });
      if (typeof item !== "undefined") out.push(item);
    }
    return out;
  }

  const keys = Object.keys(obj);
  // cdktf's containsMapToken, asked only when a key could make it true; `unresolved` then asks it
  // again (false) and whether the object has a `resolve` method.
  let mapMarker = false;
  for (const key of keys) mapMarker ||= key.includes(MAP_TOKEN_MARKER);
  if (mapMarker && containsMapToken(obj)) return options.resolver.resolveMap(obj, makeContext(options, path)[0]);
  if (typeof obj.resolve === "function") {
    const [context, postProcessor] = makeContext(options, path);
    return options.resolver.resolveToken(obj, context, postProcessor);
  }
  if (isConstruct(obj)) throw constructsCannotBeResolved(pathNameOf(path));

  const result: Record<string, any> = {};
  for (const key of keys) {
    const resolvedKey = isPlainString(key) ? key : makeContext(options, path)[0].resolve(key);
    if (typeof resolvedKey !== "string") throw mapKeyMustResolveToString(pathNameOf(path), key, resolvedKey);
    const value = resolveAt(obj[key], options, { parent: path, key, depth: depth + 1 });
    if (typeof value === "undefined") continue;
    result[resolvedKey] = value;
  }
  return result;
}

/** cdktf's `makeContext()` (no path appended: every use in resolve appends none). */
function makeContext(options: ResolveOptions, path: KeyPath | undefined): [IResolveContext, IPostProcessor] {
  let postProcessor: IPostProcessor | undefined;
  const context: IResolveContext = {
    preparing: options.preparing,
    scope: options.scope,
    suppressBraces: options.previousContext?.suppressBraces,
    ignoreEscapes: options.previousContext?.ignoreEscapes,
    warnEscapes: options.previousContext?.warnEscapes,
    iteratorContext: options.previousContext?.iteratorContext,
    registerPostProcessor(pp) {
      postProcessor = pp;
    },
    resolve(x: any) {
      return resolveAt(x, { ...options, previousContext: context }, path);
    },
  };
  return [context, { postProcess: (x) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
}

/** Runs `run` with this file's resolve in cdktf's place (unless `useCdktfs`), restoring cdktf's after. */
export function withPlainValueResolve<T>(useCdktfs: boolean, run: () => T): T {
  if (useCdktfs || installedCdktf !== FOLLOWS_CDKTF) return run();
  const module = cdktfResolve as { resolve: Resolve };
  const original = module.resolve;
  module.resolve = resolve;
  try {
    return run();
  } finally {
    module.resolve = original;
  }
}

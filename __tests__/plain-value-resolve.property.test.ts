import fc from "fast-check";
import { App, Fn, Lazy, TerraformIterator, TerraformStack, Token, Tokenization, DefaultTokenResolver, StringConcat } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { FOLLOWS_CDKTF, matchesNumberTokenPattern, withPlainValueResolve } from "../src/stacks/plain-value-resolve";

/**
 * The plain-data walk must give exactly what cdktf's own resolve gives, for any mix of plain data
 * and tokens: strings that look like cdktf's markers or encoded numbers, escapes, undefined in
 * objects and arrays, Dates, string/number/list/map tokens, lazy values returning structures,
 * Terraform functions and resource references.
 */
const app = new App({ stackTraces: false });
const stack = new TerraformStack(app, "resolve-compare");
new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
const bucket = new S3Bucket(stack, "bucket", { bucketPrefix: "compare" });

const resolveWith = (useCdktfs: boolean, value: unknown): { value?: unknown; error?: string } => {
  try {
    return { value: withPlainValueResolve(useCdktfs, () => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false })) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom("1e5", "-2e+10", "ami-0e12", "${var.x}", "$${escaped}", "#{TfToken[nope]}", "${TfToken[TOKEN.999999]}", "&{TfToken[x]}", "String Map Token Value", "Any Map Token Value", "e-1", "10.0.0.0/16"),
);
// Near cdktf's encoded numbers (about -8.1e298 and -1.9e289), an encoded number no token was made for, and NaN.
const plainNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-123456789, -1e288, -9.7e288, -1.8881545897087498e289, -8.109562212591379e298, -Infinity, NaN));

const tokenValue = fc.oneof(
  fc.constant(bucket.arn),
  fc.constant(bucket.bucketDomainName),
  fc.constant(Token.asString(bucket.forceDestroy)),
  fc.constant(bucket.getNumberAttribute("id")),
  fc.constant(Fn.join(",", [bucket.arn, "x"])),
  fc.constant(Token.asList(bucket.getListAttribute("tags_all"))),
  fc.constant(Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] }))),
  fc.constant(Token.asStringMap(Lazy.anyValue({ produce: () => ({ a: bucket.arn }) }))),
  fc.constant(Token.asAnyMap(bucket.getAnyMapAttribute("tags_all"))),
  // Functions resolve their arguments in contexts of their own (braces suppressed, escapes).
  fc.string().map((text) => Fn.lookup({ key: [text, bucket.arn, { inner: `\${${text}}` }] }, "key", [])),
  fc.string().map((text) => Fn.format("%s-%s", [text, Fn.upper(bucket.bucket)])),
  fc.string().map((text) => Fn.rawString(`\${${text}}`)),
  // A lazy value inside a function: what it returns is resolved in the function's context (no braces).
  fc.string().map((text) => Fn.lookup({ key: Lazy.anyValue({ produce: () => ({ nested: [text, bucket.arn, { deeper: bucket.id }] }) }) }, "key", [])),
  fc.string().map((text) => Fn.jsonencode([Lazy.anyValue({ produce: () => [{ arn: bucket.arn, text }] })])),
  // A lazy value that marks its context and resolves plain data through it (as cdktf's dynamic
  // blocks and for expressions do): the iterator value deep inside reads the mark.
  fc.string().map((text) => {
    const iterator = TerraformIterator.fromList([text]);
    return Lazy.anyValue({
      produce: (context) => {
        context.iteratorContext = "FOR_EXPRESSION";
        return context.resolve({ nested: [text, { value: iterator.value, key: iterator.key }] });
      },
    });
  }),
  // Iterator values nested in plain data resolve by the context of the for expression holding them (val, not each.value).
  fc.string().map((text) => {
    const iterator = TerraformIterator.fromList([text, bucket.arn]);
    return iterator.dynamic({ nested: { list: [iterator.value, { deep: iterator.key, text }] } });
  }),
  fc.string().map((text) => Fn.jsonencode({ text, arn: bucket.arn, list: [1, text, { n: Lazy.numberValue({ produce: () => 7 }) }] })),
  fc.string().map((text) => Lazy.stringValue({ produce: () => text })),
  fc.integer().map((n) => Lazy.numberValue({ produce: () => n })),
  fc.string().map((text) => Lazy.anyValue({ produce: () => ({ nested: [text, undefined, bucket.id] }) })),
  fc.string().map((text) => `${text}-${bucket.id}-${text}`),
  fc.string().map((text) => ({ [`key-${text}`]: bucket.arn, [Token.asString(Lazy.stringValue({ produce: () => `k${text}` }))]: text })),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small" }, trickyString, plainNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(new Date(0)), tokenValue, tie("array"), tie("object")),
  array: fc.array(tie("any"), { maxLength: 5 }),
  object: fc.dictionary(trickyString, tie("any"), { maxKeys: 5 }),
})).any;

describe("the plain-data resolve walk", () => {
  it("gives what cdktf's resolve gives, value or error, for any mix of plain data and tokens", () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(resolveWith(false, input)).toStrictEqual(resolveWith(true, input));
      }),
      { numRuns: 400 },
    );
  });

  it("finds cdktf's encoded-number pattern exactly where cdktf's regular expression does", () => {
    const cdktfPattern = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/g;
    const nearNumbers = fc.string({ unit: fc.constantFrom(..."e-|0123456789.+Eax /:"), maxLength: 12 });
    fc.assert(
      fc.property(fc.oneof(nearNumbers, fc.string()), (text) => {
        cdktfPattern.lastIndex = 0;
        expect(matchesNumberTokenPattern(text)).toBe(cdktfPattern.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a structure deeper than cdktf's limit as cdktf does", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 250; i++) deep = { level: deep };
    const fast = resolveWith(false, deep);
    expect(fast.error).toMatch(/circular|cyclic|depth/i);
    expect(fast).toStrictEqual(resolveWith(true, deep));
  });

  it("follows the installed cdktf (another release runs cdktf's own: compare its resolve.js with this walk before moving FOLLOWS_CDKTF)", () => {
    expect((require("cdktf/package.json") as { version: string }).version).toBe(FOLLOWS_CDKTF);
  });

  it("puts cdktf's resolve back afterwards, also when the run throws", () => {
    const resolveModule = require("cdktf/lib/tokens/private/resolve") as { resolve: unknown };
    const original = resolveModule.resolve;
    expect(() => withPlainValueResolve(false, () => {
      expect(resolveModule.resolve).not.toBe(original);
      throw new Error("inside");
    })).toThrow("inside");
    expect(resolveModule.resolve).toBe(original);
  });
});

import type { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";

/**
 * Resolves tokens to what they synthesize to (`${aws_vpc.x.id}`). An attribute getter returns a
 * new token on every access, so references are compared by their resolved form.
 */
export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
}

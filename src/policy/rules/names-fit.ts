import type { IConstruct } from "constructs";
import { TerraformResource, Token } from "cdktf";
import { NAME_LIMITS, nameProblem } from "../../../modules/common/facts/name-limits";
import type { GuardrailRule } from "../rule";

/** Top-level name attributes with recorded limits, per resource type (nested ones are the modules' to fit). */
const CHECKED = new Map<string, string[]>();
for (const key of Object.keys(NAME_LIMITS)) {
  const [type, attribute, ...nested] = key.split("#")[0].split(".");
  if (nested.length > 0 || key.includes("#")) continue;
  CHECKED.set(type, [...(CHECKED.get(type) ?? []), attribute]);
}

const inputOf = (attribute: string) => `${attribute.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Input`;

export const namesFit: GuardrailRule = {
  id: "PA-NAME-001",
  title: "Every derived name fits its resource's length and character limits",
  explanation: "AWS refuses a name that is too long or holds a refused character only at apply, often after other resources were created; long names are shortened with a stable hash (modules/common/name-budget.ts).",
  check(construct: IConstruct): string[] {
    if (!(construct instanceof TerraformResource)) return [];
    const attributes = CHECKED.get(construct.terraformResourceType);
    if (!attributes) return [];
    return attributes.flatMap((attribute) => {
      const value = (construct as unknown as Record<string, unknown>)[inputOf(attribute)];
      if (typeof value !== "string" || Token.isUnresolved(value)) return [];
      const problem = nameProblem(`${construct.terraformResourceType}.${attribute}`, value);
      return problem ? [problem] : [];
    });
  },
};

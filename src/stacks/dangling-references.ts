/**
 * References in a synthesized stack to resources, data sources, variables, locals or modules it
 * does not declare. The stacks skip cdktf's preparing pass (standalone-stack.ts), which is what
 * would have turned a reference to another stack into remote state: this finds one at synth
 * instead of at `terraform plan`.
 */
export function danglingReferences(json: Record<string, any>): string[] {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName as object)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName as object)) declared.add(`data.${type}.${name}`);
  for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
  for (const name of Object.keys(json.locals ?? {})) declared.add(`local.${name}`);
  for (const name of Object.keys(json.module ?? {})) declared.add(`module.${name}`);
  const dangling = new Set<string>();
  const text = JSON.stringify({ ...json, "//": undefined });
  for (const [, expression] of text.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
    for (const [reference] of expression.matchAll(/\b(?:data\.[a-z0-9_]+|var|local|module|[a-z][a-z0-9]*_[a-z0-9_]+)\.[A-Za-z_][A-Za-z0-9_-]*/g)) {
      // Provider resources and the declared kinds only (`each.value`, `option.x` are expression-local names).
      if (!declared.has(reference) && /^(data\.|var\.|local\.|module\.|(aws|cloudflare|terraform|random|time|null|tls)_)/.test(reference)) dangling.add(reference);
    }
  }
  return [...dangling].sort();
}

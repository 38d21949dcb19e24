/**
 * Write-only arguments (`value_wo`, `password_wo`, ... with their `*_wo_version`) need Terraform 1.11
 * or later ("you must use Terraform v1.11 or later", HashiCorp's page below); an older Terraform does
 * not know the write-only contract. A stack that synthesizes one declares the version, so an older
 * Terraform refuses it by name at `terraform init`. Decided at synth from the stack's own JSON, so
 * any module that starts using a write-only argument is covered without a list to keep.
 * https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only
 */
export const WRITE_ONLY_TERRAFORM_VERSION = ">= 1.11";

/** Whether any managed resource (or a nested block of one) sets a write-only argument: a key ending in `_wo`. */
export function usesWriteOnlyArguments(tf: { resource?: Record<string, Record<string, unknown>> }): boolean {
  return Object.values(tf.resource ?? {}).some((byName) => Object.values(byName).some(hasWriteOnlyKey));
}

function hasWriteOnlyKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasWriteOnlyKey);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, v]) => key !== "//" && (key.endsWith("_wo") || hasWriteOnlyKey(v)));
}

/** Adds `terraform.required_version` when the stack uses a write-only argument and declares no version itself. */
export function requireTerraformForWriteOnly<T extends { terraform?: Record<string, unknown>; resource?: Record<string, Record<string, unknown>> }>(tf: T): T {
  if (!usesWriteOnlyArguments(tf) || tf.terraform?.required_version !== undefined) return tf;
  tf.terraform = { required_version: WRITE_ONLY_TERRAFORM_VERSION, ...tf.terraform };
  return tf;
}

/** The same for the HCL output (SYNTH_HCL_OUTPUT=true): a write-only argument is a line `<name>_wo = ...`. */
export function hclUsesWriteOnlyArguments(hcl: string): boolean {
  return /^\s*[a-z0-9_]+_wo\s*=/m.test(hcl);
}

import { Construct } from "constructs";
import { DataResource, Fn } from "cdktf";

/** The header CloudFront adds and the ALB demands in prefix-list mode. */
export const ORIGIN_SECRET_HEADER = "X-Origin-Verify";

/**
 * A random value made once by Terraform itself (the built-in `terraform_data` resource: no extra
 * provider, plans offline) and kept in state: `uuid()` runs at the first apply, and ignore_changes
 * keeps that value afterwards. It is never a literal in the synthesized JSON, and it is marked
 * sensitive so plans do not print it. Replace it with `terraform apply -replace=<address>`.
 */
export class OriginSecret extends Construct {
  readonly header: { readonly name: string; readonly value: string };

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const data = new DataResource(this, "value", {
      input: { value: Fn.sensitive(Fn.uuid()) },
      lifecycle: { ignoreChanges: ["input"] },
    });
    this.header = { name: ORIGIN_SECRET_HEADER, value: `\${${data.fqn}.output.value}` };
  }
}

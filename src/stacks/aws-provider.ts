import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

export interface AwsProviderOptions {
  readonly region: string;
  readonly tags: Record<string, string>;
  /**
   * Offline mode (tests and CI only): skip every call the provider makes on its own at plan time,
   * so `terraform plan` runs with no network. Credentials still come from the environment
   * (the harness sets dummy ones); none are written into the JSON.
   */
  readonly offline: boolean;
  readonly alias?: string;
}

export function awsProvider(scope: Construct, id: string, options: AwsProviderOptions): AwsProvider {
  return new AwsProvider(scope, id, {
    region: options.region,
    alias: options.alias,
    defaultTags: [{ tags: options.tags }],
    ...(options.offline
      ? {
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: "true",
        }
      : {}),
  });
}

/**
 * An ElastiCache IAM authentication token: a SigV4-presigned `connect` request for the replication
 * group and user, valid for 15 minutes, used as the password of an IAM-enabled user.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
 * Signed with AWS's own maintained signer (@smithy/signature-v4), loaded only when a token is made.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export async function elasticacheAuthToken(options: { replicationGroupId: string; userId: string; region: string; credentials: AwsCredentials; now?: Date }): Promise<string> {
  const { SignatureV4 } = require("@smithy/signature-v4") as typeof import("@smithy/signature-v4");
  const { Sha256 } = require("@aws-crypto/sha256-js") as typeof import("@aws-crypto/sha256-js");
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: "elasticache", sha256: Sha256 });
  const request = {
    method: "GET",
    protocol: "http:",
    hostname: options.replicationGroupId,
    path: "/",
    query: { Action: "connect", User: options.userId },
    headers: { host: options.replicationGroupId },
  };
  const signed = await signer.presign(request, { expiresIn: 900, signingDate: options.now });
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `${signed.hostname}${signed.path}?${query}`;
}

/** `aws configure export-credentials --format process` prints the CLI's resolved credentials as JSON. */
export function credentialsFromProcessJson(text: string): AwsCredentials {
  const json = JSON.parse(text) as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
  if (!json.AccessKeyId || !json.SecretAccessKey) throw new Error("the AWS CLI returned no credentials");
  return { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.SessionToken };
}

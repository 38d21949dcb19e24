/**
 * An RDS IAM database authentication token: a SigV4-presigned `connect` request (service `rds-db`)
 * for the instance's host name and port and one database user, valid for 15 minutes, used as that
 * user's password over TLS. The token is the presigned URL without its scheme:
 * `<host>:<port>/?Action=connect&DBUser=<user>&X-Amz-...` (what `aws rds generate-db-auth-token` prints).
 * "Connecting to your DB instance using IAM authentication" (Amazon RDS User Guide):
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
 * Signed with AWS's own maintained signer (@smithy/signature-v4), loaded only when a token is made.
 */
import type { AwsCredentials } from "./elasticache-token";

/** RDS accepts a token for 15 minutes; the presigned request says so (X-Amz-Expires). */
export const RDS_TOKEN_SECONDS = 900;

export async function rdsAuthToken(options: { hostname: string; port: number; user: string; region: string; credentials: AwsCredentials; now?: Date }): Promise<string> {
  const { SignatureV4 } = require("@smithy/signature-v4") as typeof import("@smithy/signature-v4");
  const { Sha256 } = require("@aws-crypto/sha256-js") as typeof import("@aws-crypto/sha256-js");
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: "rds-db", sha256: Sha256 });
  // The signed host header carries the port (as AWS's SDK signers do): the token is bound to host:port.
  const host = `${options.hostname}:${options.port}`;
  const request = {
    method: "GET",
    protocol: "https:",
    hostname: options.hostname,
    port: options.port,
    path: "/",
    query: { Action: "connect", DBUser: options.user },
    headers: { host },
  };
  const signed = await signer.presign(request, { expiresIn: RDS_TOKEN_SECONDS, signingDate: options.now });
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  // RDS wants the presigned URL without the scheme.
  return `${host}${signed.path}?${query}`;
}

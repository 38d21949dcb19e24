import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, ConfigErrors, fromZodIssue } from "../src/config/errors";
import { awsRegion } from "../modules/common/settings/fields";

const schema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit AWS account id (quote it in YAML)"),
  region: awsRegion(),
  bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, dashes)"),
  noncurrentVersionExpirationDays: z.number().int().min(1).max(3650).default(90),
  locking: z.enum(["lockfile", "dynamodb"]).default("lockfile"),
  dynamodbTable: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name").optional(),
  accessLogging: z.boolean().default(true),
  project: z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/).default("private-access"),
  /**
   * Where the bootstrap keeps its own state: `local` (terraform.state-backend.tfstate, the first
   * apply) or `s3` (the bucket it created, after `terraform init -migrate-state`). Committed here so
   * every synth, CI's included, writes the same backend: no hand-made override file.
   */
  ownState: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("local") }),
      z.strictObject({
        type: z.literal("s3"),
        /** The state key's ARN (the kms_key_arn output): the bucket refuses uploads naming anything else. */
        kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$/, "must be the state key's ARN (the kms_key_arn output of the state-backend stack)"),
      }),
    ])
    .default({ type: "local" }),
});

export type StateBackendConfig = z.output<typeof schema>;

/** Validates terraform-state-backend/backend.yaml with the same one-line errors as environment files. */
export function parseStateBackendConfig(file: string, text: string): StateBackendConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigErrors([new ConfigError(file, "", `is not valid YAML: ${document.errors[0].message.split("\n")[0]}`, "PA-CONFIG-YAML")]);
  }
  const parsed = schema.safeParse(document.toJS() ?? {}, { reportInput: true });
  if (!parsed.success) throw new ConfigErrors(parsed.error.issues.flatMap((issue) => fromZodIssue(file, issue)));
  const config = parsed.data;
  if (config.locking === "dynamodb" && !config.dynamodbTable) {
    throw new ConfigErrors([new ConfigError(file, "dynamodbTable", 'is required when locking is "dynamodb"')]);
  }
  if (config.bucketName.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(config.bucketName)) {
    throw new ConfigErrors([new ConfigError(file, "bucketName", `"${config.bucketName}" is not a valid S3 bucket name`)]);
  }
  return config;
}

export function loadStateBackendConfig(file: string): StateBackendConfig {
  return parseStateBackendConfig(file, fs.readFileSync(file, "utf8"));
}

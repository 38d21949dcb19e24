import { exampleWith } from "./helpers/environment";
import { synthAws } from "./helpers/synth";

describe("state backends, chosen in the environment file", () => {
  it("local by default, with the state file kept outside cdktf.out", () => {
    const { tf } = synthAws(exampleWith());
    expect(tf.terraform.backend).toEqual({ local: { path: "terraform.example-aws.tfstate" } });
  });

  it("s3 with a per-stack key, encryption and S3-native lock files", () => {
    const env = exampleWith((doc) => {
      doc.backend = { type: "s3", bucket: "acme-tf-state", region: "ap-northeast-2", kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
    });
    const { tf } = synthAws(env);
    expect(tf.terraform.backend.s3).toEqual({
      bucket: "acme-tf-state",
      region: "ap-northeast-2",
      key: "private-access/example/example-aws.tfstate",
      encrypt: true,
      kms_key_id: "arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      use_lockfile: true,
    });
  });

  it("s3 with a DynamoDB lock table for Terraform older than 1.10", () => {
    const env = exampleWith((doc) => {
      doc.backend = { type: "s3", bucket: "acme-tf-state", region: "us-east-1", keyPrefix: "platform/state", locking: "dynamodb", dynamodbTable: "tf-locks", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
    });
    const { tf } = synthAws(env);
    expect(tf.terraform.backend.s3).toMatchObject({ key: "platform/state/example/example-aws.tfstate", dynamodb_table: "tf-locks" });
    expect(tf.terraform.backend.s3.use_lockfile).toBeUndefined();
  });

  it("Terraform Cloud with one workspace per stack", () => {
    const env = exampleWith((doc) => {
      doc.backend = { type: "terraform-cloud", organization: "acme", workspacePrefix: "pa-", project: "networking" };
    });
    const { tf } = synthAws(env);
    expect(tf.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "pa-example-aws", project: "networking" },
    });
    expect(tf.terraform.backend).toBeUndefined();
  });
});

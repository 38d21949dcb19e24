import { Construct } from "constructs";
import { fitName } from "./name-budget";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";

export interface OperatorPolicyProps {
  readonly name: string;
  readonly description: string;
  readonly statements: DataAwsIamPolicyDocumentStatement[];
}

/** A customer-managed IAM policy for people (attach it to your operators' roles or groups). */
export class OperatorPolicy extends Construct {
  readonly policy: IamPolicy;
  readonly document: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: OperatorPolicyProps) {
    super(scope, id);
    this.document = new DataAwsIamPolicyDocument(this, "document", { statement: props.statements });
    this.policy = new IamPolicy(this, "policy", { name: fitName(props.name, 128), description: props.description, policy: this.document.json });
  }
}

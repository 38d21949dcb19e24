import { Construct } from "constructs";
import { TerraformStack, type TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface DnsValidatedCertificateProps {
  readonly domain: string;
  /** @default none */
  readonly subjectAlternativeNames?: string[];
  /** Hosted zone that answers for every name (the zone id comes from the config: no lookup). */
  readonly hostedZoneId: string;
  /** @default the stack's default AWS provider (CloudFront passes its us-east-1 provider) */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated through Route53 records, and the validation that waits for it,
 * so listeners using `certificateArn` are only created once the certificate is issued.
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the validated certificate (through aws_acm_certificate_validation). */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domain,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
      provider: props.provider,
    });
    const names = [props.domain, ...(props.subjectAlternativeNames ?? [])];
    const records = ValidationRecords.of(this);
    const fqdns = names.map((name) => records.recordFor(name, certificate.fqn, props.hostedZoneId));
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: fqdns,
      provider: props.provider,
    });
    this.certificateArn = validation.certificateArn;
  }
}

/**
 * The stack's ACM validation records, one per DNS name. ACM's validation CNAME for a name is the
 * same in every region and for every certificate of the account
 * (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), so the regional and the
 * CloudFront certificate for one name need one record, with one owner: two resources writing it
 * with allow_overwrite would delete it when either goes away (turning the edge off, say).
 * Records are keyed by name under the stack, so their addresses do not depend on which
 * certificate asked first.
 */
export class ValidationRecords extends Construct {
  private readonly byName = new Map<string, Route53Record>();

  static of(scope: Construct): ValidationRecords {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild("acm-validation-records") as ValidationRecords | undefined) ?? new ValidationRecords(stack, "acm-validation-records");
  }

  /** The record's FQDN for `name`, created from the first certificate that asks for it. */
  recordFor(name: string, certificateFqn: string, hostedZoneId: string): string {
    const existing = this.byName.get(name);
    if (existing) return existing.fqdn;
    // Static construct ids and no for_each over values known only after apply (the CNAMEs).
    const option = (field: string) =>
      `\${one([for option in ${certificateFqn}.domain_validation_options : option.${field} if option.domain_name == ${JSON.stringify(name)}])}`;
    const record = new Route53Record(this, `validation-${name}`, {
      zoneId: hostedZoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 60,
      // A record left from an earlier layout (or made by hand) is taken over, not refused.
      allowOverwrite: true,
    });
    this.byName.set(name, record);
    return record.fqdn;
  }
}

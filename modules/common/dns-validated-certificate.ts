import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
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
    // One record per name, keyed by the name itself: static construct ids and no for_each over
    // values that are only known after apply (the validation CNAMEs).
    const names = [props.domain, ...(props.subjectAlternativeNames ?? [])];
    const option = (name: string, field: string) =>
      `\${one([for option in ${certificate.fqn}.domain_validation_options : option.${field} if option.domain_name == ${JSON.stringify(name)}])}`;
    const records = names.map(
      (name) =>
        new Route53Record(this, `validation-${name}`, {
          zoneId: props.hostedZoneId,
          name: option(name, "resource_record_name"),
          type: option(name, "resource_record_type"),
          records: [option(name, "resource_record_value")],
          ttl: 60,
          // ACM reuses one validation CNAME per name across regions (the CloudFront certificate too).
          allowOverwrite: true,
        }),
    );
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: records.map((record) => record.fqdn),
      provider: props.provider,
    });
    this.certificateArn = validation.certificateArn;
  }
}

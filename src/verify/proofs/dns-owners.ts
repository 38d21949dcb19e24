import type { ProofContext } from "../context";
import { Hop, PathProof, hop, path } from "../proof";

/**
 * One owner per DNS record. Two Terraform resources writing one record (with allow_overwrite) both
 * believe they own it: removing either deletes the record the other still needs. ACM's validation
 * CNAME for a name is the same for every certificate and region, so two certificates for one name
 * are the usual way this happens (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
export function dnsOwnersProof(ctx: ProofContext): PathProof | undefined {
  const records = ctx.aws.all("aws_route53_record");
  if (records.length === 0) return undefined;
  const owners = new Map<string, string[]>();
  for (const record of records) {
    const name = String(record.config.name);
    // A validation record's name is an expression over the certificate's validation options.
    const validated = /option\.domain_name == "([^"]+)"/.exec(name)?.[1];
    const key = `${record.config.zone_id}|${validated ? `ACM validation CNAME of ${validated}` : `${name} ${record.config.type}`}`;
    owners.set(key, [...(owners.get(key) ?? []), record.path]);
  }
  const hops: Hop[] = [...owners.entries()].map(([key, paths]) => {
    const what = key.split("|")[1];
    return hop(`${what} has one owner`, paths.length === 1, paths.length === 1 ? paths[0] : `${paths.length} resources write it: ${paths.join(", ")}`);
  });
  return path("dns-one-owner", "every DNS record has exactly one owner", hops);
}

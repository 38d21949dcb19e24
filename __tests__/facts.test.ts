import {
  AWS_REGIONS,
  LOG_RETENTION_DAYS,
  NAME_LIMITS,
  RDS_ENGINE_VERSIONS,
  architectureOf,
  azLettersOf,
  bucketNameProblem,
  cacheVersionProblem,
  cloudFrontOriginFacingPrefixList,
  elbLogAccountOf,
  isKnownRegion,
  isPublicEmailDomain,
  keyPrefixProblem,
  logRetentionProblem,
  masterUsernameProblem,
  operatorUsernameProblem,
  nameProblem,
  partitionOfRegion,
  rdsParameterGroupFamily,
  rdsVersionProblem,
  tagProblem,
} from "../modules/common/facts";

describe("regions", () => {
  it("every region has unique, single-letter AZ letters, at least three", () => {
    for (const [region, facts] of Object.entries(AWS_REGIONS)) {
      expect(new Set(facts.azLetters).size).toBe(facts.azLetters.length);
      expect(facts.azLetters.length).toBeGreaterThanOrEqual(3);
      for (const letter of facts.azLetters) expect(letter).toMatch(/^[a-z]$/);
      expect(region).toMatch(/^[a-z]+(-[a-z]+)+-\d$/);
    }
  });

  it("knows ap-northeast-2 has a, b, c, d and ca-central-1 has no c", () => {
    expect(azLettersOf("ap-northeast-2")).toEqual(["a", "b", "c", "d"]);
    expect(azLettersOf("ca-central-1")).not.toContain("c");
    expect(azLettersOf("xx-nowhere-1")).toEqual([]);
  });

  it("marks partitions", () => {
    expect(partitionOfRegion("us-east-1")).toBe("aws");
    expect(partitionOfRegion("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOfRegion("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOfRegion("xx-nowhere-1")).toBeUndefined();
    expect(isKnownRegion("mx-central-1")).toBe(true);
    expect(isKnownRegion("us-east-7")).toBe(false);
  });
});

describe("log retention", () => {
  it("accepts only CloudWatch values", () => {
    expect(LOG_RETENTION_DAYS).toContain(1096);
    expect(logRetentionProblem(14)).toBeUndefined();
    expect(logRetentionProblem(10)).toMatch(/not a CloudWatch Logs retention/);
  });
});

describe("architectureOf", () => {
  it.each([
    ["a1.large", "arm64"],
    ["c6g.xlarge", "arm64"],
    ["t4g.micro", "arm64"],
    ["c7gn.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["m5.large", "x86_64"],
    ["t3.micro", "x86_64"],
    ["g5.xlarge", "x86_64"],
  ] as const)("%s is %s", (type, arch) => {
    expect(architectureOf(type)).toBe(arch);
  });

  it("refuses Mac instances", () => {
    expect(() => architectureOf("mac2.metal")).toThrow(/Mac/);
  });
});

describe("engine versions", () => {
  it("accepts a major and a real minor, refuses a made-up minor", () => {
    expect(rdsVersionProblem("postgres", "16")).toBeUndefined();
    expect(rdsVersionProblem("postgres", "16.4")).toBeUndefined();
    expect(rdsVersionProblem("postgres", "16.99")).toMatch(/^16\.99 is not a postgres version RDS offers \(16: 16\.1 … 16\.\d+\)$/);
    expect(rdsVersionProblem("postgres", "99")).toMatch(/major/);
    expect(rdsVersionProblem("mysql", "8.0")).toBeUndefined();
    expect(rdsVersionProblem("mysql", "8.0.42")).toBeUndefined();
    expect(rdsVersionProblem("mysql", "8.0.38")).toBeDefined();
    expect(rdsVersionProblem("mysql", "8.4.5")).toBeUndefined();
  });

  it("lists every minor under its own major", () => {
    for (const [major, minors] of Object.entries(RDS_ENGINE_VERSIONS.postgres)) for (const v of minors) expect(v.startsWith(`${major}.`)).toBe(true);
    for (const [major, minors] of Object.entries(RDS_ENGINE_VERSIONS.mysql)) for (const v of minors) expect(v.startsWith(`${major}.`)).toBe(true);
  });

  it("names parameter group families", () => {
    expect(rdsParameterGroupFamily("postgres", "16.4")).toBe("postgres16");
    expect(rdsParameterGroupFamily("mysql", "8.0.42")).toBe("mysql8.0");
    expect(rdsParameterGroupFamily("postgres", "9")).toBeUndefined();
  });

  it("checks cache versions", () => {
    expect(cacheVersionProblem("redis", "7.1")).toBeUndefined();
    expect(cacheVersionProblem("valkey", "8.0")).toBeUndefined();
    expect(cacheVersionProblem("redis", "7.2")).toBeDefined();
    expect(cacheVersionProblem("valkey", "6.2")).toBeDefined();
  });
});

describe("master usernames", () => {
  it("refuses RDS accounts, pg_ names and reserved words, case-insensitively", () => {
    expect(masterUsernameProblem("postgres", "RDSADMIN")).toBeDefined();
    expect(masterUsernameProblem("postgres", "pg_admin")).toBeDefined();
    expect(masterUsernameProblem("postgres", "Select")).toBeDefined();
    expect(masterUsernameProblem("mysql", "rdsrepladmin")).toBeDefined();
    expect(masterUsernameProblem("mysql", "a_very_long_username")).toBeDefined();
    expect(masterUsernameProblem("postgres", "app_admin")).toBeUndefined();
    expect(masterUsernameProblem("mysql", "admin")).toBeUndefined();
  });
});

describe("operator database users", () => {
  it("follows each engine's identifier rules, refuses reserved names and the master user", () => {
    expect(operatorUsernameProblem("postgres", "operators", "app_admin")).toBeUndefined();
    expect(operatorUsernameProblem("postgres", "o".repeat(63), "app_admin")).toBeUndefined();
    expect(operatorUsernameProblem("postgres", "o".repeat(64), "app_admin")).toContain("postgres allows 63");
    expect(operatorUsernameProblem("mysql", "o".repeat(32), "admin")).toBeUndefined();
    expect(operatorUsernameProblem("mysql", "o".repeat(33), "admin")).toContain("mysql allows 32");
    expect(operatorUsernameProblem("postgres", "Operators", "app_admin")).toContain("lower-case");
    expect(operatorUsernameProblem("postgres", "rds_iam", "app_admin")).toContain("reserved by RDS");
    expect(operatorUsernameProblem("postgres", "pg_monitor", "app_admin")).toContain("pg_");
    expect(operatorUsernameProblem("mysql", "select", "admin")).toContain("reserved word");
    expect(operatorUsernameProblem("mysql", "admin", "Admin")).toContain("master user");
  });
});

describe("S3 names", () => {
  it.each(["my..bucket", "xn--abc", "abc-s3alias", "192.168.1.1", "Ab", "-abc", "abc-", "sthree-x", "a.mrap"])("refuses %s", (name) => {
    expect(bucketNameProblem(name)).toBeDefined();
  });

  it("accepts my-bucket", () => {
    expect(bucketNameProblem("my-bucket")).toBeUndefined();
  });

  it("checks key prefixes", () => {
    expect(keyPrefixProblem("env/prod")).toBeUndefined();
    for (const bad of ["/env", "env/", "env//prod", "env/../prod", "", "x".repeat(1025)]) expect(keyPrefixProblem(bad)).toBeDefined();
  });
});

describe("tags", () => {
  it("refuses the aws: prefix, long keys and odd characters", () => {
    expect(tagProblem("aws:foo", "x")).toBeDefined();
    expect(tagProblem("AWS:foo", "x")).toBeDefined();
    expect(tagProblem("k".repeat(129), "x")).toBeDefined();
    expect(tagProblem("k", "v".repeat(257))).toBeDefined();
    expect(tagProblem("bad#key", "x")).toBeDefined();
    expect(tagProblem("Name", "web-1 primary: a/b=c+d@e_f.g")).toBeUndefined();
    expect(tagProblem("Name", "web (1)")).toBeDefined();
    expect(tagProblem("k".repeat(128), "v".repeat(256))).toBeUndefined();
  });
});

describe("name limits", () => {
  it("refuses a 33-character ALB name and accepts 32", () => {
    expect(nameProblem("aws_lb.name", "a".repeat(33))).toBeDefined();
    expect(nameProblem("aws_lb.name", "a".repeat(32))).toBeUndefined();
    expect(nameProblem("aws_lb.name", "internal-web")).toBeDefined();
  });

  it("counts the suffix Terraform appends to a prefix", () => {
    expect(nameProblem("aws_s3_bucket.bucket_prefix", "a".repeat(37))).toBeUndefined();
    expect(nameProblem("aws_s3_bucket.bucket_prefix", "a".repeat(38))).toBeDefined();
  });

  it("checks RDS identifiers, WAF log groups and SSM depth", () => {
    expect(nameProblem("aws_db_instance.identifier", "app-db")).toBeUndefined();
    expect(nameProblem("aws_db_instance.identifier", "app--db")).toBeDefined();
    expect(nameProblem("aws_db_instance.identifier", "1db")).toBeDefined();
    expect(nameProblem("aws_cloudwatch_log_group.name#waf", "aws-waf-logs-edge")).toBeUndefined();
    expect(nameProblem("aws_cloudwatch_log_group.name#waf", "/waf/edge")).toBeDefined();
    expect(nameProblem("aws_ssm_parameter.name", "/" + Array.from({ length: 15 }, (_, i) => `l${i}`).join("/"))).toBeUndefined();
    expect(nameProblem("aws_ssm_parameter.name", "/" + Array.from({ length: 16 }, (_, i) => `l${i}`).join("/"))).toBeDefined();
    expect(nameProblem("aws_nope.name", "x")).toBeDefined();
  });

  it("gives every entry a source", () => {
    for (const limit of Object.values(NAME_LIMITS)) {
      expect(limit.source.title.length).toBeGreaterThan(0);
      expect(limit.source.url).toMatch(/^https:\/\//);
    }
  });
});

describe("other tables", () => {
  it("knows ELB log accounts and CloudFront prefix lists", () => {
    expect(elbLogAccountOf("us-east-1")).toBe("127311923021");
    expect(elbLogAccountOf("ap-southeast-5")).toBeUndefined();
    expect(cloudFrontOriginFacingPrefixList("ap-northeast-2")).toBe("pl-22a6434b");
    expect(cloudFrontOriginFacingPrefixList("us-east-1")).toBe("pl-3b927c52");
    expect(cloudFrontOriginFacingPrefixList("mx-central-1")).toBeUndefined();
  });

  it("knows public email domains", () => {
    expect(isPublicEmailDomain("GMAIL.com")).toBe(true);
    expect(isPublicEmailDomain("@naver.com")).toBe(true);
    expect(isPublicEmailDomain("partner.example")).toBe(false);
  });
});

/** AWS (and a few other) facts as plain data with their sources; see each file for where a value comes from. */
export * from "./regions";
export * from "./log-retention";
export * from "./engine-versions";
export * from "./rds-reserved-usernames";
export * from "./instance-architectures";
export * from "./elb-log-accounts";
export * from "./cloudfront-prefix-lists";
export * from "./name-limits";
export * from "./tags";
export * from "./s3-names";
export * from "./public-email-domains";
export * from "./reserved-linux-users";
export * from "./ec2-instance-types";
export * from "./rds-instance-classes";
export * from "./cache-node-types";

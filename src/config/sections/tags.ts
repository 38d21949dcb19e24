import { z } from "zod";
import { TAG_LIMITS, tagProblem } from "../../../modules/common/facts/tags";

/** Tags the project sets on every resource itself; a file setting one would be silently overwritten. */
export const PROJECT_TAG_KEYS = ["Project", "Environment", "ManagedBy"] as const;

export const tagsSettings = z
  .record(z.string(), z.string())
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    // The project adds its own tags beside these, and Name on most resources.
    const room = TAG_LIMITS.maxUserTagsPerResource - PROJECT_TAG_KEYS.length - 1;
    if (keys.length > room) ctx.addIssue({ code: "custom", path: [], message: `holds ${keys.length} tags; AWS allows ${TAG_LIMITS.maxUserTagsPerResource} per resource and the project sets ${PROJECT_TAG_KEYS.length + 1} itself, so at most ${room}` });
    for (const key of keys) {
      if ((PROJECT_TAG_KEYS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `is set by the project on every resource (${PROJECT_TAG_KEYS.join(", ")}); choose another key` });
        continue;
      }
      const problem = tagProblem(key, tags[key]);
      if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
    }
  })
  .default({})
  .meta({ type: "map of strings", description: "added to every resource through the provider's `default_tags`, beside `Project`, `Environment` and `ManagedBy`; AWS's tag limits apply (key ≤ 128, value ≤ 256, no `aws:` prefix)" });

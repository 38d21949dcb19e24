import { Testing } from "cdktf";

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toPlanSuccessfully, ...
Testing.setupJest();

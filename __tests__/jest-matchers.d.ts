// Types of cdktf's jest matchers (toHaveResourceWithProperties, toPlanSuccessfully, ...);
// __tests__/setup.ts registers them at run time.
import "cdktf/lib/testing/adapters/jest";

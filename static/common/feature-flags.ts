/**
 * Atlaskit components ask `@atlaskit/platform-feature-flags` about their feature flags. Inside Jira's own
 * frontend the product registers a resolver; a Custom UI iframe has none, so each check falls through to a
 * Statsig client nobody initialised and logs a warning. This registers the resolver the package expects:
 * every flag off, which is each component's released behaviour. Imported first by the bootstrap, so it is
 * in place before any component module runs.
 */
import { setBooleanFeatureFlagResolver } from '@atlaskit/platform-feature-flags';

setBooleanFeatureFlagResolver(() => false);

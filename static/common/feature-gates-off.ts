/**
 * Stands in for `@atlaskit/feature-gate-js-client/feature-gates` in the build (an alias in
 * static/vite.config.mts). Its only importer, `@atlaskit/platform-feature-flags`, asks it about a flag only
 * when no resolver is registered, and ./feature-flags registers one (every flag off) before any component
 * module runs; so the real client (a Statsig SDK, about 230 kB of the first script) could never answer.
 * This answers as the registered resolver does, should the order ever change.
 */
const FeatureGates = {
  checkGate: (_gate: string): boolean => false,
};

export default FeatureGates;

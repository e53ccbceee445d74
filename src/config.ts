/**
 * The scenario, from one import: its model (types and enums), defaults, definition, validation,
 * loading with command-line overrides, and fingerprint. Each lives in its own module under
 * src/config/ (docs/architecture.md, "Scenario files").
 */
export * from './config/model.js';
export { catalogModelPrice, defaultScenario, tier } from './config/defaults.js';
export { ScenarioError, validateScenario } from './config/validate.js';
export { applyOverrides, DEFAULT_IMPORT_MODEL, loadScenario, normalizeScenario, resolveScenario, withImportedOp, type ScenarioOverrides } from './config/load.js';
export { scenarioFingerprint } from './config/fingerprint.js';

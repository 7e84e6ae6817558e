export type { CompatibilityMode, EventContract, JsonSchema, JsonSchemaType, JsonValue } from './event-contract';
export { COMPATIBILITY_MODES } from './event-contract';
export { validateAgainstSchema } from './schema-validator';
export { checkCompatibility } from './compatibility';
export type { CompatibilityProblem, CompatibilityResult } from './compatibility';
export { ContractRegistry } from './contract-registry';
export type { UpcastResult } from './contract-registry';

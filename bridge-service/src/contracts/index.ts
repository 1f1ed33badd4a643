// The bridge API's request and response shapes: one module, used by the routes (validation and
// OpenAPI) and by the controls (inferred types, imported with `import type`).
export * from './finance';
export * from './sync-status';
export * from './sync-errors';
export * from './errors';
export * from './admin';
export * from './guid';

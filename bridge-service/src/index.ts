// Public surface of the bridge for other parts (sync engine, tests).
export { buildApp, type AppDeps } from './app';
export { serve, addressLines, describeStartFailure, type ServeOptions } from './server';
export { blockedPortReason } from './ports';
export { loadConfig, ConfigError, type BridgeConfig } from './config';
export { BridgeError, bridgeError, type ErrorCode } from './http/bridge-error';
export { ERROR_CATALOGUE } from './contracts/errors';
export * from './clients/index';
export * from './db/index';
export { createTokenVerifier, TokenRejected, type Principal, type AppRole, type TokenVerifier } from './auth/verifier';
export type { BridgeContext, BridgeExtension } from './extensions';
export { FinanceService, CUSTOMER_MAP } from './finance/service';
export { createLogger, scrubUrl } from './logger';
export { runCli } from './cli/main';
export { askAgent } from './cli/agent';

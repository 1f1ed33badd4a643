export { openStore, migrate, type Store, type StoreOptions } from './connection';
export type { Database, Db, Executor } from './schema';
export { createLinksRepo, keyJson, type Link, type LinksRepo } from './repos/links';
export { createAuditRepo, type AuditEntry, type AuditRepo, type FieldChanges } from './repos/audit';
export { createIdempotencyRepo, type IdempotencyRepo, type BeginResult, type StoredResponse } from './repos/idempotency';
export { migrations as coreMigrations } from './migrations/index';

export { openStore, migrate, type Store, type StoreOptions } from './db';
export type { Database, Db, Executor } from './schema';
export { createLinksRepo, keyJson, type Link, type LinksRepo } from './links-repo';
export { createAuditRepo, type AuditEntry, type AuditRepo, type FieldChanges } from './audit-repo';
export { createIdempotencyRepo, type IdempotencyRepo, type BeginResult, type StoredResponse } from './idempotency-repo';
export { migrations as coreMigrations } from './migrations/index';

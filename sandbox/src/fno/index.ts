export { createFnoServer, type FnoServer, type FnoServerOptions, type SandboxPrincipal, type VerifyBearer } from './server';
export { loadFnoSchema, type FnoSchema, type EntitySchema } from './schema';
export { buildMetadataXml } from './metadata-xml';

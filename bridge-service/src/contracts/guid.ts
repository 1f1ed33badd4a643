// One rule for ids that Dataverse makes. Dataverse issues sequential GUIDs such as
// ec4e2f7d-9d60-e811-a95a-000d3af24950 (Microsoft's own webhook sample): their version and variant
// nibbles are not RFC 4122's, so zod's uuid() refuses them. Any 8-4-4-4-12 hex GUID is accepted here.
import { z } from 'zod';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A Dataverse id in any shape Dataverse produces (compare ids lower-cased). */
export const Guid = z.string().regex(GUID, 'expected a GUID such as ec4e2f7d-9d60-e811-a95a-000d3af24950');

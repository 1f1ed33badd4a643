// The company owner lookup of the lookup cache (a unit test with a fake Dataverse client): one read per company for
// the TTL, a company without a default owning team included, so creating many rows for it reads it once.
import { describe, expect, it } from '@jest/globals';
import type { DataverseClient } from '../../clients/dataverse-client';
import { createLookupCache } from './lookups';

const WITH = '11111111-0000-4000-8000-000000000001';
const WITHOUT = '11111111-0000-4000-8000-000000000002';
const TEAM = '22222222-0000-4000-8000-00000000000A';

function fakeDataverse() {
  const reads: string[] = [];
  const client = {
    get: async (entitySet: string, id: string) => {
      reads.push(`${entitySet}(${id})`);
      return { _cdm_defaultowningteam_value: id === WITH ? TEAM : null };
    },
  } as unknown as DataverseClient;
  return { client, reads };
}

describe('owningTeamOf', () => {
  it('reads a company once for the TTL, with or without a team', async () => {
    const dv = fakeDataverse();
    const lookups = createLookupCache(dv.client, []);
    expect(await lookups.owningTeamOf(WITH)).toBe(TEAM.toLowerCase());
    expect(await lookups.owningTeamOf(WITH)).toBe(TEAM.toLowerCase());
    expect(await lookups.owningTeamOf(WITHOUT)).toBeNull();
    expect(await lookups.owningTeamOf(WITHOUT)).toBeNull();
    expect(dv.reads).toEqual([`cdm_companies(${WITH})`, `cdm_companies(${WITHOUT})`]);
  });

  it('reads again once the TTL has passed, and after clear()', async () => {
    const dv = fakeDataverse();
    const lookups = createLookupCache(dv.client, [], 0);
    await lookups.owningTeamOf(WITHOUT);
    await new Promise((r) => setTimeout(r, 2));
    await lookups.owningTeamOf(WITHOUT);
    expect(dv.reads).toHaveLength(2);
    const cached = createLookupCache(dv.client, []);
    await cached.owningTeamOf(WITH);
    cached.clear();
    await cached.owningTeamOf(WITH);
    expect(dv.reads).toHaveLength(4);
  });
});

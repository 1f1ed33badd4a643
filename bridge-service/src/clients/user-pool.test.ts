import { describe, expect, it } from '@jest/globals';
import { chooseUser, createUserPool, type UserLoad } from './user-pool';
import type { HttpRequest, HttpService } from './http';

const load = (inFlight: number, limit = 16, throttledUntil = 0): UserLoad => ({ inFlight, limit, throttledUntil });

describe('chooseUser', () => {
  it('takes the user with the fewest requests per slot its adaptive limit allows', () => {
    expect(chooseUser([load(8), load(2), load(5)], 1000)).toBe(1);
    // Halved by a 429, a user with fewer requests in flight can still be the busier one.
    expect(chooseUser([load(4, 4), load(6, 16)], 1000)).toBe(1);
  });

  it('passes over a user the service asked to wait (Retry-After), however idle', () => {
    expect(chooseUser([load(0, 16, 5000), load(10), load(12)], 1000)).toBe(1);
  });

  it('when every user waits, takes the one free soonest', () => {
    expect(chooseUser([load(0, 1, 9000), load(0, 1, 3000), load(0, 1, 6000)], 1000)).toBe(1);
  });

  it('breaks ties going round from the start index', () => {
    const idle = [load(0), load(0), load(0)];
    expect([0, 1, 2, 3].map((s) => chooseUser(idle, 0, s))).toEqual([0, 1, 2, 0]);
  });
});

/** A fake user: records what it was sent, and reports the load the test sets. */
function fakeUser(name: string, state: { load: UserLoad }) {
  const got: HttpRequest[] = [];
  const svc: HttpService = {
    name: 'dataverse', baseUrl: 'http://dv/api/data/v9.2',
    request: (req) => { got.push(req); return Promise.resolve({ status: 200, headers: {}, text: name }); },
    interactive: () => ({ ...svc, request: (req) => svc.request({ ...req, interactive: true }) }),
    load: () => state.load,
    close: () => Promise.resolve(),
  };
  return { svc, got };
}

describe('createUserPool', () => {
  it('deals requests of an idle pool out to every user in turn', async () => {
    const users = ['a', 'b', 'c'].map((n) => fakeUser(n, { load: load(0) }));
    const pool = createUserPool(users.map((u) => u.svc));
    const answers = await Promise.all(Array.from({ length: 6 }, () => pool.request({ method: 'POST', path: '/$batch' })));
    expect(answers.map((a) => a.text)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(pool.sent()).toEqual([2, 2, 2]);
  });

  it('sends nothing to a throttled user while others are free', async () => {
    const states = [{ load: load(0) }, { load: load(0, 8, Date.now() + 60_000) }, { load: load(0) }];
    const users = states.map((s, i) => fakeUser(String(i), s));
    const pool = createUserPool(users.map((u) => u.svc));
    for (let i = 0; i < 10; i++) await pool.request({ method: 'POST', path: '/$batch' });
    expect(users[1].got).toHaveLength(0);
    expect(pool.sent()).toEqual([5, 0, 5]);
  });

  it('keeps what a user waits for on the primary user', async () => {
    const users = ['a', 'b'].map((n) => fakeUser(n, { load: load(0) }));
    const pool = createUserPool(users.map((u) => u.svc));
    for (let i = 0; i < 4; i++) await pool.interactive().request({ method: 'GET', path: '/WhoAmI' });
    await pool.request({ method: 'GET', path: '/accounts', interactive: true });
    expect(users[0].got).toHaveLength(5);
    expect(users[1].got).toHaveLength(0);
  });

  it('with one user is that user', async () => {
    const only = fakeUser('a', { load: load(100, 1, Date.now() + 60_000) });
    const pool = createUserPool([only.svc]);
    expect((await pool.request({ method: 'GET', path: '/x' })).text).toBe('a');
    expect(() => createUserPool([])).toThrow(/at least one user/);
  });
});

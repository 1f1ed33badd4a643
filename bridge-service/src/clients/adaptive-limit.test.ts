import { describe, expect, it } from '@jest/globals';
import { AdaptiveLimit } from './adaptive-limit';

describe('AdaptiveLimit', () => {
  it('admits up to the limit, queues the rest in order, halves on 429 and grows back on success', async () => {
    const l = new AdaptiveLimit(4);
    for (let i = 0; i < 4; i++) await l.acquire();
    const order: number[] = [];
    const queued = [1, 2].map((n) => l.acquire().then(() => order.push(n)));
    l.throttled();
    expect(l.current).toBe(2);
    l.release(); l.release(); // 2 in flight: still at the halved limit, nobody admitted
    await Promise.resolve();
    expect(order).toEqual([]);
    l.release(); // 1 in flight: the first waiter goes
    await queued[0];
    expect(order).toEqual([1]);
    for (let i = 0; i < 20; i++) l.succeeded();
    expect(l.current).toBe(4);
    await queued[1];
    expect(order).toEqual([1, 2]);
  });

  it('never drops below one request in flight', () => {
    const l = new AdaptiveLimit(3);
    for (let i = 0; i < 10; i++) l.throttled();
    expect(l.current).toBe(1);
  });

  it('serves a waiting interactive request before waiting background work, each kind in arrival order', async () => {
    const l = new AdaptiveLimit(1);
    await l.acquire();
    const order: string[] = [];
    const waits = [
      l.acquire().then(() => order.push('sync 1')), l.acquire().then(() => order.push('sync 2')),
      l.acquire(true).then(() => order.push('panel 1')), l.acquire(true).then(() => order.push('panel 2')),
    ];
    for (let i = 0; i < 4; i++) {
      l.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(waits);
    expect(order).toEqual(['panel 1', 'panel 2', 'sync 1', 'sync 2']);
  });
});

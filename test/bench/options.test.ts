import { describe, expect, it } from '@jest/globals';
import { parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to the full run the goals are stated for', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ quick: false, customers: 100_000, rate: 200, liveSeconds: 60, build: true, postgres: true, twoInstances: true });
  });
  it('--quick shrinks the volumes but keeps the 200 edits/s rate', () => {
    const o = parseOptions(['--quick']);
    expect(o.customers).toBeLessThan(100_000);
    expect(o.liveSeconds).toBeLessThan(60);
    expect(o.rate).toBe(200);
  });
  it('takes numbers and switches, in any order', () => {
    const o = parseOptions(['--rate', '300', '--quick', '--no-build', '--customers', '2000', '--cpu-prof']);
    expect(o).toMatchObject({ quick: true, rate: 300, customers: 2000, build: false, cpuProf: true });
  });
  it('runs the issue 20 phases (sweep, real limits) unless switched off', () => {
    expect(parseOptions(['--quick'])).toMatchObject({ sweep: true, limited: true });
    expect(parseOptions(['--quick', '--no-sweep', '--no-limited'])).toMatchObject({ sweep: false, limited: false });
  });
  it('drops the two-instance run without PostgreSQL', () => {
    expect(parseOptions(['--no-postgres']).twoInstances).toBe(false);
  });
  it('names the known options when it meets an unknown one or a bad number', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/Unknown option --fast\. Known: .*--quick/);
    expect(() => parseOptions(['--rate', 'lots'])).toThrow(/--rate needs a positive number/);
    expect(() => parseOptions(['--rate'])).toThrow(/got nothing/);
  });
});

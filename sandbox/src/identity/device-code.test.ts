// The device code store with a driven clock: pending, slow_down, approval once, refusal, expiry, a wrong client.
import { describe, expect, it } from '@jest/globals';
import { createDeviceCodes } from './device-code';
import { DEMO_USERS } from './principals';

const admin = DEMO_USERS.find((u) => u.name === 'admin')!;

function world() {
  let t = 1_000_000;
  const codes = createDeviceCodes({ now: () => t, intervalSeconds: 5, lifetimeSeconds: 900 });
  return { codes, advance: (s: number) => { t += s * 1000; } };
}

describe('device codes', () => {
  it('answers pending until the user approves, then the token once', () => {
    const { codes, advance } = world();
    const s = codes.start('client', 'api://finops-bridge/user_impersonation');
    expect(s.userCode).toMatch(/^[A-Z2-9]{9}$/);
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'authorization_pending' });
    advance(5);
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'authorization_pending' });
    codes.approve(codes.find(s.userCode.toLowerCase())!, admin);
    advance(5);
    expect(codes.poll(s.deviceCode, 'client')).toMatchObject({ kind: 'approved', user: { name: 'admin' } });
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'bad_verification_code' });
  });

  it('slows a client that polls sooner than the interval down by 5 seconds each time', () => {
    const { codes, advance } = world();
    const s = codes.start('client', 'x/y');
    codes.poll(s.deviceCode, 'client');
    advance(1);
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'slow_down', interval: 10 });
    advance(5);
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'slow_down', interval: 15 });
    advance(15);
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'authorization_pending' });
  });

  it('answers authorization_declined after the user declines, and expired_token after expires_in', () => {
    const { codes, advance } = world();
    const a = codes.start('client', 'x/y');
    codes.decline(codes.find(a.userCode)!);
    expect(codes.poll(a.deviceCode, 'client')).toEqual({ kind: 'authorization_declined' });
    const b = codes.start('client', 'x/y');
    advance(901);
    expect(codes.poll(b.deviceCode, 'client')).toEqual({ kind: 'expired_token' });
    expect(codes.find(b.userCode)).toBeUndefined();
  });

  it('does not redeem a code for another client, and expireAll ends every pending sign-in', () => {
    const { codes } = world();
    const s = codes.start('client', 'x/y');
    expect(codes.poll(s.deviceCode, 'other')).toEqual({ kind: 'bad_verification_code' });
    codes.expireAll();
    expect(codes.poll(s.deviceCode, 'client')).toEqual({ kind: 'expired_token' });
  });
});

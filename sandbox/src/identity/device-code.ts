// The device authorization grant (RFC 8628) as Entra runs it: the pending sign-ins of the issuer's /devicecode
// endpoint, what the token endpoint answers while one is polled, and the user's approval or refusal at the
// verification page. Pure state with an injected clock, so the unit tests drive time.
import { randomBytes, randomInt } from 'node:crypto';
import type { DemoUser } from './principals';

export interface DeviceCodeOptions {
  /** Entra gives the user 15 minutes (expires_in 900). */
  lifetimeSeconds?: number;
  /** Entra asks clients to poll every 5 seconds. */
  intervalSeconds?: number;
  now?: () => number;
}

export interface PendingSignIn {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  /** Seconds between polls; grows by 5 with every slow_down (RFC 8628, section 3.5). */
  interval: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'declined';
  user?: DemoUser;
}

export type PollResult =
  | { kind: 'approved'; signIn: PendingSignIn; user: DemoUser }
  | { kind: 'slow_down'; interval: number }
  | { kind: 'authorization_pending' | 'authorization_declined' | 'expired_token' | 'bad_verification_code' };

/** Entra's user codes are 8 or 9 letters and digits without look-alikes, e.g. "FV7J2QKMB". */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function createDeviceCodes(opts: DeviceCodeOptions = {}) {
  const lifetime = opts.lifetimeSeconds ?? 900;
  const interval = opts.intervalSeconds ?? 5;
  const now = opts.now ?? Date.now;
  const byDeviceCode = new Map<string, PendingSignIn>();
  const byUserCode = new Map<string, PendingSignIn>();

  function forget(s: PendingSignIn): void {
    byDeviceCode.delete(s.deviceCode);
    byUserCode.delete(s.userCode);
  }

  /** Forgets sign-ins that ended more than a lifetime ago (an expired code still answers expired_token a while). */
  function sweep(): void {
    for (const s of byDeviceCode.values()) if (now() > s.expiresAt + lifetime * 1000) forget(s);
  }

  return {
    lifetimeSeconds: lifetime,
    start(clientId: string, scope: string): PendingSignIn {
      sweep();
      let userCode: string;
      do userCode = Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
      while (byUserCode.has(userCode));
      const s: PendingSignIn = {
        deviceCode: randomBytes(48).toString('base64url'), userCode, clientId, scope,
        expiresAt: now() + lifetime * 1000, interval, state: 'pending',
      };
      byDeviceCode.set(s.deviceCode, s);
      byUserCode.set(userCode, s);
      return s;
    },

    /** The sign-in a user code names, if it can still be approved or declined. */
    find(userCode: string): PendingSignIn | undefined {
      const s = byUserCode.get(userCode.trim().toUpperCase().replace(/[\s-]/g, ''));
      return s && s.state === 'pending' && now() <= s.expiresAt ? s : undefined;
    },

    approve(s: PendingSignIn, user: DemoUser): void {
      s.state = 'approved';
      s.user = user;
    },

    decline(s: PendingSignIn): void {
      s.state = 'declined';
    },

    /** The token endpoint's answer to a poll with this device code by this client. */
    poll(deviceCode: string, clientId: string): PollResult {
      const s = byDeviceCode.get(deviceCode);
      if (!s || s.clientId !== clientId) return { kind: 'bad_verification_code' };
      const t = now();
      if (t > s.expiresAt) return { kind: 'expired_token' };
      if (s.state === 'declined') {
        forget(s);
        return { kind: 'authorization_declined' };
      }
      if (s.state === 'approved' && s.user) {
        forget(s);
        return { kind: 'approved', signIn: s, user: s.user };
      }
      // A poll sooner than the interval (a fifth of it allowed for timers and the network) slows the client down.
      const early = s.lastPollAt !== undefined && t - s.lastPollAt < s.interval * 800;
      s.lastPollAt = t;
      if (early) {
        s.interval += 5;
        return { kind: 'slow_down', interval: s.interval };
      }
      return { kind: 'authorization_pending' };
    },

    /** Test control: every pending code expires now, as if the user had waited out expires_in. */
    expireAll(): void {
      for (const s of byDeviceCode.values()) s.expiresAt = now() - 1;
    },
  };
}

export type DeviceCodes = ReturnType<typeof createDeviceCodes>;

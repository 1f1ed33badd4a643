// What the sandbox-only control API (control.ts) needs of a running F&O server, in its own module so that the
// server and its control routes do not import each other.
import type { FnoDataset } from '../demo-data/generate';
import type { Protection } from '../http/service-protection';
import type { EventHub } from './events';
import type { FnoStore } from './store';

export interface FnoContext { store: FnoStore; events: EventHub; protection: Protection; data: FnoDataset; base: () => string; reset(): void }

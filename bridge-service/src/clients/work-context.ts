// Which map the outbound requests of a piece of work serve, carried by async context (AsyncLocalStorage) from the
// worker's job or the initial sync's run down to the HTTP client, so that a 429 is counted per map without every
// client call taking a map argument.
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ map: string }>();

/** Runs `work` with its outbound requests attributed to `map`. */
export function forMap<T>(map: string, work: () => Promise<T>): Promise<T> {
  return context.run({ map }, work);
}

/** The map the current work serves, if any (a panel read serves none). */
export function currentMap(): string | undefined {
  return context.getStore()?.map;
}

// Execution order from dependencies: topological, and stable (among maps that are ready at the same
// time, the order they were given in wins), so initial sync runs reference data first, predictably.
import type { TableMap } from './types';

export class DependencyCycleError extends Error {}

/** Maps ordered so that each comes after its dependencies. Unknown dependencies are ignored here (validate reports them). */
export function executionOrder<T extends Pick<TableMap, 'name' | 'dependsOn'>>(maps: readonly T[]): T[] {
  const byName = new Map(maps.map((m) => [m.name, m]));
  const done = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < maps.length) {
    const next = maps.find((m) => !done.has(m.name) && m.dependsOn.every((d) => done.has(d) || !byName.has(d)));
    if (!next) {
      const stuck = maps.filter((m) => !done.has(m.name)).map((m) => m.name);
      throw new DependencyCycleError(`maps depend on each other in a cycle: ${stuck.join(', ')}. Remove one of the dependencies.`);
    }
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

/** The names of the maps in a dependency cycle, or [] when there is none. */
export function findCycle(maps: readonly Pick<TableMap, 'name' | 'dependsOn'>[]): string[] {
  const deps = new Map(maps.map((m) => [m.name, m.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] => {
    if (state.get(name) === 'done' || !deps.has(name)) return [];
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const d of deps.get(name) ?? []) {
      const cycle = visit(d);
      if (cycle.length) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return [];
  };
  for (const m of maps) {
    const cycle = visit(m.name);
    if (cycle.length) return cycle;
  }
  return [];
}

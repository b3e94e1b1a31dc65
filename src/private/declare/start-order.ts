import { DeclaredDependentInit, DeclaredSidecar } from './declare-sidecar';
import { declarationError, show } from '../errors';

/**
 * One entry of the start-up sequence the compiler lays out.
 * @internal
 */
export type StartStep =
  | { readonly sidecar: DeclaredSidecar; readonly init?: undefined }
  | { readonly init: DeclaredDependentInit; readonly sidecar?: undefined };

/**
 * The order in which sidecars (and the init containers that need them)
 * start: declaration order, changed only as far as `dependsOn` requires
 * (a stable topological sort); each dependent init container right after the
 * last sidecar it needs.
 * @internal
 */
export function startOrder(
  path: string, sidecars: readonly DeclaredSidecar[], inits: readonly DeclaredDependentInit[] = [],
): StartStep[] {
  const byName = new Map(sidecars.map(s => [s.name, s]));
  for (const s of sidecars) {
    for (const dep of s.dependsOn) {
      if (!byName.has(dep)) {
        throw declarationError(`${path}: sidecar "${s.name}"`, 'dependsOn', `names ${show(dep)}, which is not a sidecar of this pod`,
          `Name one of the pod's sidecars: ${[...byName.keys()].map(n => show(n)).join(', ')}`);
      }
    }
  }
  const ordered: DeclaredSidecar[] = [];
  const placed = new Set<string>();
  while (ordered.length < sidecars.length) {
    const next = sidecars.find(s => !placed.has(s.name) && s.dependsOn.every(d => placed.has(d)));
    if (!next) {
      const cycle = findCycle(sidecars.filter(s => !placed.has(s.name)), byName);
      throw declarationError(path, 'dependsOn', `has a cycle: ${cycle.join(' -> ')}`,
        'Remove one of these dependencies; sidecars start one after the other, so a cycle can never start');
    }
    ordered.push(next);
    placed.add(next.name);
  }
  const position = new Map(ordered.map((s, i) => [s.name, i]));
  const initsAfter = new Map<number, DeclaredDependentInit[]>();
  for (const init of inits) {
    for (const need of init.needs) {
      if (!position.has(need)) {
        throw declarationError(`${path}: init container "${init.name}"`, 'needs', `names ${show(need)}, which is not a sidecar of this pod`,
          `Name one of the pod's sidecars: ${[...position.keys()].map(n => show(n)).join(', ') || '(none declared)'}`);
      }
    }
    const after = Math.max(...init.needs.map(n => position.get(n)!));
    initsAfter.set(after, [...(initsAfter.get(after) ?? []), init]);
  }
  // A plain loop: flatMap allocates an array per step, for every pod synthesized.
  const steps: StartStep[] = [];
  ordered.forEach((sidecar, i) => {
    steps.push({ sidecar });
    initsAfter.get(i)?.forEach(init => steps.push({ init }));
  });
  return steps;
}

/** A dependency cycle among `remaining` (every one of which is blocked), as names. */
function findCycle(remaining: readonly DeclaredSidecar[], byName: Map<string, DeclaredSidecar>): string[] {
  const trail: string[] = [];
  let current = remaining[0];
  while (!trail.includes(current.name)) {
    trail.push(current.name);
    // A blocked sidecar always has a dependency that is itself blocked.
    current = byName.get(current.dependsOn.find(d => remaining.some(r => r.name === d))!)!;
  }
  return [...trail.slice(trail.indexOf(current.name)), current.name];
}

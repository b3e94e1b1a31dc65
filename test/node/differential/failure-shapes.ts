/**
 * The failure modes `sidecar-first observe` names (docs/observe.md), as shapes of
 * shapes.ts, beside the generated ones: a sidecar that never becomes ready, one that
 * becomes ready late, an app that crashes without its sidecar (native, or legacy
 * with a startupProbe), a wait hook that gives up, a sidecar killed by its startup probe in a loop, and the held cases.
 */
import { PodShape, ProbeShape } from './shapes';

const http = (periodSeconds: number, failureThreshold: number): ProbeShape =>
  ({ kind: 'httpGet', periodSeconds, failureThreshold, initialDelaySeconds: 0, variant: false });

/** Each failure mode once; `copies` of each, ids `f-<mode>-<i>`. */
export function failureShapes(copies: number): PodShape[] {
  const modes: Array<Omit<PodShape, 'id'> & { readonly mode: string }> = [
    // held by a startupProbe (the library's native gate).
    { mode: 'held-native', sidecars: [{ name: 's0', where: 'native', readyAfter: 3, startupProbe: http(1, 30) }] },
    // held by a wait hook that polls (the legacy gate).
    {
      mode: 'held-hook',
      sidecars: [{ name: 's0', where: 'before-app', readyAfter: 3, readinessProbe: http(1, 3), postStart: { kind: 'poll', via: 'wget', deadline: 40, interval: 1 } }],
    },
    // never ready, a readinessProbe only: the app runs beside it.
    { mode: 'never-ready', sidecars: [{ name: 's0', where: 'native', readyAfter: 'never', readinessProbe: http(1, 3) }] },
    // ready late, a readinessProbe only: the app ran before.
    { mode: 'late-ready', sidecars: [{ name: 's0', where: 'native', readyAfter: 10, readinessProbe: http(2, 3) }] },
    // the app needs its sidecar, which nothing waits for: it crashes until the sidecar is ready.
    { mode: 'app-crashes', appRequires: 0, sidecars: [{ name: 's0', where: 'native', readyAfter: 8, readinessProbe: http(1, 3) }] },
    // a legacy sidecar (no gate) whose startupProbe fails while the app, which needs it, crashes: the walkthrough of docs/observe.md.
    { mode: 'legacy-crashes', appRequires: 0, sidecars: [{ name: 's0', where: 'before-app', readyAfter: 8, startupProbe: http(1, 30) }] },
    // a legacy wait hook that gives up: the sidecar is killed, the app starts anyway.
    {
      mode: 'hook-gives-up',
      sidecars: [{ name: 's0', where: 'before-app', readyAfter: 'never', readinessProbe: http(1, 3), postStart: { kind: 'poll', via: 'file', deadline: 4, interval: 1 } }],
    },
    // a startupProbe that never passes: killed and restarted, the app never starts.
    { mode: 'startup-loop', sidecars: [{ name: 's0', where: 'native', readyAfter: 'never', startupProbe: http(1, 3) }] },
  ];
  return modes.flatMap(({ mode, ...shape }) => Array.from({ length: copies }, (_, i) => ({ ...shape, id: `f-${mode}-${i}` })));
}

import { InputKind, Outcome, PodObservation, SidecarObservation } from './observation';
import { PodHistory, HistoryCollector, HistoryError } from './pod-history';
import { Input, judgeSidecar, Subject } from './sidecar-judge';
import { declarationError, show } from '../../private/errors';
import { expandList } from '../../private/rules/pod-template';
import { analyzeDocument, AnalyzeOptions, ResolvedOptions, resolveOptions } from '../sidecar-analyzer';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Says what happened to each sidecar of running pods, from what the API
 * server keeps (docs/observe.md): `kubectl get pods -o json`, `kubectl get
 * pods,events -o json`, `kubectl get pods --watch -o json`. Beside each
 * verdict, what `check` says the pod's spec promises.
 */
export class PodObserver {
  /**
   * Observes pods and events (parsed documents; Lists are expanded, several
   * documents of the same pod are successive statuses, as a watch prints
   * them, in order). Other kinds are skipped. `options` are the analyzer's:
   * the sidecars they name are judged too, and `check`'s verdict beside each
   * follows them.
   */
  public static observe(documents: any[], options: AnalyzeOptions = {}): PodObservation[] {
    const where = 'PodObserver.observe';
    if (!Array.isArray(documents)) {
      throw declarationError(where, 'documents', `are ${show(documents)}, which is not a list`,
        'Pass the parsed documents as an array, e.g. the items of kubectl get pods,events -o json');
    }
    const resolved = resolveOptions(where, options);
    const collector = new HistoryCollector();
    documents.forEach((doc, index) => expandList(doc).forEach((item, i) => {
      try {
        collector.add(item, { file: `documents[${index}]`, line: i });
      } catch (e) {
        if (e instanceof HistoryError) {
          throw declarationError(where, `documents[${index}]${isListDoc(doc) ? `.items[${i}]` : ''}: ${e.field}`, e.problem, 'Pass the objects as kubectl prints them');
        }
        throw e;
      }
    }));
    return collector.histories().map(h => observePod(h, resolved));
  }

  private constructor() {}
}

function isListDoc(doc: any): boolean {
  return doc !== null && typeof doc === 'object' && Array.isArray(doc.items);
}

/**
 * What happened to the sidecars of one pod: each judged on the least input that decides it.
 * @internal
 */
export function observePod(history: PodHistory, options: ResolvedOptions): PodObservation {
  const latest = history.frames[history.frames.length - 1];
  const [template] = analyzeDocument(latest.pod, options);
  // A frame is a Pod: its own spec is the one analyzed.
  const spec = latest.pod?.spec ?? {};
  const report = template?.report;
  const sidecarNames = new Set(report?.sidecars.map(s => s.name) ?? []);
  const apps = (Array.isArray(spec.containers) ? spec.containers : []).map((c: any) => c?.name).filter((n: any) => typeof n === 'string' && !sidecarNames.has(n));
  const inputs: Array<[InputKind, Input]> = [
    [InputKind.STATUS, { frames: [latest], events: [] }],
    [InputKind.EVENTS, { frames: [latest], events: history.events }],
    [InputKind.WATCH, { frames: history.frames, events: history.events }],
  ];
  const sidecars = (report?.sidecars ?? []).map((check): SidecarObservation => {
    const container = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((c: any) => c?.name === check.name) ?? {};
    const subject: Subject = {
      sidecar: check.name,
      spec: container,
      native: (spec.initContainers ?? []).some((c: any) => c?.name === check.name && c.restartPolicy === 'Always'),
      legacy: (spec.containers ?? []).some((c: any) => c?.name === check.name),
      apps,
    };
    const full = judgeSidecar(subject, inputs[2][1]);
    if (full.outcome === Outcome.UNKNOWN) {
      return { name: check.name, outcome: full.outcome, evidence: full.evidence, ...(full.missing ? { missing: full.missing } : {}), check };
    }
    // The least input that gives the same outcome decides it; the evidence is all that was seen.
    const decidedBy = inputs.find(([, input]) => judgeSidecar(subject, input).outcome === full.outcome)![0];
    return { name: check.name, outcome: full.outcome, decidedBy, evidence: full.evidence, check };
  });
  return {
    name: history.name,
    ...(history.namespace !== undefined ? { namespace: history.namespace } : {}),
    frames: history.frames.length,
    events: history.events.length,
    started: history.frames.some(f => f.containers.size > 0),
    sidecars,
  };
}

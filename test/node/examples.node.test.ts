/**
 * Every pod of examples/dist/ on a real kubelet, its images played by the stand-in:
 * a sidecar serves the ports its probes check and becomes ready after 1.5 s, an app
 * records its start (a Job's app exits after 2 s), an ordinary init container exits
 * after 300 ms. The library's own containers (the wait-tools copy of
 * /bin/busybox) run as synthesized. Every app must start after every sidecar is ready.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestContainer, ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { podSpecOf } from '../support/manifests';
import { appsStarted, completed, describeEachKubelet, minorOf, PodOutcome, STANDIN_IMAGE, standinArgs, StandinOptions } from '../support/real-node';

const DIST = path.join(__dirname, '..', '..', 'examples', 'dist');
const SIDECAR_READY_AFTER_MS = 1500;

interface ExamplePod {
  readonly name: string;
  readonly spec: ManifestPodSpec;
  readonly sidecars: string[];
  readonly apps: string[];
  readonly job: boolean;
  readonly native: boolean;
}

/** The pods of examples/dist/, played by the stand-in. */
function examplePods(): ExamplePod[] {
  return fs.readdirSync(DIST).filter(f => f.endsWith('.k8s.yaml')).sort().flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map(d => d.toJS()).flatMap((doc, i) => {
      const spec = podSpecOf(doc);
      if (!spec) return [];
      const job = spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure';
      const native = (spec.initContainers ?? []).some(c => c.restartPolicy === 'Always');
      const isSidecar = (c: ManifestContainer, init: boolean) => init ? c.restartPolicy === 'Always' : c.lifecycle?.postStart !== undefined;
      const sidecars = [
        ...(spec.initContainers ?? []).filter(c => isSidecar(c, true)),
        ...spec.containers.filter(c => isSidecar(c, false)),
      ].map(c => c.name);
      const apps = spec.containers.filter(c => !isSidecar(c, false)).map(c => c.name);
      const play = (c: ManifestContainer, init: boolean): ManifestContainer => {
        // The library's wait-tools container copies /bin/busybox, which the stand-in image has.
        if (c.command?.[0] === '/bin/busybox') return { ...c, image: STANDIN_IMAGE };
        let options: StandinOptions;
        if (isSidecar(c, init)) {
          options = { ...servedPorts(c), readyAfterMs: SIDECAR_READY_AFTER_MS };
        } else if (init) {
          options = { exitAfterMs: 300 };
        } else {
          options = { ...servedPorts(c), exitAfterMs: job ? 2000 : undefined };
        }
        const { command: _command, envFrom: _envFrom, ...rest } = c;
        return { ...rest, image: STANDIN_IMAGE, args: standinArgs(options), env: (c.env ?? []).filter((e: any) => e.valueFrom === undefined) };
      };
      const name = `${file.replace('.k8s.yaml', '')}-${i}`.slice(0, 50);
      return [{
        name,
        sidecars,
        apps,
        job,
        native,
        spec: {
          ...spec,
          serviceAccountName: undefined,
          initContainers: spec.initContainers?.map(c => play(c, true)),
          containers: spec.containers.map(c => play(c, false)),
          // A static pod cannot read ConfigMaps or Secrets.
          volumes: spec.volumes?.map((v: any) => v.configMap || v.secret ? { name: v.name, emptyDir: {} } : v),
        },
      }];
    }));
}

/** The stand-in's options to answer every probe of `c` (named ports resolved). */
function servedPorts(c: ManifestContainer): StandinOptions {
  const port = (p: number | string) => typeof p === 'number' ? p : c.ports?.find((q: any) => q.name === p)?.containerPort;
  const probes: any[] = [c.startupProbe, c.readinessProbe, c.livenessProbe].filter(p => p !== undefined);
  const http = probes.find(p => p.httpGet)?.httpGet.port;
  const tcp = probes.find(p => p.tcpSocket)?.tcpSocket.port;
  const grpc = probes.find(p => p.grpc)?.grpc.port;
  // An HTTP server also accepts TCP connections: one listener for a port both check.
  return {
    http: http !== undefined ? port(http) : undefined,
    tcp: tcp !== undefined && port(tcp) !== port(http ?? -1) ? port(tcp) : undefined,
    grpc: grpc !== undefined ? port(grpc) : undefined,
  };
}

describeEachKubelet('the examples on a real kubelet', (version, node) => {
  const pods = examplePods().filter(p => minorOf(version) >= 29 || !p.native);

  test(`GIVEN the ${pods.length} pods of examples/dist/ that this kubelet runs WHEN they start side by side THEN every app starts after every sidecar is ready, and the Job completes`, async () => {
    // WHEN
    const runs = pods.map(p => ({ name: p.name, spec: p.spec, until: p.job ? completed : appsStarted }));
    const outcomes = await node().run(runs, { timeoutMs: 180_000 });

    // THEN
    const rows = outcomes.map((pod: PodOutcome, i) => {
      const { sidecars, apps, job } = pods[i];
      expect({ pod: pod.name, timedOut: pod.timedOut }).toEqual({ pod: pod.name, timedOut: false });
      const lastReady = Math.max(...sidecars.map(s => pod.containers[s].readies[0]));
      const firstApp = Math.min(...apps.map(a => pod.containers[a].starts[0]));
      expect({ pod: pod.name, appAfterSidecars: firstApp > lastReady }).toEqual({ pod: pod.name, appAfterSidecars: true });
      if (job) expect({ pod: pod.name, phase: pod.status.phase }).toEqual({ pod: pod.name, phase: 'Succeeded' });
      return `| ${pod.name} | ${sidecars.join(', ')} | ${apps.join(', ')} | ${(firstApp - lastReady).toFixed(0)} |`;
    });
    console.log(`kubelet ${version}, examples:\n| pod | sidecars | apps | last sidecar ready -> first app started, ms |\n|---|---|---|---|\n${rows.join('\n')}`);
  }, 300_000);
});

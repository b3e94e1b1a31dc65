/**
 * A runnable cdk8s app: `npm run examples` synthesizes it into examples/dist/,
 * one YAML file per chart. Each chart is one use case of the README's table of
 * example charts (under its first example).
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { AttachToExistingChart } from './attach-to-existing';
import { DistrolessSidecarChart } from './distroless-sidecar';
import { FrontProxyChart } from './front-proxy';
import { JobWithSidecarChart } from './job-with-sidecar';
import { LegacyClusterChart } from './legacy-cluster';
import { MigrationAfterProxyChart } from './migration-after-proxy';
import { NginxAppChart } from './nginx-app';

const app = new App({ outdir: path.join(__dirname, 'dist') });
new NginxAppChart(app, 'nginx-app');
new LegacyClusterChart(app, 'nginx-app-k8s-1-28');
new DistrolessSidecarChart(app, 'distroless-sidecar-k8s-1-27');
new MigrationAfterProxyChart(app, 'migration-after-proxy');
new JobWithSidecarChart(app, 'job-with-sidecar');
new AttachToExistingChart(app, 'attach-to-existing');
new FrontProxyChart(app, 'front-proxy');
app.synth();

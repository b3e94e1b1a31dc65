import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirstDeployment } from 'cdk8s-sidecar-first';

/**
 * nginx terminates every request in front of the app, which listens on
 * 127.0.0.1 only: /healthz answers once nginx has loaded this configuration,
 * and everything else goes to the app.
 */
const NGINX_CONF = `server {
    listen 8080;
    server_tokens off;

    location = /healthz {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

    location / {
        proxy_pass http://127.0.0.1:3000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 2s;
        proxy_read_timeout 30s;
    }
}
`;

/**
 * A front proxy, exposed: the Service sends traffic to nginx's port, never
 * to the app's, and the app starts only once nginx is ready.
 */
export class FrontProxyChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const small = (cpu: number, memory: number) => ({
      cpu: { request: kplus.Cpu.millis(cpu), limit: kplus.Cpu.millis(cpu * 4) },
      memory: { request: Size.mebibytes(memory), limit: Size.mebibytes(memory * 2) },
    });
    const web = new SidecarFirstDeployment(this, 'web', {
      replicas: 2,
      kubernetesVersion: '1.29',
      // The app listens on 127.0.0.1:3000 only, so it declares no port: nothing but nginx reaches it
      // (and cdk8s-plus adds no TCP startupProbe on the pod IP, which could never pass).
      containers: [{ name: 'app', image: 'ghcr.io/example/app:1.4.0', resources: small(100, 128) }],
    });
    const nginx = web.addSidecar({
      name: 'nginx',
      // Runs as a non-root user on 8080, as cdk8s-plus's default security context requires.
      image: 'nginxinc/nginx-unprivileged:1.27',
      portNumber: 8080,
      resources: small(50, 32),
      readinessCheck: ReadinessCheck.httpGet('/healthz'),
    });
    // The handle is the sidecar's container: its configuration, and /tmp for its pid and caches
    // (the root filesystem stays read-only).
    const conf = new kplus.ConfigMap(this, 'nginx-conf', { data: { 'default.conf': NGINX_CONF } });
    nginx.mount('/etc/nginx/conf.d', kplus.Volume.fromConfigMap(this, 'conf', conf), { readOnly: true });
    nginx.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'nginx-tmp'));
    // exposeViaService() without ports would throw: the app's port would bypass nginx.
    web.exposeViaService({ name: 'web', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  }
}

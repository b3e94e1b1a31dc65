/**
 * Well-known helpers that run next to an app, by project: the container
 * names their injectors use and their images, and the commands they ship to
 * make the app wait. A data table: add a row for a new project.
 *
 * Only containers in `spec.containers` are recognised this way: the
 * projects' ordinary init containers (istio-init, linkerd-init,
 * vault-agent-init, ...) run to completion and are not sidecars, and a native
 * sidecar is one by its restartPolicy already.
 * @internal
 */

/** @internal */
export interface KnownSidecar {
  readonly project: string;
  /** Container names the project's injector uses. */
  readonly names: readonly string[];
  /**
   * Image repositories (without registry and tag) that only this helper uses; empty when the image is shared with a server (e.g. Vault).
   * An image matches when its repository is one of these or ends with `/` and one of these (`proxyv2` matches `istio/proxyv2`).
   */
  readonly images: readonly string[];
  /** Name patterns, for helpers named by convention rather than by an injector (RE2 syntax too: the admission policy's CEL runs them). */
  readonly namePatterns?: readonly RegExp[];
}

/**
 * The table: add a helper here (one row a project). The admission policy's
 * parameter ConfigMap (src/private/policy/) is made from it.
 * @internal
 */
export const KNOWN_SIDECARS: readonly KnownSidecar[] = [
  { project: 'Istio', names: ['istio-proxy'], images: ['proxyv2'] },
  { project: 'Linkerd', names: ['linkerd-proxy'], images: ['linkerd/proxy'] },
  { project: 'Kuma / Kong Mesh', names: ['kuma-sidecar'], images: ['kuma-dp', 'kong-mesh-dp'] },
  { project: 'Consul', names: ['consul-dataplane', 'envoy-sidecar', 'consul-connect-envoy-sidecar'], images: ['consul-dataplane'] },
  { project: 'AWS App Mesh', names: [], images: ['aws-appmesh-envoy'] },
  { project: 'Cloud SQL Auth Proxy', names: ['cloud-sql-proxy', 'cloudsql-proxy'], images: ['cloud-sql-proxy', 'gce-proxy'] },
  { project: 'AlloyDB Auth Proxy', names: ['alloydb-proxy', 'alloydb-auth-proxy'], images: ['alloydb-auth-proxy'] },
  { project: 'Vault Agent', names: ['vault-agent'], images: [] },
  { project: 'Dapr', names: ['daprd'], images: ['daprd'] },
  { project: 'OpenTelemetry Collector', names: ['otc-container', 'otel-collector'], images: ['opentelemetry-collector', 'opentelemetry-collector-contrib', 'opentelemetry-collector-k8s'] },
  { project: 'AWS X-Ray daemon', names: ['xray-daemon'], images: ['aws-xray-daemon'] },
  { project: 'NGINX Service Mesh', names: ['nginx-mesh-sidecar'], images: ['nginx-mesh-sidecar'] },
  { project: 'Open Service Mesh', names: [], images: ['openservicemesh/envoy'] },
  { project: 'GKE Cloud Storage FUSE', names: ['gke-gcsfuse-sidecar', 'gke-gcsfuse-metadata-prefetch'], images: ['gcs-fuse-csi-driver-sidecar-mounter'] },
  { project: 'Tailscale', names: ['ts-sidecar'], images: ['tailscale/tailscale'] },
  // The Kubernetes documentation's examples and many charts name a helper after what it is.
  { project: 'named as a sidecar', names: [], images: [], namePatterns: [/(^|[-_])sidecar([-_]|$)/, /^log-?shipper$/] },
];

/**
 * A command known to wait, in a postStart hook, until its sidecar is ready.
 * @internal
 */
export interface KnownWaiter {
  /** Matches the hook's command, joined by spaces. */
  readonly command: RegExp;
  /** Matches what makes it give up; undefined: it gives up by default. */
  readonly deadline?: RegExp;
}

/**
 * Commands known to wait, in a postStart hook, until their sidecar is ready,
 * and whether each gives up on its own (the kubelet sets a hook no deadline, R5).
 * @internal
 */
export const KNOWN_WAITERS: readonly KnownWaiter[] = [
  // Istio's holdApplicationUntilProxyStarts: --timeoutSeconds, 60 by default.
  { command: /(^|\/)pilot-agent\s+wait\b/ },
  // Linkerd's config.linkerd.io/proxy-await: waits for ever unless given --timeout (its charts
  // add --timeout=2m since 2.12; older ones do not).
  { command: /(^|\/)linkerd-await\b/, deadline: /\s(--timeout|-t)[=\s]/ },
  // AWS App Mesh's waitUntilProxyReady; taken to give up on its own (not checked: its agent is not public).
  { command: /(^|\/|\s)agent\s+-envoyReadiness\b/ },
];

/** The repository part of an image reference: no registry host, tag or digest. */
function repository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
  const parts = name.split('/');
  // A first part with a dot or a port, or `localhost`, is a registry host.
  return parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1).join('/') : name;
}

/**
 * The project a container of `spec.containers` belongs to, if it is a known helper.
 * @internal
 */
export function knownSidecar(container: { readonly name: string; readonly image?: unknown }): KnownSidecar | undefined {
  const image = typeof container.image === 'string' ? repository(container.image) : undefined;
  return KNOWN_SIDECARS.find(k => k.names.includes(container.name)
    || (image !== undefined && k.images.some(r => image === r || image.endsWith(`/${r}`)))
    || (k.namePatterns ?? []).some(re => re.test(container.name)));
}

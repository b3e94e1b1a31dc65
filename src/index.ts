export * from './readiness-check';
export * from './sidecar';
export * from './sidecar-first-deployment';
export * from './sidecar-first-options';
export * from './startup-gate';

export * from './readiness-check';
export * from './sidecar';
export * from './sidecar-first-deployment';

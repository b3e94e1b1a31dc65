// A cdk8s app for the cdk8s-cli validation-plugin check (.ci/cdk8s-cli-validation.sh), which
// copies it into a fresh app with the packed library installed: it includes $MANIFEST, and
// gates its sidecar with the library when $GATE is set.
const path = require('path');
const { App, Chart, Include } = require('cdk8s');
const { ReadinessCheck, SidecarFirst } = require('cdk8s-sidecar-first');

const app = new App();
const chart = new Chart(app, 'blog');
const pod = new Include(chart, 'pod', { url: path.join(__dirname, process.env.MANIFEST) });
if (process.env.GATE) {
  SidecarFirst.patch(pod.apiObjects[0], {
    sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, readinessCheck: ReadinessCheck.httpGet('/ready') }],
  });
}
app.synth();

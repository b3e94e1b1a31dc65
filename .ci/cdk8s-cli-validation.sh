#!/usr/bin/env bash
# The README, as a user follows it, with the real cdk8s-cli from npm:
# a fresh app with the packed library installed (npm pack, then npm install
# of the tarball), the README's first example as its main.ts and the
# validation-plugin snippet of docs/cli.md in its cdk8s.yaml, both extracted
# from the Markdown here so that they cannot drift. Checks:
# 1. `cdk8s synth` passes; every sidecar is a native sidecar (STARTUP_PROBE);
# 2. `SIDECAR_FIRST_KUBERNETES_VERSION=1.28 cdk8s synth`: every sidecar is
#    a regular container held by a postStart hook (POST_START);
# 3. the plugin fails `cdk8s synth` for an app that does not wait for its
#    sidecar, and passes it once the sidecar is gated with SidecarFirst.patch;
# 4. an invalid kubernetesVersion in cdk8s.yaml fails `cdk8s synth` with one
#    violation naming cdk8s.yaml, and no stack trace of the plugin.
# The shipped CLI (`sidecar-first check`, from the tarball) judges 1 and 2.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


# The library as users get it: npm pack (whose prepack step builds lib/).
tarball=$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)

app="$work/app"
mkdir -p "$app"
cd "$app"
echo '{ "name": "fresh-app", "version": "1.0.0", "private": true }' > package.json
npm install --no-audit --no-fund --loglevel=error "$work/$tarball" \
  cdk8s@2 cdk8s-plus-28@2 constructs@10 cdk8s-cli@2 typescript@5 ts-node@10 @types/node@20 >/dev/null
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2020", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true } }
JSON

bash "$root/test/support/doc-block.sh" "$root/README.md" first-example > main.ts
plugin=$(bash "$root/test/support/doc-block.sh" "$root/docs/cli.md" validation-plugin)
{
  echo 'language: typescript'
  echo 'app: npx ts-node main.ts'
  echo "$plugin"
} > cdk8s.yaml

cdk8s=./node_modules/.bin/cdk8s
check=./node_modules/.bin/sidecar-first

# The gate of every sidecar in dist/, as the shipped CLI reports it (one per line).
gates() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  "$check" check --format json dist | node -e '
    const report = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const w of report.workloads) for (const s of w.sidecars) console.log(`${w.name}/${s.name} ${s.placement} ${s.gate} ${s.appWaitsForReady}`);'
}
expect_gates() {
  local label=$1 want=$2 got
  got=$(gates)
  if [ -z "$got" ] || printf '%s\n' "$got" | grep -v -q " $want true\$"; then
    echo "$label: expected every sidecar to be '$want' with the app waiting, got:" >&2
    printf '%s\n' "$got" >&2
    exit 1
  fi
  echo "$label: $(printf '%s\n' "$got" | wc -l) sidecars, all $want"
}

# `cdk8s synth` of the README's first example; the plugin of docs/cli.md must have run and passed it.
synth_validated() {
  rm -f report.json
  "$@" "$cdk8s" synth --validation-reports-output-file report.json > synth.log 2>&1 || { cat synth.log; exit 1; }
  node -e '
    const { reports } = JSON.parse(require("fs").readFileSync("report.json", "utf8"));
    const ours = reports.filter(r => r.summary.plugin.includes("cdk8s-sidecar-first") && r.summary.status === "success");
    if (ours.length !== 1) { console.error(JSON.stringify(reports, null, 2)); process.exit(1); }'
}

# 1. No version anywhere: native sidecars.
synth_validated env -u SIDECAR_FIRST_KUBERNETES_VERSION
expect_gates "README first example, no version" "native startupProbe"

# 2. The whole app's version from the environment, which cdk8s-cli passes to the app.
synth_validated env SIDECAR_FIRST_KUBERNETES_VERSION=1.28
expect_gates "README first example, SIDECAR_FIRST_KUBERNETES_VERSION=1.28" "legacy postStart"

# 3. The plugin rejects an app that does not wait for its sidecar, and accepts it once gated.
cp "$root"/test/integration/cdk8s-cli/* .
if MANIFEST=ungated.yaml "$cdk8s" synth --app "node app.js" > bad.log 2>&1; then
  cat bad.log; echo "cdk8s synth passed an app that does not wait for its sidecar" >&2; exit 1
fi
grep -q 'sidecar-first SF1[0-9][0-9] (error)' bad.log || { cat bad.log; exit 1; }
MANIFEST=app-only.yaml GATE=1 "$cdk8s" synth --app "node app.js" > good.log 2>&1 || { cat good.log; exit 1; }
echo "cdk8s-cli validation plugin (docs/cli.md snippet): fails the ungated app, passes the gated one"

# 4. A kubernetesVersion in cdk8s.yaml that is not a version.
sed -i 's/kubernetesVersion: "[^"]*"/kubernetesVersion: "x"/' cdk8s.yaml
grep -q 'kubernetesVersion: "x"' cdk8s.yaml || { cat cdk8s.yaml; echo "the plugin snippet of docs/cli.md has no kubernetesVersion to replace" >&2; exit 1; }
if "$cdk8s" synth > version.log 2>&1; then
  cat version.log; echo "cdk8s synth passed with kubernetesVersion: \"x\" in cdk8s.yaml" >&2; exit 1
fi
if ! grep -q 'cdk8s.yaml: validations: SidecarFirstValidation properties: kubernetesVersion is "x"' version.log || grep -q 'sidecar-first.*/lib/.*:[0-9]' version.log; then
  cat version.log; echo "expected one violation naming cdk8s.yaml and no stack trace of the plugin" >&2; exit 1
fi
echo "cdk8s-cli validation plugin: an invalid kubernetesVersion in cdk8s.yaml is one violation naming cdk8s.yaml"

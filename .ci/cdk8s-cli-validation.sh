#!/usr/bin/env bash
# The validation plugin, loaded by the real cdk8s-cli: `cdk8s synth` must fail
# for an app that does not wait for its sidecar, and pass once it is gated.
# Needs the library built (lib/). cdk8s-cli is installed in a scratch folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work/cli" --no-save --no-audit --no-fund --loglevel=error cdk8s-cli@2 >/dev/null
version=$(node -p "require('$root/package.json').version")
cat > "$work/cdk8s.yaml" <<YAML
language: typescript
app: node $root/test/integration/cdk8s-cli/app.js
output: $work/dist
validations:
  - package: $root
    version: $version
    class: SidecarFirstValidation
YAML
cd "$work"
if MANIFEST=ungated.yaml "$work/cli/node_modules/.bin/cdk8s" synth > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "cdk8s synth passed an app that does not wait for its sidecar" >&2; exit 1
fi
grep -q 'sidecar-first SF1[0-9][0-9] (error)' "$work/bad.log" || { cat "$work/bad.log"; exit 1; }
MANIFEST=app-only.yaml GATE=1 "$work/cli/node_modules/.bin/cdk8s" synth > "$work/good.log" 2>&1 || { cat "$work/good.log"; exit 1; }
echo "cdk8s-cli validation plugin: fails the ungated app, passes the gated one"

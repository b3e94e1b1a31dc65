#!/bin/sh
# npm's `prepare` script. npm runs it when it installs this package from git, as pre-commit's
# node language does (`npm install -g git+file://...`): build lib/ then, which the repository
# does not hold. Under -g, npm installs the clone's dependencies globally, so install the dev
# dependencies into the clone first. In a checkout (`npm ci`), nothing: `npx projen compile` builds.
set -e
if [ "${npm_config_global:-}" != true ] || [ -f lib/cli/main.js ]; then
  exit 0
fi
[ -x node_modules/.bin/projen ] || npm_config_global=false npm install --include=dev --no-audit --no-fund --ignore-scripts
npx projen compile

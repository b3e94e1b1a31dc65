#!/usr/bin/env bash
# The cdk8s packages the library's Java and Go bindings build against, where the registries do not
# serve them: the Maven repository here has no org.cdk8s:cdk8s-plus-28 ("No versions available"),
# and the Go module proxy refuses github.com/cdk8s-team/cdk8s-core-go (403). Built by jsii-pacmak
# from the npm packages this clone installed, as their authors build them. Run first by the
# package:java and package:go tasks (so by package:bindings, package-all and test/bindings/run.sh);
# each does nothing when its package is already there.
#
# usage: bash projenrc/cdk8s-bindings.sh java|go
set -euo pipefail
cd "$(dirname "$0")/.."
# jsii warns at every start that Node 20 (the project's) is past its end of life.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
# jsii-pacmak packs each package with `npm pack`; no package's scripts need to run for that.
export npm_config_ignore_scripts=true

case "${1:-}" in
  java)
    # The cdk8s-plus-28 the library is built and tested with (devDependency), into the Maven
    # repository package:java uses, where Maven then finds it like any downloaded artifact.
    version=$(node -p 'require("cdk8s-plus-28/package.json").version')
    m2="$HOME/.m2/repository"
    jar="$m2/org/cdk8s/cdk8s-plus-28/$version/cdk8s-plus-28-$version.jar"
    [ -f "$jar" ] && exit 0
    # Debian's Maven runs maven-dependency-plugin 2.8, whose get reports success without the jar
    # when the registry has none: only the jar itself says it came.
    if mvn -B -q dependency:get -Dartifact="org.cdk8s:cdk8s-plus-28:$version" && [ -f "$jar" ]; then
      exit 0
    fi
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    built="$work/kplus/java/org/cdk8s/cdk8s-plus-28/$version/cdk8s-plus-28-$version"
    npx jsii-pacmak node_modules/cdk8s-plus-28 --target java --outdir "$work/kplus" --maven-local-repository "$m2"
    mvn -B -q install:install-file -Dfile="$built.jar" -DpomFile="$built.pom"
    ;;
  go)
    # Into node_modules/cdk8s/dist/go, where jsii-pacmak's Go target finds it for the library's
    # go.mod and test/bindings/go/go.mod's replace directive points.
    [ -f node_modules/cdk8s/dist/go/cdk8s/go.mod ] && exit 0
    npx jsii-pacmak node_modules/cdk8s --target go
    ;;
  *)
    echo "usage: bash projenrc/cdk8s-bindings.sh java|go" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# shellcheck disable=SC2016 # the bash -c scripts take their values as "$1"..., which that bash expands
# The Python, Java and Go bindings, used as their users use them (`npm run test:bindings`):
# jsii-pacmak builds the wheel, the jar and the Go module into dist/; an app per language
# (python/, java/, go/), each a copy of examples/main.ts, synthesizes every chart, and every file
# must be byte-identical to examples/dist/ (whatever the TypeScript examples last wrote there);
# a declaration error must reach each language as an exception with the library's exact message;
# and `cdk8s synth` of the Python app (cdk8s.yaml `language: python`) with the real cdk8s-cli.
#
# The packages are built by the README's command for other languages (`npx projen package:bindings`),
# as written there, when every toolchain is here (the package:LANGUAGE tasks it runs, one by one, when
# not). Downloads come from the registries by name, pinned (python/requirements.txt, java/pom.xml,
# go/go.mod), and stay in pip's cache, ~/.m2 and Go's module cache. Two cdk8s packages that the
# registries here refuse are built from their npm packages by package:java and package:go
# (projenrc/cdk8s-bindings.sh): the cdk8s-plus-28 jar (into ~/.m2) and the cdk8s-core-go module.
#
# A language whose toolchain is missing is skipped with the reason; under CI=true a skip fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/test/bindings"
cd "$root" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# jsii warns at every start that Node 20 (the project's) is past its end of life.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
# jsii-pacmak packs each package with `npm pack`, whose prepack would compile the library again
# (lib/ is fresh from the compile step below).
pacmak() { npm_config_ignore_scripts=true "$@"; }
m2="$HOME/.m2/repository"
CDK8S_CLI_VERSION=2.207.60
# The library's own version: jsii-pacmak names the jar after it (java/pom.xml takes it as a property).
LIBRARY_VERSION=$(node -p 'require("./package.json").version')

# The library's message, as test/declaration-errors.test.ts has it for the same declaration.
expected_error="errors/web: sidecar \"proxy\": readinessCheck header name \"X_Token\" is not a header name Kubernetes accepts. Use ASCII letters, digits and '-' only (the API server's IsHTTPHeaderName), e.g. X-Health-Token"

passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1" >&2; }
skip() {
  if [ "${CI:-}" = true ]; then
    fail "$1: skipped under CI=true ($2)"
  else
    skipped=$((skipped + 1)); echo "SKIP $1: $2"
  fi
}
# Runs a step quietly, with its output shown only if it fails; prints how long it took.
step() {
  local name=$1 start=$SECONDS
  shift
  if "$@" >"$work/step.log" 2>&1; then
    echo "  $name: $((SECONDS - start)) s"
  else
    echo "  $name failed after $((SECONDS - start)) s:" >&2
    tail -n 40 "$work/step.log" >&2
    return 1
  fi
}
# Every file examples/dist has, and no other, byte for byte.
same_as_examples() {
  local name=$1 out=$2
  if diff -r "$root/examples/dist" "$out" >"$work/diff.txt" 2>&1; then
    pass "$name: $(find "$out" -type f | wc -l) files byte-identical to examples/dist"
  else
    fail "$name: differs from examples/dist"
    head -n 60 "$work/diff.txt" >&2
  fi
}
# The message the language's exception carried (the program prints it), compared exactly.
same_message() {
  local name=$1 got=$2 want=$3
  if [ "$got" = "$want" ]; then
    pass "$name: the exception carries the library's exact message"
  else
    fail "$name: the exception's message differs"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") >&2
  fi
}

# A language's first example in docs/languages.md (the block after `<!-- ci: NAME -->`).
doc_example() { bash "$root/test/support/doc-block.sh" "$root/docs/languages.md" "$1"; }
# That example synthesized (into $2): one chart, whose nginx is a native sidecar.
doc_example_synthesized() {
  local name=$1 out=$2
  if grep -q 'restartPolicy: Always' "$out/shop.k8s.yaml" 2>/dev/null; then
    pass "$name: the first example of docs/languages.md synthesizes, nginx as a native sidecar"
  else
    fail "$name: the first example of docs/languages.md wrote no shop.k8s.yaml with a native sidecar"
  fi
}


# --- Python -----------------------------------------------------------------------------------
python_bindings() {
  echo "Python"
  step "venv + pip install (requirements.txt, the wheel)" bash -c '
    python3 -m venv "$1" && "$1/bin/pip" install --quiet --disable-pip-version-check \
      -r "$2/python/requirements.txt" "$3"/dist/python/*.whl' _ "$work/venv" "$here" "$root" \
    || { fail "python: install"; return; }
  local py="$work/venv/bin/python"
  step "app" env CDK8S_OUTDIR="$work/python" "$py" "$here/python/main.py" || { fail "python: app"; return; }
  same_as_examples "python: app" "$work/python"
  same_message "python: declaration error (RuntimeError)" \
    "$("$py" "$here/python/declaration_error.py" 2>"$work/err.txt" || cat "$work/err.txt")" "$expected_error"
  doc_example python-first-example >"$work/readme.py"
  step "docs/languages.md example" env CDK8S_OUTDIR="$work/python-readme" "$py" "$work/readme.py" || fail "python: docs/languages.md example"
  doc_example_synthesized "python" "$work/python-readme"

  # The real cdk8s-cli runs the app that cdk8s.yaml names, with the virtual environment's python.
  step "npm install cdk8s-cli@$CDK8S_CLI_VERSION" npm install --prefix "$work/cli" --no-audit --no-fund \
    --loglevel=error "cdk8s-cli@$CDK8S_CLI_VERSION" || { fail "python: cdk8s-cli install"; return; }
  step "cdk8s synth (language: python)" bash -c 'cd "$1" && PATH="$2:$PATH" "$3" synth --output "$4"' _ \
    "$here/python" "$work/venv/bin" "$work/cli/node_modules/.bin/cdk8s" "$work/python-cli" \
    || { fail "python: cdk8s synth"; return; }
  same_as_examples "python: cdk8s synth" "$work/python-cli"
}

# --- Java -------------------------------------------------------------------------------------
java_bindings() {
  echo "Java"
  # Maven never downloads a release version twice: drop the previous build's jar from ~/.m2.
  rm -rf "$m2/io/github/cdk8s-sidecar-first"
  step "mvn compile" mvn -B -q -f "$here/java/pom.xml" compile dependency:build-classpath \
    -Dsidecarfirst.version="$LIBRARY_VERSION" -Dmdep.outputFile="$work/classpath.txt" || { fail "java: mvn compile"; return; }
  local cp
  cp="$here/java/target/classes:$(cat "$work/classpath.txt")"
  # jsii's Java runtime unpacks itself into java.io.tmpdir and leaves it there: $work goes at exit.
  local java=(java "-Djava.io.tmpdir=$work")
  step "app" env CDK8S_OUTDIR="$work/java" "${java[@]}" -cp "$cp" examples.Main "$root" || { fail "java: app"; return; }
  same_as_examples "java: app" "$work/java"
  # jsii's Java runtime appends the JavaScript stack ("Error: <message>", then "    at ..." lines).
  local message
  message=$("${java[@]}" -cp "$cp" examples.DeclarationError 2>&1)
  same_message "java: declaration error (JsiiError)" "$(printf '%s\n' "$message" | sed -n '1,2p')" \
    "$(printf '%s\nError: %s' "$expected_error" "$expected_error")"
  mkdir -p "$work/java-readme"
  doc_example java-first-example >"$work/java-readme/Main.java"
  step "docs/languages.md example" bash -c 'javac -d "$1" -cp "$2" "$1/Main.java" && cd "$1" && CDK8S_OUTDIR=out java -Djava.io.tmpdir="$1" -cp "$1:$2" Main' \
    _ "$work/java-readme" "$cp" || fail "java: docs/languages.md example"
  doc_example_synthesized "java" "$work/java-readme/out"
}

# --- Go ---------------------------------------------------------------------------------------
go_bindings() {
  echo "Go"
  step "go build" bash -c 'cd "$1" && go build -o "$2/examples" ./examples && go build -o "$2/declarationerror" ./declarationerror' \
    _ "$here/go" "$work/go-bin" || { fail "go: build"; return; }
  step "app" env CDK8S_OUTDIR="$work/go" "$work/go-bin/examples" "$root" || { fail "go: app"; return; }
  same_as_examples "go: app" "$work/go"
  same_message "go: declaration error (panic)" \
    "$("$work/go-bin/declarationerror" 2>"$work/err.txt" || cat "$work/err.txt")" "$expected_error"
  # The docs/languages.md example as a module of its own, with go/go.mod's requirements and replacements.
  mkdir -p "$work/go-readme"
  sed "s|=> \.\./\.\./\.\./|=> $root/|" "$here/go/go.mod" >"$work/go-readme/go.mod"
  cp "$here/go/go.sum" "$work/go-readme/"
  doc_example go-first-example >"$work/go-readme/main.go"
  step "docs/languages.md example" bash -c 'cd "$1" && go build -o readme . && CDK8S_OUTDIR=out ./readme' _ "$work/go-readme" \
    || fail "go: docs/languages.md example"
  doc_example_synthesized "go" "$work/go-readme/out"
}

# The toolchains first: a machine with Node only compiles nothing and skips all three.
languages=""
if ! command -v python3 >/dev/null; then
  skip python "no python3"
elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  skip python "python3 has no venv/ensurepip (Debian: apt-get install python3-venv)"
else
  languages="$languages python"
fi
if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
  skip java "no mvn or java (OpenJDK 17 + Maven)"
else
  languages="$languages java"
fi
if ! command -v go >/dev/null; then
  skip go "no go"
else
  languages="$languages go"
fi

# The README's command for other languages (the same block in docs/languages.md), `npm ci && ...`:
# what follows `npm ci && ` (done before this runs) is run as written.
package_command=$(bash test/support/doc-block.sh README.md package-bindings) || fail "README.md: no package-bindings block"
if [ "$package_command" != "$(bash test/support/doc-block.sh docs/languages.md package-bindings)" ]; then
  fail "README.md and docs/languages.md give different package-bindings commands"
fi
if [ "$languages" = " python java go" ]; then
  # Every toolchain is here: the README's command, as a user runs it.
  echo "${package_command#npm ci && }: compile, then the wheel, the jar and the Go module"
  if step "${package_command#npm ci && }" bash -c "${package_command#npm ci && }"; then
    for language in $languages; do
      "${language}_bindings"
    done
  else
    fail "the README's package-bindings command"
  fi
elif [ -n "$languages" ]; then
  echo "jsii: compile the library, then package each language whose toolchain is here"
  if step "jsii" npx projen compile; then
    for language in $languages; do
      if step "package:$language" pacmak npx projen "package:$language"; then
        "${language}_bindings"
      else
        fail "$language: package"
      fi
    done
  else
    fail "jsii compile"
  fi
fi

echo "bindings: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# pre-commit from PyPI in a venv of its own, cached in ~/.cache/sidecar-first/pre-commit
# (test/integrations/pre-commit.test.ts runs it from there).
set -euo pipefail
venv="$HOME/.cache/sidecar-first/pre-commit"
version=4.7.0
if [ "$("$venv/bin/pre-commit" --version 2>/dev/null)" != "pre-commit $version" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pre-commit==$version"
fi

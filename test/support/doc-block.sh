#!/usr/bin/env bash
# The fenced code block that follows the line `<!-- ci: NAME -->` in a Markdown file (README.md or
# docs/*.md): what CI runs of the documentation, taken from it so that the two cannot drift.
# usage: bash test/support/doc-block.sh FILE NAME; exits 1, saying so, if FILE has no such block.
set -euo pipefail
file=$1 name=$2
# Inside a list item the marker and the block are indented: the block loses its fence's indentation.
block=$(awk -v marker="<!-- ci: $name -->" '
  { line = $0; sub(/^[ \t]+/, "", line) }
  line == marker { found = 1; next }
  found && line ~ /^```/ { if (inside) exit; inside = 1; match($0, /^[ \t]*/); indent = RLENGTH; next }
  inside { line = $0; for (n = 0; n < indent && substr(line, 1, 1) ~ /[ \t]/; n++) line = substr(line, 2); print line }' "$file")
if [ -z "$block" ]; then
  echo "$file has no code block after <!-- ci: $name -->" >&2
  exit 1
fi
printf '%s\n' "$block"

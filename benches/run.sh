#!/bin/sh
# Benchmarks: the scan harness (figures with ratios to the parse floor), the one-file
# pre-commit case with hyperfine, and Semgrep as a reference point when it is installed.
# Usage: benches/run.sh [--repeat N] [--lines N] [--big] [--quick]
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo bench --bench scan -- "$@"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/healthflow"
SMALL="$TARGET/bench-corpus/small.py"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 5 --runs 50 "$BIN scan $SMALL --fail-on never"
fi
SEMGREP="${SEMGREP:-$(command -v semgrep || true)}"
if [ -n "$SEMGREP" ]; then
  STDLIB=$(python3 -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
  for dir in "$TARGET/bench-corpus/dense" "$STDLIB"; do
    /usr/bin/time -f "semgrep $dir: %e s wall, %U s user, %M KB" \
      "$SEMGREP" scan --metrics off --disable-version-check --oss-only -j 1 \
      --config benches/semgrep-health.yml --quiet --max-target-bytes 2000000 "$dir" >/dev/null || true
  done
else
  echo "semgrep: not installed (pip install semgrep), reference skipped"
fi

#!/bin/sh
# Seed corpora from the fixtures and the embedded pattern files.
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/lower_python corpus/lower_rust corpus/patterns
find ../fixtures -name '*.py' -exec cp {} corpus/lower_python/ \;
find ../fixtures -name '*.rs' -exec cp {} corpus/lower_rust/ \;
cp ../patterns/python.toml ../patterns/rust.toml corpus/patterns/
echo "seeded: $(ls corpus/lower_python | wc -l) python, $(ls corpus/lower_rust | wc -l) rust, $(ls corpus/patterns | wc -l) pattern files"

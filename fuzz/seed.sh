#!/bin/sh
# Seed corpora from the fixtures and the embedded pattern files.
set -eu
cd "$(dirname "$0")"
cargo run --quiet --bin seed

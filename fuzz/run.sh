#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 600) one after the other, in one process
# (one core) with the inputs capped at 4 KB; a crash stops that target and leaves its input in
# fuzz/artifacts/TARGET/. Needs a nightly toolchain and `cargo install cargo-fuzz`.
#
#   fuzz/run.sh            # ten minutes each
#   fuzz/run.sh 60         # a minute each
#   fuzz/run.sh 600 csv_read
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "seeds/$target"
    echo "== $target: $seconds s"
    # Seeds first (checked in), then the corpus this machine has grown.
    if ! cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        echo "== $target: FAILED (see fuzz/artifacts/$target/)"
        failed=1
    fi
done
exit "$failed"

#!/usr/bin/env bash
# Runs `gradscope-cli bench` and the PyTorch peer (tests/bench/torch_peer.py) for mlp, lenet and
# spiral at the same thread count, one after the other, and prints each ratio gradscope / PyTorch
# (DESIGN.md's goals: mlp ≤ 1.0, lenet ≤ 1.0, spiral ≤ 0.2). Set OPENBLAS_DIR to an extracted
# libopenblas0-pthread (docs/DEVELOPERS.md) so that PyTorch runs on OpenBLAS.
#   tests/bench/compare.sh [build/src/cli/gradscope-cli] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/src/cli/gradscope-cli}
threads=${2:-2}
peer_env=()
if [ -n "${OPENBLAS_DIR:-}" ]; then
  peer_env=(env LD_LIBRARY_PATH="$OPENBLAS_DIR/usr/lib/x86_64-linux-gnu/openblas-pthread" OPENBLAS_NUM_THREADS=1)
fi
for w in mlp lenet spiral; do
  ours=$("$cli" bench "$w" --threads "$threads" --json)
  theirs=$("${peer_env[@]}" /usr/bin/python3 tests/bench/torch_peer.py "$w" --threads "$threads")
  /usr/bin/python3 - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{a['workload']:7s} gradscope {a['ms_per_step']:.4f} ms  pytorch {b['ms_per_step']:.4f} ms  "
      f"ratio {a['ms_per_step'] / b['ms_per_step']:.3f}")
PY
done

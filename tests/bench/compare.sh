#!/usr/bin/env bash
# Runs `gradscope-cli bench` and its PyTorch peer (tests/bench/torch_peer.py; scalar_torch.py for
# scalar) for mlp, lenet, spiral and scalar at the same thread count, one after the other, and
# prints each time, its ratio gradscope / PyTorch (DESIGN.md's goals: mlp ≤ 1.0, lenet ≤ 1.0,
# spiral ≤ 0.2) and, for the workloads made of matrix products, the fraction of the machine's
# limit: the step's GEMM FLOPs (the bench's gemm_flops) at GEMM_PEAK_GFLOPS (default 366, Eigen's
# float GEMM on this machine's 2 cores, issue 12). Set OPENBLAS_DIR to an extracted
# libopenblas0-pthread (docs/DEVELOPERS.md) so that PyTorch runs on OpenBLAS. Prints the load
# average first: figures from a busy machine mean little.
#   tests/bench/compare.sh [build/src/cli/gradscope-cli] [threads] [workloads...]
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/src/cli/gradscope-cli}
threads=${2:-2}
shift $(($# < 2 ? $# : 2))
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(mlp lenet spiral scalar)
peer_env=()
if [ -n "${OPENBLAS_DIR:-}" ]; then
  peer_env=(env LD_LIBRARY_PATH="$OPENBLAS_DIR/usr/lib/x86_64-linux-gnu/openblas-pthread" OPENBLAS_NUM_THREADS=1)
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in "${workloads[@]}"; do
  ours=$("$cli" bench "$w" --threads "$threads" --json)
  if [ "$w" = scalar ]; then
    theirs=$("${peer_env[@]}" /usr/bin/python3 tests/bench/scalar_torch.py --threads "$threads")
  else
    theirs=$("${peer_env[@]}" /usr/bin/python3 tests/bench/torch_peer.py "$w" --threads "$threads")
  fi
  GEMM_PEAK_GFLOPS=${GEMM_PEAK_GFLOPS:-366} /usr/bin/python3 - "$ours" "$theirs" <<'PY'
import json, os, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
line = (f"{a['workload']:7s} gradscope {a['ms_per_step']:.4f} ms  pytorch {b['ms_per_step']:.4f} ms  "
        f"ratio {a['ms_per_step'] / b['ms_per_step']:.3f}")
if a.get("gemm_flops"):
    limit_ms = a["gemm_flops"] / (float(os.environ["GEMM_PEAK_GFLOPS"]) * 1e6)
    line += f"  limit {limit_ms:.4f} ms ({100 * limit_ms / a['ms_per_step']:.0f} % of it)"
if "threads_used" in a:
    line += f"  threads used {a['threads_used']:.2f}"
print(line)
PY
done

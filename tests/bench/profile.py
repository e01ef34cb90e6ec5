#!/usr/bin/python3
"""Instruction counts per training step of `gradscope-cli bench` workloads, split by kind of work
(GEMM, im2col/col2im, activation, softmax-CE, ...), from callgrind: repeatable on a busy machine,
where wall-clock times are not. Two runs with different step counts are subtracted, so set-up
(model build, warm-up allocation) drops out and what remains is the cost of one steady step.
Not a test; the numbers go into docs/PERFORMANCE.md.

Valgrind 3.19 does not decode AVX-512: profile a build without -march=native, e.g.
    cmake -S . -B build-cg -G Ninja -DCMAKE_BUILD_TYPE=Release -DGRADSCOPE_NATIVE=OFF \
          -DCMAKE_CXX_FLAGS="-mavx2 -mfma -g" -DGRADSCOPE_BUILD_APP=OFF -DGRADSCOPE_BUILD_TESTS=OFF
    cmake --build build-cg -j2 --target gradscope-cli
    /usr/bin/python3 tests/bench/profile.py build-cg/src/cli/gradscope-cli mlp lenet spiral scalar
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# (category, regex over "file:function"), first match wins. Files of Eigen's products come first:
# their code is inlined into our kernels' functions.
CATEGORIES = [
    ("GEMM", r"products/|GeneralBlockPanelKernel|GeneralMatrix|Parallelizer|ProductEvaluators|gebp_|gemm_"),
    ("threading", r"gomp|GOMP|omp_|pthread|futex|sched_yield|workers\.|Workers|clone3|start_thread|run_parts"),
    ("allocation", r"malloc|_int_free|\bfree\b|cfree|operator new|operator delete|aligned_alloc|memalign|"
                   r"tcache|unlink_chunk|sysmalloc|brk|mmap|munmap"),
    ("im2col/col2im", r"im2col|col2im|embed_planes|crop_planes|copy_row|add_row\b|to_chunk_layout|chunk_columns|"
                      r"for_chunks|padded_image|conv2d_forward|conv2d_backward_input|conv2d_backward_weight|"
                      r"kernels_conv\.cpp:.*conv"),
    ("pooling", r"maxpool|avgpool|scan_max|max_2x2|Pool2D"),
    ("bias", r"add_row_vector|column_sums|conv2d_backward_bias|bias"),
    ("activation", r"tanhf|expm1f|sigmoid|unary_forward|unary_backward|Activation|relu|ptanh|plogistic"),
    ("softmax-CE", r"softmax|log_sum_exp|expf|logf|compute_loss|count_correct|cross_entropy"),
    ("optimizer", r"Optimizer|update_sgd|update_adam|sum_of_squares|clip_grad|grad_norm|ParamArena|arena"),
    ("zero/copy", r"memset|memcpy|memmove|zero_grad|::fill|fill_n|Flatten|Batcher|gather|copy"),
    ("graph: build", r"Graph::|graph\.cpp|build_scalar_mlp_graph|infer_shape|Shape"),
    ("graph: evaluate + reverse", r"evaluate|reverse|autodiff|vjp|OpArgs|binary_|unary_|Rule|pow|tanh|op_def"),
    ("strings, maps", r"basic_string|char_traits|_Hashtable|hash|unordered_map|std::map|_Rb_tree|strlen|memcmp"),
]
COMPILED = [(name, re.compile(rx)) for name, rx in CATEGORIES]
LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def categorise(where):
    for name, rx in COMPILED:
        if rx.search(where):
            return name
    return "other"


def costs(out_file, inclusive):
    """{"file:function": Ir} from callgrind_annotate's flat listing (exclusive or inclusive)."""
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100",
                           "--auto=no", out_file], capture_output=True, text=True, check=True).stdout
    costs = {}
    started = False
    for line in text.splitlines():
        if "file:function" in line:
            started = True
            continue
        m = LINE.match(line) if started else None
        if m:
            where = re.sub(r" \[[^\]]*\]$", "", m.group(2))
            costs[where] = costs.get(where, 0) + int(m.group(1).replace(",", ""))
    return costs


def run(cli, workload, steps, tmp):
    out = os.path.join(tmp, f"{workload}-{steps}.out")
    proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", cli, "bench", workload,
                           "--threads", "1", "--steps", str(steps), "--json"],
                          capture_output=True, text=True, check=True)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    # Steps actually run: reported by newer CLIs; older ones follow bench_nn.cpp's protocol.
    if "steps_run" in info:
        ran = info["steps_run"]
    elif workload == "scalar":
        ran = max(10, steps // 10) + steps
    else:
        ran = max(5, steps // 10) + 5 * steps
    return costs(out, False), costs(out, True), ran


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("workloads", nargs="+")
    ap.add_argument("--steps", type=int, nargs=2, default=None, help="the two step counts (default per workload)")
    ap.add_argument("--functions", type=int, default=0, help="also list the N costliest functions")
    a = ap.parse_args()
    defaults = {"mlp": (2, 4), "lenet": (2, 4), "spiral": (100, 200), "scalar": (100, 200)}
    with tempfile.TemporaryDirectory() as tmp:
        for w in a.workloads:
            lo, hi = a.steps or defaults.get(w, (10, 20))
            c_lo, i_lo, n_lo = run(a.cli, w, lo, tmp)
            c_hi, i_hi, n_hi = run(a.cli, w, hi, tmp)
            steps = n_hi - n_lo
            per_fn = {k: (c_hi.get(k, 0) - c_lo.get(k, 0)) / steps for k in set(c_hi) | set(c_lo)}
            per_cat = {}
            for k, v in per_fn.items():
                per_cat[categorise(k)] = per_cat.get(categorise(k), 0) + v
            total = sum(per_cat.values())
            print(f"\n### {w}: {total / 1e6:.3f} M instructions per step (callgrind, 1 thread)\n")
            print("| work | instructions per step | share |")
            print("|---|---:|---:|")
            for name, v in sorted(per_cat.items(), key=lambda kv: -kv[1]):
                if abs(v) >= total * 0.001:
                    print(f"| {name} | {v / 1e3:,.1f} k | {100 * v / total:.1f} % |")
            # Per layer call: inclusive costs of the layers' entry points (functions, not lines).
            layer_rx = re.compile(r"^[^:]*\.(?:cpp|h):.*?(gs::nn::\w+<float>::(?:forward|backward|step|zero_grad)|"
                                  r"gs::nn::compute_loss<float>|gs::nn::Model<float>::\w+|gs::nn::Optimizer<float>::\w+)\(")
            per_layer = {}
            for k in set(i_hi) | set(i_lo):
                m = layer_rx.match(k)
                if m:
                    per_layer[m.group(1)] = max(per_layer.get(m.group(1), 0), (i_hi.get(k, 0) - i_lo.get(k, 0)) / steps)
            if per_layer:
                print("\n| call (inclusive) | instructions per step | share |")
                print("|---|---:|---:|")
                for name, v in sorted(per_layer.items(), key=lambda kv: -kv[1]):
                    if v >= total * 0.002:
                        print(f"| `{name.replace('gs::nn::', '').replace('<float>', '')}` | {v / 1e3:,.1f} k | "
                              f"{100 * v / total:.1f} % |")
            if a.functions:
                print()
                for k, v in sorted(per_fn.items(), key=lambda kv: -kv[1])[: a.functions]:
                    print(f"  {v / 1e3:10.1f} k  [{categorise(k)}]  {k[:160]}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()

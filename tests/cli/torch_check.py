#!/usr/bin/python3
"""Runs gradscope-cli's PyTorch exports under Debian's python3-torch and compares them with gradscope.

Not needed by the tests (they never import torch): run it after changing the exporters, and commit
what it writes with --write-fixtures (fixtures/torch/torch_results.json, read by
test_export_cli.cpp, and fixtures/torch/torch_check.txt, its report). It checks
  1. graphs: every example graph's script, run with torch in float64, prints the output and the
     gradients that `gradscope-cli eval --json` gives, to 1e-9 (relative, at least absolute 1e-9);
  2. schedules: the torch.optim.lr_scheduler objects of every preset's training script, stepped as
     the script steps them, give exactly the learning rate of every epoch that `gradscope-cli train
     --metrics` used at every step (Fashion-MNIST presets on a 256-image subset: a per-epoch
     schedule does not depend on the data), and so do configs with composite and per-batch schedules;
  3. spiral: the exported training script's final training accuracy under torch is within 5
     points of gradscope's.
Usage: /usr/bin/python3 tests/cli/torch_check.py [--build DIR] [--write-fixtures]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "cli", "fixtures", "torch")
EXAMPLES = ["seed004", "sigmoid_neuron", "two_layer_ce", "svm_hinge", "conv_pool", "matmul",
            "fanout", "one_hidden_l2"]
PRESETS = ["spiral", "moons", "circles", "xor", "blobs", "fashion-mlp", "fashion-lenet"]
# Configs whose schedules exercise composite schedulers, lambdas and per-batch stepping.
SCHEDULE_CONFIGS = {
    "sequential-lambda-multistep": {"name": "sequential", "milestones": [3],
                                    "schedulers": [{"name": "lambda", "factor": "0.5^epoch"},
                                                   {"name": "multistep", "milestones": [2, 4, 4]}]},
    "chained-exponential-step": {"name": "chained", "schedulers": [{"name": "exponential", "gamma": 0.9},
                                                                   {"name": "step", "step_size": 2, "gamma": 0.5}]},
    "onecycle-per-batch": {"name": "onecycle", "max_lr": 0.5},
    "cyclic-per-batch": {"name": "cyclic", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3},
    "warm-restarts": {"name": "warm-restarts", "t_0": 2, "t_mult": 2},
    "linear-then-cosine": {"name": "sequential", "milestones": [2],
                           "schedulers": [{"name": "linear", "start_factor": 0.25, "total_iters": 2},
                                          {"name": "cosine", "t_max": 5}]},
}
PER_BATCH = {"onecycle-per-batch", "cyclic-per-batch"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def printed_values(text):
    """The `name = value` lines a graph script prints."""
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" = ")
        values[name] = json.loads(value.replace("nan", "NaN").replace("inf", "Infinity"))
    return values


def flat(v):
    if isinstance(v, list):
        return [x for e in v for x in flat(e)]
    return [v]


def max_rel_diff(a, b):
    fa, fb = flat(a), flat(b)
    assert len(fa) == len(fb), (a, b)
    return max((abs(x - y) / max(1.0, abs(y)) for x, y in zip(fa, fb)), default=0.0)


def check_graphs(cli, tmp, report):
    results, worst = {}, 0.0
    for name in EXAMPLES:
        path = os.path.join(ROOT, "assets", "examples", name + ".json")
        script = os.path.join(tmp, name + ".py")
        run([cli, "export", "torch", "--graph", path, "-o", script])
        theirs = printed_values(run([sys.executable, script]))
        ours = json.loads(run([cli, "eval", "--graph", path, "--json"]))
        diff = max_rel_diff(ours["output"], theirs["y"])
        for inp, g in ours["gradients"].items():
            diff = max(diff, max_rel_diff(g, theirs["dy/d" + inp]))
        worst = max(worst, diff)
        results[name] = theirs
        report.append(f"graph {name:16s} max relative difference {diff:.3g}" + ("" if diff <= 1e-9 else "  FAIL"))
    return results, worst <= 1e-9


def torch_step_lrs(script_text, epochs, batches, per_batch, plateau):
    """Runs the model, optimizer and scheduler lines of an exported script and steps the scheduler
    as its loop does, without training; the learning rate in force at each step."""
    start = script_text.index("model = nn.Sequential(")
    end = script_text.index("\n\ndef evaluate")
    ns = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}
    exec(script_text[start:end], ns)
    opt, sched = ns["optimizer"], ns.get("scheduler")
    lrs = []
    for epoch in range(epochs):
        for b in range(batches):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            if sched is not None and per_batch and epoch * batches + b + 1 < epochs * batches:
                sched.step()
        if sched is not None and not per_batch and epoch + 1 < epochs:
            sched.step(1.0) if plateau else sched.step()
    return lrs


def gradscope_step_lrs(cli, config_path, tmp):
    metrics = os.path.join(tmp, "metrics.csv")
    run([cli, "train", "--config", config_path, "--metrics", metrics, "--quiet", "--json"])
    with open(metrics) as f:
        rows = list(csv.DictReader(f))
    return [float(r["lr"]) for r in rows], max(int(r["batch"]) for r in rows) + 1


def check_schedule(cli, name, config, tmp, report):
    config_path = os.path.join(tmp, name + ".json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    script = os.path.join(tmp, "train_" + name.replace("-", "_") + ".py")
    run([cli, "export", "torch", "--config", config_path, "-o", script])
    ours, batches = gradscope_step_lrs(cli, config_path, tmp)
    schedule = config.get("schedule") or {}
    per_batch = config.get("schedule_step") == "batch"
    with open(script) as f:
        theirs = torch_step_lrs(f.read(), config["epochs"], batches, per_batch, schedule.get("name") == "plateau")
    same = ours == theirs
    report.append(f"schedule {name:28s} {schedule.get('name', 'constant'):13s} {config['epochs']:3d} epochs, "
                  f"{len(ours):5d} steps: "
                  + ("identical" if same else f"DIFFERENT\n  gradscope {ours}\n  torch     {theirs}"))
    return same


def check_schedules(cli, tmp, report):
    ok = True
    for preset in PRESETS:
        config = json.loads(run([cli, "train", "--preset", preset, "--print-config"]))
        if (config.get("schedule") or {}).get("name") == "plateau":
            report.append(f"schedule {preset:28s} plateau: skipped (it follows each run's own losses)")
            continue
        if config["data"]["name"] == "fashion-mnist":
            config["data"].update({"train_limit": 256, "test_limit": 256})
        ok &= check_schedule(cli, preset, config, tmp, report)
    base = json.loads(run([cli, "train", "--preset", "xor", "--print-config"]))
    for name, schedule in SCHEDULE_CONFIGS.items():
        config = dict(base, schedule=schedule, epochs=8, name=name)
        config["optimizer"] = {"name": "sgd", "lr": 0.1, "momentum": 0.9}
        if name in PER_BATCH:
            config["schedule_step"] = "batch"
        ok &= check_schedule(cli, name, config, tmp, report)
    return ok


def check_spiral(cli, tmp, report):
    script = os.path.join(tmp, "spiral.py")
    run([cli, "export", "torch", "--preset", "spiral", "-o", script])
    theirs = json.loads(run([sys.executable, script]).splitlines()[-1])
    ours = json.loads(run([cli, "train", "--preset", "spiral", "--json", "--quiet"]))
    diff = abs(theirs["train_accuracy"] - ours["train_accuracy"])
    report.append(f"spiral final training accuracy: gradscope {ours['train_accuracy']:.4f}, "
                  f"torch {theirs['train_accuracy']:.4f} (difference {100 * diff:.2f} points)")
    return diff <= 0.05


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--write-fixtures", action="store_true")
    a = p.parse_args()
    cli = os.path.join(a.build, "src", "cli", "gradscope-cli")
    torch.set_num_threads(2)
    report = [f"torch {torch.__version__} ({sys.executable}); gradscope-cli at {os.path.relpath(cli, ROOT)}"]
    with tempfile.TemporaryDirectory() as tmp:
        results, graphs_ok = check_graphs(cli, tmp, report)
        schedules_ok = check_schedules(cli, tmp, report)
        spiral_ok = check_spiral(cli, tmp, report)
    ok = graphs_ok and schedules_ok and spiral_ok
    report.append("all checks passed" if ok else "SOME CHECKS FAILED")
    print("\n".join(report))
    if a.write_fixtures:
        with open(os.path.join(FIXTURES, "torch_results.json"), "w") as f:
            json.dump(results, f, indent=1)
            f.write("\n")
        with open(os.path.join(FIXTURES, "torch_check.txt"), "w") as f:
            f.write("\n".join(report) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Large graph files for the desktop program's benchmarks (docs/PERFORMANCE.md, "Large graphs in
the desktop program"): `gradscope --bench-frames N --graph FILE` and `--screenshot` on them.
Not a test. Three shapes, each of about N nodes (scalars, fixed seed):

  chain   x → sin → cos → sin → … : N columns of one node (the deepest graph)
  fanout  sin(x) + sin(x) + … : x used N/2 times, its adjoint a sum of N/2 partial adjoints
          (the CLI's CliOutputGrowth case), a left-deep chain of additions
  mlp     a scalar MLP (weights as inputs, tanh), micrograd's style, as benchmark_mlp() builds
          it: 3 inputs, two hidden layers of the largest width that keeps it within N nodes, 1 output

    /usr/bin/python3 tests/bench/make_large_graph.py chain 100000 > /tmp/chain-100000.json
"""
import json
import random
import sys


def node(nodes, **fields):
    fields["id"] = len(nodes)
    nodes.append(fields)
    return fields["id"]


def chain(n):
    nodes, values = [], {"x": 0.5}
    prev = node(nodes, kind="input", name="x", shape=[])
    for i in range(1, n):
        prev = node(nodes, kind="op", op="sin" if i % 2 else "cos", inputs=[prev], shape=[])
    return nodes, values


def fanout(n):
    nodes, values = [], {"x": 0.5}
    x = node(nodes, kind="input", name="x", shape=[])
    acc = node(nodes, kind="op", op="sin", inputs=[x], shape=[])
    while len(nodes) + 2 <= n:
        s = node(nodes, kind="op", op="sin", inputs=[x], shape=[])
        acc = node(nodes, kind="op", op="add", inputs=[acc, s], shape=[])
    return nodes, values


def mlp_size(width):
    """Nodes of the 3-width-width-1 MLP: per unit a bias, then a weight, a product and a sum per
    input, then tanh."""
    return 3 + sum(units * (3 * fan_in + 2) for fan_in, units in ((3, width), (width, width), (width, 1)))


def mlp(n):
    rng = random.Random(7)
    nodes, values = [], {}

    def scalar_input(name):
        values[name] = round(rng.uniform(-1, 1), 6)
        return node(nodes, kind="input", name=name, shape=[])

    width = 1
    while mlp_size(width + 1) <= n:
        width += 1
    layer = [scalar_input("x%d" % (i + 1)) for i in range(3)]
    w = 0
    for units in (width, width, 1):
        nxt = []
        for _ in range(units):
            acc = scalar_input("b%d" % w)
            w += 1
            for x in layer:
                weight = scalar_input("w%d" % w)
                w += 1
                prod = node(nodes, kind="op", op="mul", inputs=[weight, x], shape=[])
                acc = node(nodes, kind="op", op="add", inputs=[acc, prod], shape=[])
            nxt.append(node(nodes, kind="op", op="tanh", inputs=[acc], shape=[]))
        layer = nxt
    return nodes, values


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("chain", "fanout", "mlp"):
        sys.exit("usage: make_large_graph.py chain|fanout|mlp N")
    kind, n = sys.argv[1], int(sys.argv[2])
    nodes, values = {"chain": chain, "fanout": fanout, "mlp": mlp}[kind](n)
    doc = {"format": "gradscope-graph", "version": 1, "title": "%s, %d nodes" % (kind, len(nodes)),
           "nodes": nodes, "output": len(nodes) - 1, "values": values}
    json.dump(doc, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

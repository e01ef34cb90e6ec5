// Layered layout: columns, dummy nodes for long links, crossing reduction by barycentres,
// rows placed by isotonic regression (each column's centres as close as possible to their
// neighbours' while keeping their order and gaps), columns spaced for labels. No ImGui.
#include "app/graph/layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>
#include <utility>

namespace gs::app {

Point node_size(bool tensor) { return tensor ? Point{176.0f, 150.0f} : Point{150.0f, 88.0f}; }

namespace {

// The links of a document as lists: for each node, the document indices of its connected inputs
// (slot order) and of its consumers (one entry per link), in compressed rows.
struct Links {
  std::vector<int> in_start, in, out_start, out;
  explicit Links(const GraphModel& model) {
    const auto& nodes = model.nodes();
    const std::size_t n = nodes.size();
    in_start.assign(n + 1, 0);
    out_start.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      in_start[i + 1] = in_start[i];
      for (int s = 0; s < nodes[i].arity; ++s) {
        const int k = model.index_of(nodes[i].inputs[s]);
        if (k < 0) continue;
        in.push_back(k);
        ++in_start[i + 1];
        ++out_start[static_cast<std::size_t>(k) + 1];
      }
    }
    for (std::size_t i = 0; i < n; ++i) out_start[i + 1] += out_start[i];
    out.assign(in.size(), 0);
    std::vector<int> fill(out_start.begin(), out_start.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      for (int e = in_start[i]; e < in_start[i + 1]; ++e) out[static_cast<std::size_t>(fill[static_cast<std::size_t>(in[e])]++)] = static_cast<int>(i);
  }
};

}  // namespace

std::vector<int> node_levels(const GraphModel& model) {
  const auto& nodes = model.nodes();
  const int n = static_cast<int>(nodes.size());
  // The longest path from a node without inputs, in one topological pass (Kahn's order): nodes
  // are not stored in topological order after edits.
  const Links links(model);
  std::vector<int> level(n, 0), waiting(n, 0), ready;
  for (int i = 0; i < n; ++i) {
    waiting[i] = links.in_start[i + 1] - links.in_start[i];
    if (waiting[i] == 0) ready.push_back(i);
  }
  for (std::size_t r = 0; r < ready.size(); ++r) {
    const int i = ready[r];
    for (int e = links.out_start[i]; e < links.out_start[i + 1]; ++e) {
      const int c = links.out[e];
      level[c] = std::max(level[c], level[i] + 1);
      if (--waiting[c] == 0) ready.push_back(c);
    }
  }
  if (static_cast<int>(ready.size()) == n) return level;
  // A cycle (only a hand-made file can hold one; the build refuses it): relax, as before, at
  // most n passes.
  level.assign(n, -1);
  bool changed = true;
  for (int pass = 0; changed && pass <= n; ++pass) {
    changed = false;
    for (int i = 0; i < n; ++i) {
      int l = 0;
      for (int e = links.in_start[i]; e < links.in_start[i + 1]; ++e) l = std::max(l, std::max(level[links.in[e]], 0) + 1);
      if (l != level[i]) {
        level[i] = l;
        changed = true;
      }
    }
  }
  return level;
}

std::vector<int> layout_columns(const GraphModel& model) {
  const auto& nodes = model.nodes();
  std::vector<int> column = node_levels(model);
  std::vector<int> first_use(nodes.size(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (int s = 0; s < nodes[i].arity; ++s) {
      const int k = model.index_of(nodes[i].inputs[s]);
      if (k >= 0 && (first_use[k] < 0 || column[i] < first_use[k])) first_use[k] = column[i];
    }
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].kind != NodeKind::Op && first_use[i] > 0) column[i] = first_use[i] - 1;
  return column;
}

namespace {

// A box of the layout: a document node, or a dummy that carries a long link through a column.
struct Box {
  int column = 0;
  float w = 0, h = 0;
  bool dummy = false;
  std::vector<int> pred, succ;  // boxes in the previous and next column
  float y = 0;                  // centre
};

// Centres for one column's boxes, in order, closest in least squares to `want` while each is at
// least sep[i] below the one before and the column stays within the band [0, height]: with
// z_i = y_i − Σ_{j<i} sep_j the order constraint is z non-decreasing, an isotonic regression
// solved by pooling adjacent violators, and the band bounds every z_i by the same two numbers,
// so clamping that solution is the bounded one.
std::vector<float> place_column(const std::vector<float>& want, const std::vector<float>& sep, float first_half, float last_half,
                                float height) {
  const std::size_t n = want.size();
  std::vector<float> offset(n, 0.0f);
  for (std::size_t i = 1; i < n; ++i) offset[i] = offset[i - 1] + sep[i - 1];
  struct Block {
    double sum;
    int count;
    double mean() const { return sum / count; }
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < n; ++i) {
    blocks.push_back({want[i] - offset[i], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      blocks[blocks.size() - 2].sum += blocks.back().sum;
      blocks[blocks.size() - 2].count += blocks.back().count;
      blocks.pop_back();
    }
  }
  const float lo = first_half, hi = std::max(lo, height - (n ? offset[n - 1] : 0.0f) - last_half);
  std::vector<float> y;
  y.reserve(n);
  for (const Block& b : blocks)
    for (int k = 0; k < b.count; ++k) y.push_back(std::clamp(static_cast<float>(b.mean()), lo, hi) + offset[y.size()]);
  return y;
}

// Crossings between the links of two adjacent columns, given each box's row in its column: the
// inversions of the right-hand rows once the links are sorted by their left-hand rows (a Fenwick
// tree counts them in E log V).
long crossings(std::vector<std::pair<int, int>> links, int right_rows) {
  std::sort(links.begin(), links.end());
  std::vector<int> tree(static_cast<std::size_t>(right_rows) + 1, 0);
  long count = 0, seen = 0;
  for (const auto& [l, r] : links) {
    // Links seen so far that end below r cross this one (those with the same left row do not).
    long at_or_above = 0;
    for (int i = r + 1; i > 0; i -= i & -i) at_or_above += tree[i];
    count += seen - at_or_above;
    for (int i = r + 1; i <= right_rows; i += i & -i) ++tree[i];
    ++seen;
  }
  return count;
}


// The columns of a graph whose long links would need too many dummies: each node one column
// before its earliest consumer (an op never before its level), the nodes without consumers at
// their level; a fan-out's sin(x) then sits beside the sum that uses it.
std::vector<int> late_columns(const Links& links, const std::vector<int>& level) {
  const int n = static_cast<int>(level.size());
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Consumers first: every link goes to a higher level.
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return level[a] > level[b]; });
  std::vector<int> column = level;
  for (int i : order) {
    int first = -1;
    for (int e = links.out_start[i]; e < links.out_start[i + 1]; ++e)
      first = first < 0 ? column[links.out[e]] : std::min(first, column[links.out[e]]);
    if (first > 0) column[i] = std::max(level[i], first - 1);
  }
  return column;
}

// The widest label of the links across each gap between columns (gap c: columns c and c + 1):
// links painted onto the gaps they cross, the widest first, each gap once (a link across many
// columns is not walked column by column).
std::vector<float> widest_label_per_gap(std::vector<std::tuple<float, int, int>> spans, int gaps) {
  std::vector<float> widest(static_cast<std::size_t>(std::max(gaps, 0)), 0.0f);
  std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<int> next(static_cast<std::size_t>(std::max(gaps, 0)) + 1);  // the first unpainted gap at or after c
  std::iota(next.begin(), next.end(), 0);
  auto find = [&](int c) {
    int root = c;
    while (next[root] != root) root = next[root];
    while (next[c] != root) c = std::exchange(next[c], root);
    return root;
  };
  for (const auto& [label, from, to] : spans)
    for (int c = find(from); c < to; c = find(c)) {
      widest[c] = label;
      next[c] = c + 1;
    }
  return widest;
}

}  // namespace

LayoutWork layered_layout(GraphModel* model, const std::vector<Point>& size, const std::vector<std::array<float, 3>>& label_width,
                          const LayoutParams& params, const std::vector<char>& beside) {
  const auto& nodes = model->nodes();
  const int n = static_cast<int>(nodes.size());
  LayoutWork work;
  if (n == 0) return work;
  const Links links(*model);
  std::vector<int> column_of = layout_columns(*model);
  auto size_of = [&](int i) { return i < static_cast<int>(size.size()) ? size[i] : node_size(false); };
  // [0] pills beside their consumer: consumer_of[k] >= 0 for a node placed beside it, and the
  // slot it feeds; such a node takes no place in a column (its consumer's box is widened).
  std::vector<int> consumer_of(n, -1), slot_of(n, -1), pill_of(n, -1);
  for (int k = 0; k < n && k < static_cast<int>(beside.size()); ++k) {
    if (!beside[k] || links.in_start[k + 1] != links.in_start[k] || links.out_start[k + 1] - links.out_start[k] != 1) continue;
    const int i = links.out[links.out_start[k]];
    if (i == k || (i < static_cast<int>(beside.size()) && beside[i]) || pill_of[i] >= 0) continue;
    int slot = -1;
    for (int s = 0; s < nodes[i].arity; ++s)
      if (model->index_of(nodes[i].inputs[s]) == k) slot = s;
    // Between the ports above and below its own, with room to spare for their links.
    const float port_gap = size_of(i).y / static_cast<float>(nodes[i].arity + 1);
    if (slot < 0 || (nodes[i].arity > 1 && port_gap < size_of(k).y * 0.5f + 6.0f)) continue;
    consumer_of[k] = i;
    slot_of[k] = slot;
    pill_of[i] = k;
  }
  // Columns left empty by the pills are closed up (`x = -2`: its pill was its graph's first column).
  {
    std::vector<int> used(static_cast<std::size_t>(*std::max_element(column_of.begin(), column_of.end()) + 1), -1);
    for (int i = 0; i < n; ++i)
      if (consumer_of[i] < 0) used[static_cast<std::size_t>(column_of[i])] = 0;
    int next = 0;
    for (int& u : used)
      if (u == 0) u = next++;
    for (int i = 0; i < n; ++i)
      if (consumer_of[i] < 0) column_of[i] = used[static_cast<std::size_t>(column_of[i])];
    for (int i = 0; i < n; ++i)
      if (consumer_of[i] >= 0) column_of[i] = column_of[consumer_of[i]];
  }
  std::size_t long_link_dummies = 0;
  for (int i = 0; i < n; ++i)
    for (int e = links.in_start[i]; e < links.in_start[i + 1]; ++e)
      long_link_dummies += static_cast<std::size_t>(std::max(column_of[i] - column_of[links.in[e]] - 1, 0));
  const std::size_t budget = dummy_budget(static_cast<std::size_t>(n));
  work.shared_channels = long_link_dummies > budget;
  if (work.shared_channels) column_of = late_columns(links, node_levels(*model));

  // [1] boxes: the nodes, then a dummy per column crossed by a long link.
  std::vector<Box> box(n);
  for (int i = 0; i < n; ++i) {
    box[i].column = column_of[i];
    box[i].w = size_of(i).x;
    box[i].h = size_of(i).y;
  }
  const int columns = *std::max_element(column_of.begin(), column_of.end()) + 1;
  // The gap before a column holds the pills of its nodes (with a margin), as it holds labels.
  std::vector<float> pill_gap(static_cast<std::size_t>(columns), 0.0f);
  for (int i = 0; i < n; ++i)
    if (pill_of[i] >= 0)
      pill_gap[box[i].column] = std::max(pill_gap[box[i].column], size_of(pill_of[i]).x + params.beside_gap + params.label_margin);
  // Labels that can only sit in one gap (their link joins two neighbouring columns), per gap.
  std::vector<int> labels_in_gap(static_cast<std::size_t>(std::max(columns - 1, 0)), 0);
  std::vector<std::tuple<float, int, int>> label_spans;
  for (int i = 0; i < n; ++i)
    for (int s = 0; s < nodes[i].arity; ++s) {
      const int k = model->index_of(nodes[i].inputs[s]);
      if (k < 0) continue;
      const float label = i < static_cast<int>(label_width.size()) ? label_width[i][s] : 0.0f;
      if (label > 0 && box[k].column < box[i].column) label_spans.emplace_back(label, box[k].column, box[i].column);
      if (label > 0 && box[i].column == box[k].column + 1) ++labels_in_gap[box[k].column];
    }
  const std::vector<float> label_in_gap = widest_label_per_gap(std::move(label_spans), columns - 1);
  auto dummy = [&](int column) {
    Box d;
    d.column = column;
    d.h = params.channel;
    d.dummy = true;
    box.push_back(d);
    return static_cast<int>(box.size()) - 1;
  };
  auto join = [&](int from, int to) {
    box[from].succ.push_back(to);
    box[to].pred.push_back(from);
  };
  if (!work.shared_channels) {
    // A chain of dummies for each long link.
    for (int i = 0; i < n; ++i)
      for (int s = 0; s < nodes[i].arity; ++s) {
        const int k = model->index_of(nodes[i].inputs[s]);
        if (k < 0) continue;
        int prev = k;
        for (int c = box[k].column + 1; c < box[i].column; ++c) {
          const int id = dummy(c);
          join(prev, id);
          prev = id;
        }
        if (box[prev].column < box[i].column) join(prev, i);
      }
  } else {
    // One chain of dummies per node, as far as its farthest consumer; each consumer joins it in
    // the column before its own. Past the budget a node's long links get none (drawn as they run).
    std::vector<int> chain;
    for (int k = 0; k < n; ++k) {
      int far = box[k].column;
      for (int e = links.out_start[k]; e < links.out_start[k + 1]; ++e) far = std::max(far, box[links.out[e]].column);
      const std::size_t length = static_cast<std::size_t>(std::max(far - box[k].column - 1, 0));
      const bool chained = length > 0 && box.size() - static_cast<std::size_t>(n) + length <= budget;
      chain.clear();
      for (int c = box[k].column + 1; chained && c < far; ++c) {
        const int id = dummy(c);
        join(chain.empty() ? k : chain.back(), id);
        chain.push_back(id);
      }
      for (int e = links.out_start[k]; e < links.out_start[k + 1]; ++e) {
        const int i = links.out[e];
        if (box[i].column == box[k].column + 1) join(k, i);
        else if (chained && box[i].column > box[k].column) join(chain[static_cast<std::size_t>(box[i].column - box[k].column - 2)], i);
      }
    }
  }
  const int total = static_cast<int>(box.size());
  work.boxes = box.size();
  work.dummies = box.size() - static_cast<std::size_t>(n);

  // [2] order within columns: barycentre sweeps, keeping the order with the fewest crossings.
  std::vector<std::vector<int>> col(columns);
  for (int b = 0; b < total; ++b)
    if (b >= n || consumer_of[b] < 0) col[box[b].column].push_back(b);
  std::vector<int> row(total, 0);
  auto number_rows = [&] {
    for (const auto& c : col)
      for (std::size_t r = 0; r < c.size(); ++r) row[c[r]] = static_cast<int>(r);
  };
  auto count_crossings = [&] {
    long sum = 0;
    for (int c = 0; c + 1 < columns; ++c) {
      std::vector<std::pair<int, int>> links;
      for (int b : col[c])
        for (int s : box[b].succ) links.emplace_back(row[b], row[s]);
      sum += crossings(std::move(links), static_cast<int>(col[c + 1].size()));
    }
    return sum;
  };
  number_rows();
  std::vector<std::vector<int>> best = col;
  long best_crossings = count_crossings();
  std::vector<float> key(total, 0.0f);  // of the column being sorted (one allocation, not one per column)
  for (int sweep = 0; sweep < 8 && best_crossings > 0; ++sweep) {
    const bool down = sweep % 2 == 0;  // left to right: by predecessors
    for (int k = 1; k < columns; ++k) {
      const int c = down ? k : columns - 1 - k;
      for (int b : col[c]) {
        const std::vector<int>& nb = down ? box[b].pred : box[b].succ;
        if (nb.empty()) {
          key[b] = static_cast<float>(row[b]);
          continue;
        }
        float sum = 0;
        for (int x : nb) sum += static_cast<float>(row[x]);
        key[b] = sum / static_cast<float>(nb.size());
      }
      std::stable_sort(col[c].begin(), col[c].end(), [&](int a, int b) { return key[a] < key[b]; });
      for (std::size_t r = 0; r < col[c].size(); ++r) row[col[c][r]] = static_cast<int>(r);
    }
    const long now = count_crossings();
    if (now < best_crossings) {
      best_crossings = now;
      best = col;
    }
  }
  col = best;
  number_rows();

  // [3] rows: stacked, then pulled level with their neighbours, alternately from the left and
  // the right, and last from both sides.
  auto separations = [&](const std::vector<int>& c) {
    std::vector<float> sep;
    for (std::size_t r = 1; r < c.size(); ++r) sep.push_back((box[c[r - 1]].h + box[c[r]].h) * 0.5f + params.row_gap);
    return sep;
  };
  // The band every column stays in: as tall as the tallest column stacked, so that pulling rows
  // level with their neighbours never makes the graph taller (a projector is short and wide).
  float band = 0;
  for (auto& c : col) {
    float y = 0;
    for (int b : c) {
      box[b].y = y + box[b].h * 0.5f;
      y += box[b].h + params.row_gap;
    }
    band = std::max(band, y - params.row_gap);
  }
  for (auto& c : col) {
    float y = 0;
    for (int b : c) y += box[b].h + params.row_gap;
    for (int b : c) box[b].y += (band - (y - params.row_gap)) * 0.5f;  // columns centred in the band
  }
  auto pull = [&](int c, bool from_pred, bool from_succ) {
    std::vector<float> want;
    for (int b : col[c]) {
      float sum = 0;
      int count = 0;
      if (from_pred)
        for (int x : box[b].pred) sum += box[x].y, ++count;
      if (from_succ)
        for (int x : box[b].succ) sum += box[x].y, ++count;
      want.push_back(count ? sum / static_cast<float>(count) : box[b].y);
    }
    const std::vector<float> y = place_column(want, separations(col[c]), box[col[c].front()].h * 0.5f, box[col[c].back()].h * 0.5f, band);
    for (std::size_t r = 0; r < col[c].size(); ++r) box[col[c][r]].y = y[r];
  };
  for (int sweep = 0; sweep < 6; ++sweep) {
    if (sweep % 2 == 0)
      for (int c = 1; c < columns; ++c) pull(c, true, false);
    else
      for (int c = columns - 2; c >= 0; --c) pull(c, false, true);
  }
  for (int c = 0; c < columns; ++c) pull(c, true, true);

  // [4] columns: as wide as their widest box, apart by the gap their labels need.
  std::vector<float> width(columns, 0.0f);
  for (int b = 0; b < total; ++b) width[box[b].column] = std::max(width[box[b].column], box[b].w);
  std::vector<float> left(columns, 0.0f);
  for (int c = 1; c < columns; ++c) {
    // Side by side where one above the other they would not fit the graph's height (each label
    // keeps a margin above and below: a link into the node below has its own).
    const float stacked = static_cast<float>(labels_in_gap[c - 1]) * (params.label_height + params.label_margin);
    const float lanes = params.label_height > 0 ? std::max(1.0f, std::ceil(stacked / std::max(band, params.label_height))) : 1.0f;
    const float gap = std::max({params.column_gap, lanes * (label_in_gap[c - 1] + params.label_margin) + params.label_margin, pill_gap[c]});
    left[c] = left[c - 1] + width[c - 1] + gap;
  }
  float top = 0;
  bool first = true;
  for (int i = 0; i < n; ++i) {
    if (consumer_of[i] >= 0) continue;
    const float y = box[i].y - box[i].h * 0.5f;
    top = first ? y : std::min(top, y);
    first = false;
  }
  for (int i = 0; i < n; ++i) {
    if (consumer_of[i] >= 0) continue;
    const int c = box[i].column;
    const float x = std::round(left[c] + (width[c] - box[i].w) * 0.5f);
    const float y = std::round(box[i].y - box[i].h * 0.5f - top);
    model->set_position(nodes[i].id, Point{x, y});
    if (const int k = pill_of[i]; k >= 0) {
      const float port = y + size_of(i).y * static_cast<float>(slot_of[k] + 1) / static_cast<float>(nodes[i].arity + 1);
      model->set_position(nodes[k].id, Point{x - params.beside_gap - size_of(k).x, std::round(std::max(port - size_of(k).y * 0.5f, y))});
    }
  }
  return work;
}

LayoutWork layered_layout(GraphModel* model, const std::vector<char>& tensor, const LayoutParams& params) {
  std::vector<Point> size(model->nodes().size());
  for (std::size_t i = 0; i < size.size(); ++i) size[i] = node_size(i < tensor.size() && tensor[i]);
  return layered_layout(model, size, {}, params);
}

}  // namespace gs::app

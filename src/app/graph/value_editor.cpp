// The value editor's widgets and its pure helpers (literal text, shape text, fills). Parsing of
// literals and randn are the engine's (parse_tensor_literal, input_fill.h). No GL.
#include "app/graph/value_editor.h"

#include "app/base/i18n.h"
#include "app/graph/tensor_heatmap.h"
#include "engine/input_fill.h"
#include "engine/parse.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace gs::app {

namespace {
constexpr int kMaxGridSide = 8;  // cells edited one by one up to this side; larger: the literal
constexpr Index kMaxShapeSide = 4096;

// The shortest text that reads back as exactly `v` (to_chars' round-trip guarantee).
std::string shortest(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : format_number(v);
}

void apply(Session& s, const DocNode& d, TensorD value) {
  const DocId id = d.id;
  const bool reshaped = value.shape() != d.value.shape();
  const std::string name = d.name;
  const std::string shape = value.shape().to_string();
  s.edit([&](GraphModel& m) { m.find(id)->value = std::move(value); });
  if (reshaped) s.set_status(trf(Tr::MsgValueReshaped, name, shape));
}
}  // namespace

std::string tensor_literal(const TensorD& t) {
  if (t.rank() == 0) return shortest(t[0]);
  // Nested lists, last axis innermost, every number exact for editing.
  std::string out;
  std::vector<Index> idx(t.rank(), 0);
  for (Index flat = 0; flat < t.size(); ++flat) {
    int opened = 0;
    for (int a = t.rank() - 1; a >= 0 && idx[a] == 0; --a) ++opened;
    if (flat > 0) out += ", ";
    out += std::string(opened, '[');
    out += shortest(t[flat]);
    int closed = 0;
    for (int a = t.rank() - 1; a >= 0; --a) {
      if (++idx[a] < t.dim(a)) break;
      idx[a] = 0;
      ++closed;
    }
    out += std::string(closed, ']');
  }
  return out;
}

std::optional<Shape> parse_shape_text(std::string_view text, std::string* error) {
  std::vector<Index> dims;
  std::size_t i = 0;
  auto separator = [&](std::size_t at) {
    // ×, x, X, comma, space and brackets separate sizes.
    if (text.compare(at, 2, "\xC3\x97") == 0) return std::size_t{2};  // U+00D7 ×
    const char c = text[at];
    return (c == 'x' || c == 'X' || c == ',' || c == ' ' || c == '\t' || c == '[' || c == ']' || c == '(' || c == ')')
               ? std::size_t{1}
               : std::size_t{0};
  };
  while (i < text.size()) {
    if (std::size_t n = separator(i)) {
      i += n;
      continue;
    }
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec != std::errc() || end == text.data() + i) {
      *error = "expected sizes such as 2 × 3 or 1, 1, 28, 28, found '" + std::string(text.substr(i, 1)) + "'";
      return std::nullopt;
    }
    if (v < 1 || v > kMaxShapeSide) {
      *error = "a size must be a whole number 1 … " + std::to_string(kMaxShapeSide) + ", got " + std::to_string(v);
      return std::nullopt;
    }
    dims.push_back(static_cast<Index>(v));
    i = static_cast<std::size_t>(end - text.data());
    if (i < text.size() && !separator(i)) {
      *error = "expected sizes such as 2 × 3 or 1, 1, 28, 28, found '" + std::string(text.substr(i, 1)) + "'";
      return std::nullopt;
    }
  }
  if (dims.empty()) {
    *error = "give the sizes, such as 2 × 3";
    return std::nullopt;
  }
  if (dims.size() > static_cast<std::size_t>(kMaxRank)) {
    *error = "at most 4 sizes (N, C, H, W)";
    return std::nullopt;
  }
  Shape shape = Shape::of_rank(static_cast<int>(dims.size()), dims.data());
  if (std::string why; !within_element_limit(shape, &why)) {
    *error = why;
    return std::nullopt;
  }
  return shape;
}

std::string shape_text(const Shape& shape) {
  std::string out;
  const char* sep = shape.rank() == 2 ? " \xC3\x97 " : ", ";
  for (int a = 0; a < shape.rank(); ++a) out += (a ? sep : "") + std::to_string(shape[a]);
  return out;
}

TensorD resized(const TensorD& value, const Shape& shape) {
  if (value.shape() == shape) return value;
  TensorD out(shape, value.size() == 1 ? value[0] : 0.0);
  if (value.size() == 1) return out;
  if (value.size() == out.size()) {
    std::copy(value.begin(), value.end(), out.begin());
    return out;
  }
  // Both shapes with as many axes as the longer, leading 1s added.
  const int rank = std::max(value.rank(), shape.rank());
  std::vector<Index> from(static_cast<std::size_t>(rank), 1), to(static_cast<std::size_t>(rank), 1);
  for (int a = 0; a < value.rank(); ++a) from[static_cast<std::size_t>(rank - value.rank() + a)] = value.dim(a);
  for (int a = 0; a < shape.rank(); ++a) to[static_cast<std::size_t>(rank - shape.rank() + a)] = shape[a];
  for (Index k = 0; k < out.size(); ++k) {
    Index rest = k, at = 0, stride = 1;
    bool inside = true;
    for (int a = rank - 1; a >= 0; --a) {
      const Index i = rest % to[static_cast<std::size_t>(a)];
      rest /= to[static_cast<std::size_t>(a)];
      if (i >= from[static_cast<std::size_t>(a)]) inside = false;
      at += i * stride;
      stride *= from[static_cast<std::size_t>(a)];
    }
    if (inside) out[k] = value[at];
  }
  return out;
}

TensorD filled(Fill fill, const Shape& shape, const std::string& name, unsigned draw) {
  switch (fill) {
    case Fill::Random: return seeded_randn(shape, input_seed(name) + draw);
    case Fill::Zeros: return TensorD(shape, 0.0);
    case Fill::Ones: return TensorD(shape, 1.0);
    case Fill::Identity: {
      TensorD t(shape, 0.0);
      if (shape.rank() == 0) {
        t[0] = 1.0;
        return t;
      }
      const Index cols = shape[shape.rank() - 1];
      const Index rows = shape.rank() >= 2 ? shape[shape.rank() - 2] : 1;
      for (Index base = 0; base < t.size(); base += rows * cols)
        for (Index i = 0; i < rows && i < cols; ++i) t[base + i * cols + i] = 1.0;
      return t;
    }
  }
  return TensorD(shape, 0.0);
}

void ValueEditor::draw(Session& s, const DocNode& d) {
  const DocId id = d.id;
  char name[64];
  std::snprintf(name, sizeof name, "%s", d.name.c_str());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::InputText(label(Tr::InspName, "name").c_str(), name, sizeof name, ImGuiInputTextFlags_EnterReturnsTrue) && *name) {
    const std::string n = name;
    s.edit([&](GraphModel& m) { m.find(id)->name = n; });
  }
  if (d.value.rank() == 0) {
    // Dragging only: typing goes to the literal field below, which takes a number or a list
    // (ImGui's own text entry of a drag field drops brackets and commas: [[1,2],[3,4]] → 1234).
    double v = d.value[0];
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    const bool changed =
        ImGui::DragScalar(label(Tr::InspDragValue, "value").c_str(), ImGuiDataType_Double, &v, 0.01f, nullptr, nullptr, "%.6g", ImGuiSliderFlags_NoInput);
    if (ImGui::IsItemActivated()) s.begin_continuous_edit();
    if (changed) s.continuous_edit([&](GraphModel& m) { m.find(id)->value = TensorD::scalar(v); });
  } else {
    // Tensors: a grid of cells when small.
    Index rows = 0, cols = 0;
    tensor_grid(d.value, &rows, &cols);
    if (rows <= kMaxGridSide && cols <= kMaxGridSide) {
      ImGui::PushItemWidth(ImGui::GetFontSize() * 3.2f);
      for (Index r = 0; r < rows; ++r) {
        for (Index c = 0; c < cols; ++c) {
          if (c) ImGui::SameLine();
          double v = d.value[r * cols + c];
          ImGui::PushID(static_cast<int>(r * cols + c));
          const bool changed =
              ImGui::DragScalar("##cell", ImGuiDataType_Double, &v, 0.01f, nullptr, nullptr, "%.3g", ImGuiSliderFlags_NoInput);
          if (ImGui::IsItemActivated()) s.begin_continuous_edit();
          if (changed) {
            const Index k = r * cols + c;
            s.continuous_edit([&](GraphModel& m) { m.find(id)->value[k] = v; });
          }
          ImGui::PopID();
        }
      }
      ImGui::PopItemWidth();
    }
  }
  // The value as text: a number or a nested list; another shape makes the input that tensor.
  if (!editing_literal_) literal_ = tensor_literal(d.value);
  // Labelled beside it (the hint inside shows only while it is empty).
  ImGui::SetNextItemWidth(-(ImGui::CalcTextSize(tr(Tr::InspValueField)).x + ImGui::GetStyle().ItemInnerSpacing.x));
  if (ImGui::InputTextWithHint(label(Tr::InspValueField, "literal").c_str(), tr(Tr::InspValueHint), &literal_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      apply(s, d, parse_tensor_literal(literal_));
    } catch (const std::exception& ex) {
      s.set_status(trf(Tr::MsgBadValue, d.name, ex.what()), true);
    }
    editing_literal_ = false;
  } else {
    editing_literal_ = ImGui::IsItemActive();
  }
  // A shape and the fills.
  if (shape_node_ != d.id) editing_shape_ = false;
  shape_node_ = d.id;
  if (!editing_shape_) std::snprintf(shape_, sizeof shape_, "%s", shape_text(d.value.shape()).c_str());
  // As wide as its placeholder ("rows × cols, or N, C, H, W": never cut), or the room there is.
  const float hint_w = ImGui::CalcTextSize(tr(Tr::InspShapeHint)).x + ImGui::GetStyle().FramePadding.x * 2;
  const float label_w = ImGui::CalcTextSize(tr(Tr::InspShape)).x + ImGui::GetStyle().ItemInnerSpacing.x;
  ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, std::min(hint_w, ImGui::GetContentRegionAvail().x - label_w)));
  const bool entered = ImGui::InputTextWithHint(label(Tr::InspShape, "shape").c_str(), tr(Tr::InspShapeHint), shape_, sizeof shape_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemEdited()) editing_shape_ = true;
  // The shape the fills use: the field's, or the value's own while the field is empty (a scalar).
  std::string shape_error;
  const std::optional<Shape> fill_shape = shape_[0] ? parse_shape_text(shape_, &shape_error) : std::optional<Shape>(Shape{});
  // Enter makes the value that shape, keeping its numbers where they fit (issue 9: a lecturer's
  // "3 x 2" and Enter did nothing; only a fill button used the field).
  if (entered) {
    if (!fill_shape) s.set_status(trf(Tr::MsgBadShape, shape_, shape_error), true);
    else if (*fill_shape != d.value.shape()) apply(s, d, resized(d.value, *fill_shape));
    editing_shape_ = false;
  }
  auto fill_button = [&](Tr text, const char* id, Fill fill) {
    const bool pressed = ImGui::Button(label(text, id).c_str());
    if (ImGui::IsItemHovered() && fill_shape) {
      if (fill == Fill::Random) {
        std::string sizes;
        for (int a = 0; a < fill_shape->rank(); ++a) sizes += (a ? ", " : "") + std::to_string((*fill_shape)[a]);
        ImGui::SetTooltip("%s", trf(Tr::InspRandomTip, d.name, sizes).c_str());
      } else {
        ImGui::SetTooltip("%s", trf(Tr::InspFillTip, tr(text)).c_str());
      }
    }
    if (!pressed) return;
    if (!fill_shape) {
      s.set_status(trf(Tr::MsgBadShape, shape_, shape_error), true);
      return;
    }
    apply(s, d, filled(fill, *fill_shape, d.name, fill == Fill::Random ? random_draw_++ : 0));
    editing_shape_ = false;
  };
  fill_button(Tr::InspRandom, "random", Fill::Random);
  ImGui::SameLine();
  fill_button(Tr::InspZeros, "zeros", Fill::Zeros);
  ImGui::SameLine();
  fill_button(Tr::InspOnes, "ones", Fill::Ones);
  ImGui::SameLine();
  fill_button(Tr::InspIdentity, "identity", Fill::Identity);
}

}  // namespace gs::app

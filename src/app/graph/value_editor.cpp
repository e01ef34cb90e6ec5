// The value editor's widgets. Parsing of literals is the engine's (parse_tensor_literal). No GL.
#include "app/graph/value_editor.h"

#include "app/base/i18n.h"
#include "app/graph/tensor_heatmap.h"
#include "engine/parse.h"

#include <imgui.h>

#include <cmath>
#include <random>

namespace gs::app {

namespace {
constexpr int kMaxGridSide = 8;  // cells edited one by one up to this side; larger: the literal
}  // namespace

std::string tensor_literal(const TensorD& t) {
  if (t.rank() == 0) return format_number(t[0]);
  // Nested lists, last axis innermost, full precision for editing.
  std::string out;
  std::vector<Index> idx(t.rank(), 0);
  for (Index flat = 0; flat < t.size(); ++flat) {
    int opened = 0;
    for (int a = t.rank() - 1; a >= 0 && idx[a] == 0; --a) ++opened;
    if (flat > 0) out += ", ";
    out += std::string(opened, '[');
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", t[flat]);
    out += buf;
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
    double v = d.value[0];
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    const bool changed = ImGui::DragScalar("##value", ImGuiDataType_Double, &v, 0.01f, nullptr, nullptr, "%.6g");
    if (ImGui::IsItemActivated()) s.begin_continuous_edit();
    if (changed) s.continuous_edit([&](GraphModel& m) { m.find(id)->value = TensorD::scalar(v); });
    return;
  }
  // Tensors: a grid of cells when small, a literal always; random and zeros.
  Index rows = 0, cols = 0;
  tensor_grid(d.value, &rows, &cols);
  if (rows <= kMaxGridSide && cols <= kMaxGridSide) {
    ImGui::PushItemWidth(ImGui::GetFontSize() * 3.2f);
    for (Index r = 0; r < rows; ++r) {
      for (Index c = 0; c < cols; ++c) {
        if (c) ImGui::SameLine();
        double v = d.value[r * cols + c];
        ImGui::PushID(static_cast<int>(r * cols + c));
        const bool changed = ImGui::DragScalar("##cell", ImGuiDataType_Double, &v, 0.01f, nullptr, nullptr, "%.3g");
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
  if (ImGui::Button(label(Tr::InspRandom, "random").c_str())) {
    std::mt19937 rng(random_seed_++);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    TensorD t(d.value.shape());
    for (double& x : t) x = std::round(u(rng) * 100.0) / 100.0;  // two decimals read aloud easily
    s.edit([&](GraphModel& m) { m.find(id)->value = t; });
  }
  ImGui::SameLine();
  if (ImGui::Button(label(Tr::InspZeros, "zeros").c_str())) s.edit([&](GraphModel& m) { m.find(id)->value.fill(0.0); });
  if (!editing_literal_) std::snprintf(literal_, sizeof literal_, "%s", tensor_literal(d.value).c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##literal", literal_, sizeof literal_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      TensorD t = parse_tensor_literal(literal_);
      if (t.shape() != d.value.shape()) throw std::invalid_argument(t.shape().to_string() + " ≠ " + d.value.shape().to_string());
      s.edit([&](GraphModel& m) { m.find(id)->value = t; });
    } catch (const std::exception& ex) {
      s.set_status(ex.what(), true);
    }
    editing_literal_ = false;
  } else {
    editing_literal_ = ImGui::IsItemActive();
  }
}

}  // namespace gs::app

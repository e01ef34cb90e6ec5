// The Training page's setup panel (view_setup.h). ImGui only; every check and every message is
// src/nn's, through the ConfigDraft.
//
// [SECTION] fields
// [SECTION] preset and data
// [SECTION] the layer list
// [SECTION] loss and optimizer
// [SECTION] schedule
// [SECTION] the run
#include "app/training/view_setup.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/plot.h"
#include "app/widgets/text_wrap.h"
#include "nn/optimizer.h"
#include "nn/schedule_params.h"
#include "nn/spec_reader.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

namespace gs::app::training {

namespace {

bool chinese() { return language() == Language::Chinese; }

void tooltip(const char* text) {
  if (!text || !*text || !ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Text a person types, as the JSON src/nn is given: a number, true/false, or the text itself
// (src/nn names what is wrong with it). Empty: null (the key is left out: src/nn's default).
nlohmann::json typed_value(const std::string& text) {
  if (text.empty()) return nullptr;
  try {
    nlohmann::json v = nlohmann::json::parse(text);
    if (v.is_number() || v.is_boolean()) return v;
  } catch (const std::exception&) {
  }
  // A list typed as "0.9, 0.999" (Adam's betas).
  if (text.find(',') != std::string::npos) {
    try {
      nlohmann::json v = nlohmann::json::parse("[" + text + "]");
      if (v.is_array()) return v;
    } catch (const std::exception&) {
    }
  }
  return text;
}

const nlohmann::json& at(const nlohmann::json& j, const std::string& section, const std::string& key) {
  static const nlohmann::json null;
  const nlohmann::json* s = section.empty() ? &j : (j.contains(section) ? &j[section] : nullptr);
  if (!s || !s->is_object() || !s->contains(key)) return null;
  return (*s)[key];
}

void label_cell(const char* text, const char* help = nullptr) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  tooltip(help);
  ImGui::TableNextColumn();
}

bool begin_fields(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp)) return false;
  ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

constexpr const char* kDataKinds[] = {"spiral", "moons", "circles", "xor", "blobs", "points", "fashion-mnist", "csv"};
constexpr const char* kLayerTypes[] = {"linear", "conv", "maxpool", "avgpool", "pad", "flatten", "relu", "tanh", "sigmoid"};

}  // namespace

// [SECTION] fields

std::string& SetupView::buffer(const std::string& id, const std::string& shown) {
  // Keyed by the widget's full ImGui id (a layer's "##out" under its PushID is its own field).
  const ImGuiID widget = ImGui::GetID(id.c_str());
  std::string& b = buffers_[widget];
  if (ImGui::GetActiveID() != widget) b = shown;  // follows the draft unless typed in
  return b;
}

void SetupView::value_field(ConfigDraft& draft, const char* id, const std::string& section, const std::string& key,
                            const nlohmann::json& fallback, float width, const char* hint_text) {
  const nlohmann::json& v = at(draft.json(), section, key);
  const std::string shown = v.is_null() ? "" : (v.is_string() ? v.get<std::string>() : schedules::value_text(v));
  std::string& text = buffer(id, shown);
  ImGui::SetNextItemWidth(width);
  const std::string hint = hint_text ? hint_text : fallback.is_null() ? "" : schedules::value_text(fallback);
  if (ImGui::InputTextWithHint(id, hint.c_str(), &text)) {
    const nlohmann::json value = typed_value(text);
    if (value.is_null()) draft.erase(section, key);
    else draft.set(section, key, value);
  }
}

void SetupView::draw_error(const ConfigDraft& draft, DraftSection section, FrameRecord* record) {
  if (draft.ok() || draft.error_section() != section) return;
  schedules::error_text(draft.error(), record);
}

void SetupView::draw(ConfigDraft& draft, FrameRecord* record) {
  draw_preset(draft, record);
  if (ImGui::CollapsingHeader(label(Tr::TrainData, "data").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_data(draft, record);
  if (ImGui::CollapsingHeader(label(Tr::TrainModel, "model").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_model(draft, record);
  if (ImGui::CollapsingHeader(label(Tr::TrainOptimizer, "optimizer").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_optimizer(draft, record);
  if (ImGui::CollapsingHeader(label(Tr::TrainSchedule, "schedule").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_schedule(draft, record);
  if (ImGui::CollapsingHeader(label(Tr::TrainRunSection, "run").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_run(draft, record);
  // A message no section owns.
  draw_error(draft, DraftSection::Run, record);
}

// [SECTION] preset and data

void SetupView::draw_preset(ConfigDraft& draft, FrameRecord* record) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::TrainPreset));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  const std::string current = draft.preset_name().empty() ? std::string(tr(Tr::TrainCustom)) : draft.preset_name();
  const bool open = ImGui::BeginCombo("##preset", current.c_str(), ImGuiComboFlags_HeightLarge);
  if (!open) record_last_item(record, "preset", current);
  if (open) {
    // ImGui draws the list hidden in the frame it opens (the page asks for the next one).
    const bool shown = !ImGui::IsWindowAppearing();
    for (const std::string& name : nn::preset_names()) {
      if (record && shown) record->visible_text.push_back(name);
      if (ImGui::Selectable(name.c_str(), name == draft.preset_name())) {
        preset_error_.clear();
        if (!draft.load_preset(name, &preset_error_)) preset_error_ = trf(Tr::TrainPresetRefused, name, preset_error_);
      }
      try {
        const nlohmann::json p = nn::preset(name);
        if (ImGui::IsItemHovered()) tooltip(translate(p.value("description", "")).c_str());
      } catch (const std::exception&) {
      }
    }
    ImGui::EndCombo();
  }
  if (!draft.config().description.empty()) {
    // The shipped presets' descriptions in the interface's language (the table's translate());
    // a description of the user's own is shown as written.
    const std::string description = translate(draft.config().description);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextDim);
    widgets::TextWrappedAtSpaces(description);
    ImGui::PopStyleColor();
    if (record) record->visible_text.push_back(description);
  }
  if (!preset_error_.empty()) schedules::error_text(preset_error_, record);
  if (record) record->visible_text.push_back(std::string(tr(Tr::TrainPreset)) + " " + current);
}

void SetupView::draw_data(ConfigDraft& draft, FrameRecord* record) {
  const nlohmann::json& data = draft.json()["data"];
  const std::string kind = data.value("name", "");
  if (begin_fields("data_fields")) {
    label_cell(tr(Tr::TrainDataKind));
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##kind", kind.c_str())) {
      for (const char* k : kDataKinds)
        if (ImGui::Selectable(k, kind == k)) draft.set_data_kind(k);
      ImGui::EndCombo();
    }
    const bool synthetic = kind == "spiral" || kind == "moons" || kind == "circles" || kind == "xor" || kind == "blobs";
    if (synthetic) {
      label_cell(tr(Tr::TrainDataSize), tr(Tr::TrainDataSizeHelp));
      value_field(draft, "##size", "data", "size", 300);
      label_cell(tr(Tr::TrainDataNoise), tr(Tr::TrainDataNoiseHelp));
      value_field(draft, "##noise", "data", "noise", nullptr);
      if (kind == "spiral" || kind == "blobs") {
        label_cell(tr(Tr::TrainDataClasses));
        value_field(draft, "##classes", "data", "classes", 3);
      }
    }
    if (kind == "points") {
      label_cell(tr(Tr::TrainPoints));
      const std::size_t n = data.contains("points") && data["points"].is_array() ? data["points"].size() : 0;
      widgets::TextWrappedAtSpaces(trf(Tr::TrainPointsHelp, std::to_string(n)));
      if (ImGui::SmallButton(tr(Tr::TrainPointsClear))) draft.set("data", "points", nlohmann::json::array());
    }
    if (synthetic || kind == "points" || kind == "csv") {
      label_cell(tr(Tr::TrainDataTest), tr(Tr::TrainDataTestHelp));
      value_field(draft, "##test_fraction", "data", "test_fraction", 0.0);
      label_cell(tr(Tr::TrainDataSeed));
      // The seed beside "Regenerate", the button as wide as its name (half the row cut it to
      // "Regenerat" in the 1024×768 panel), the field never narrower than three digits.
      const float regenerate_w = ImGui::CalcTextSize(tr(Tr::TrainRegenerate)).x + ImGui::GetStyle().FramePadding.x * 2.0f;
      const float seed_w = std::max(ImGui::GetFontSize() * 3.0f, ImGui::GetContentRegionAvail().x - regenerate_w - ImGui::GetStyle().ItemSpacing.x);
      value_field(draft, "##data_seed", "data", "seed", 0, synthetic ? seed_w : -1);
      if (synthetic) {
        ImGui::SameLine();
        if (ImGui::Button(tr(Tr::TrainRegenerate), ImVec2(std::max(regenerate_w, ImGui::GetContentRegionAvail().x), 0))) draft.regenerate();
        record_last_item(record, "regenerate", tr(Tr::TrainRegenerate));
        tooltip(tr(Tr::TrainRegenerateHelp));
      }
    }
    if (kind == "fashion-mnist") {
      label_cell(tr(Tr::TrainDataDir));
      value_field(draft, "##dir", "data", "dir", nn::kFashionMnistDir);
      label_cell(tr(Tr::TrainTrainLimit), tr(Tr::TrainLimitHelp));
      // Empty or 0: every image. The grey hint says "all", not a bare "0" (none, a reader thought).
      value_field(draft, "##train_limit", "data", "train_limit", 0, -1, tr(Tr::TrainAllImages));
      label_cell(tr(Tr::TrainTestLimit), tr(Tr::TrainLimitHelp));
      value_field(draft, "##test_limit", "data", "test_limit", 0, -1, tr(Tr::TrainAllImages));
    }
    if (kind == "csv") {
      label_cell(tr(Tr::TrainDataPath));
      value_field(draft, "##path", "data", "path", nullptr);
      // A file that is not there is said here, as it is typed (not only when a run is built).
      const std::string path = data.contains("path") && data["path"].is_string() ? data["path"].get<std::string>() : "";
      std::error_code ec;
      if (!path.empty() && !std::filesystem::is_regular_file(path, ec)) schedules::error_text(trf(Tr::TrainDataPathMissing, path), record);
      label_cell(tr(Tr::TrainDataLabel), tr(Tr::TrainDataLabelHelp));
      value_field(draft, "##label", "data", "label", "-1");
    }
    if (!synthetic && kind != "points") {
      label_cell(tr(Tr::TrainNormalize));
      const std::string norm = data.value("normalize", "none");
      ImGui::SetNextItemWidth(-1);
      if (ImGui::BeginCombo("##normalize", norm.c_str())) {
        for (const char* n : {"none", "standard", "global"})
          if (ImGui::Selectable(n, norm == n)) draft.set("data", "normalize", n);
        ImGui::EndCombo();
      }
    }
    ImGui::EndTable();
  }
  draw_error(draft, DraftSection::Data, record);
}

// [SECTION] the layer list

void SetupView::draw_model(ConfigDraft& draft, FrameRecord* record) {
  const std::vector<LayerRow> rows = draft.layers();
  std::string input;
  for (const nlohmann::json& d : draft.json()["model"].value("input", nlohmann::json::array()))
    input += (input.empty() ? "" : "×") + schedules::value_text(d);
  ImGui::TextDisabled("%s", trf(Tr::TrainInputShape, "[" + input + "]").c_str());
  const float field_w = ImGui::GetFontSize() * 3.0f;
  // The type's box as wide as its longest name and the arrow ("maxpool" was cut to "maxpo").
  float type_w = 0;
  for (const char* t : kLayerTypes) type_w = std::max(type_w, ImGui::CalcTextSize(t).x);
  type_w += ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2;
  int remove = -1, up = -1, down = -1;
  std::int64_t parameters = 0;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const LayerRow& row = rows[static_cast<std::size_t>(i)];
    parameters += row.parameters;
    ImGui::PushID(i);
    const std::string type = row.spec.value("type", "");
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%d", i + 1);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(type_w);
    if (ImGui::BeginCombo("##type", type.c_str())) {
      for (const char* t : kLayerTypes)
        if (ImGui::Selectable(t, type == t)) draft.set_layer_type(i, t);
      ImGui::EndCombo();
    }
    // The layer's own sizes: beside the type when they fit before the buttons, else on a line of
    // their own below (a conv's four sizes in a narrow panel).
    struct Size {
      const char* key;
      const char* shown_as;
      nlohmann::json fallback;
    };
    std::vector<Size> sizes;
    if (type == "linear") sizes.push_back({"out", tr(Tr::TrainLayerOut), nullptr});
    if (type == "conv") {
      sizes.push_back({"out_channels", tr(Tr::TrainLayerOut), nullptr});
      sizes.push_back({"kernel", "k", nullptr});
      sizes.push_back({"stride", "s", 1});
      sizes.push_back({"padding", "p", 0});
    }
    if (type == "maxpool" || type == "avgpool") {
      sizes.push_back({"kernel", "k", 2});
      sizes.push_back({"stride", "s", row.spec.value("kernel", 2)});
      sizes.push_back({"padding", "p", 0});
    }
    if (type == "pad") sizes.push_back({"padding", "p", nullptr});
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float buttons = ImGui::GetFrameHeight() * 3 + spacing * 2;
    float needed = 0;
    for (const Size& z : sizes) needed += spacing + ImGui::CalcTextSize(z.shown_as).x + 2 + field_w;
    ImGui::SameLine();  // where the sizes would start (the next item's SameLine lands here again)
    const bool wrap = ImGui::GetCursorPosX() + needed + spacing > ImGui::GetContentRegionMax().x - buttons;
    auto draw_sizes = [&] {
      for (std::size_t k = 0; k < sizes.size(); ++k) {
        const Size& z = sizes[k];
        if (k > 0 || !wrap) ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(z.shown_as);
        ImGui::SameLine(0, 2);
        const nlohmann::json v = row.spec.contains(z.key) ? row.spec[z.key] : nlohmann::json();
        std::string& text = buffer(std::string("##") + z.key, v.is_null() ? "" : schedules::value_text(v));
        ImGui::SetNextItemWidth(field_w);
        const std::string hint = z.fallback.is_null() ? "" : schedules::value_text(z.fallback);
        if (ImGui::InputTextWithHint((std::string("##") + z.key).c_str(), hint.c_str(), &text)) draft.set_layer(i, z.key, typed_value(text));
      }
    };
    if (!wrap) draw_sizes();
    // Reorder and remove at the right.
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetContentRegionMax().x - buttons));
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) up = i;
    tooltip(tr(Tr::SchedMoveUp));
    ImGui::SameLine();
    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) down = i;
    tooltip(tr(Tr::SchedMoveDown));
    ImGui::SameLine();
    if (ImGui::Button("−", ImVec2(ImGui::GetFrameHeight(), 0))) remove = i;
    tooltip(tr(Tr::TrainRemoveLayer));
    if (wrap) {
      ImGui::Indent(ImGui::GetFontSize() * 1.2f);
      draw_sizes();
      ImGui::Unindent(ImGui::GetFontSize() * 1.2f);
    }
    // The shape after it, or why it does not fit.
    ImGui::Indent(ImGui::GetFontSize() * 1.2f);
    if (!row.error.empty()) {
      schedules::error_text(row.error, record);
    } else if (!row.shape.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextDim);
      std::string line = "→ " + row.shape + "   " + row.title;
      const std::string count = row.parameters > 0 ? trf(Tr::TrainParams, std::to_string(row.parameters)) : "";
      // Whole when it fits; else the parameter count on a line of its own (at 1600 px a conv's
      // "156 parameters" was cut at the panel's edge), wrapped at words if even that is too wide.
      const bool whole = ImGui::GetCursorPosX() + ImGui::CalcTextSize((line + "   " + count).c_str()).x <= ImGui::GetContentRegionMax().x;
      if (whole && !count.empty()) line += "   " + count;
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(line.c_str());
      if (!whole && !count.empty()) ImGui::TextUnformatted(count.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
      if (record) record->visible_text.push_back(line);
      if (record && !whole && !count.empty()) record->visible_text.push_back(count);
    }
    ImGui::Unindent(ImGui::GetFontSize() * 1.2f);
    ImGui::PopID();
  }
  if (up > 0) draft.move_layer(up, up - 1);
  if (down >= 0 && down + 1 < static_cast<int>(rows.size())) draft.move_layer(down, down + 1);
  if (remove >= 0) draft.remove_layer(remove);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
  if (ImGui::BeginCombo("##add_layer", tr(Tr::TrainAddLayer))) {
    for (const char* t : kLayerTypes)
      if (ImGui::Selectable(t)) {
        nlohmann::json l = {{"type", t}};
        if (std::string(t) == "linear") l["out"] = 16;
        if (std::string(t) == "conv") l = {{"type", "conv"}, {"out_channels", 8}, {"kernel", 3}, {"padding", 1}};
        if (std::string(t) == "maxpool" || std::string(t) == "avgpool") l["kernel"] = 2;
        if (std::string(t) == "pad") l["padding"] = 1;
        // Before the output layer: a new hidden layer is what one usually adds.
        draft.add_layer(std::max(0, static_cast<int>(rows.size()) - 1), l);
      }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", trf(Tr::TrainParamsTotal, std::to_string(parameters)).c_str());
  draw_error(draft, DraftSection::Model, record);
  if (!draft.ok() && draft.error_section() == DraftSection::Layer &&
      (draft.error_layer() < 0 || draft.error_layer() >= static_cast<int>(rows.size())))
    schedules::error_text(draft.error(), record);
  // The loss goes with the model's outputs.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::TrainLoss));
  ImGui::SameLine();
  const std::string loss = draft.json().value("loss", "cross_entropy");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##loss", loss.c_str())) {
    for (const char* l : {"cross_entropy", "mse", "hinge"})
      if (ImGui::Selectable(l, loss == l)) draft.set("", "loss", l);
    ImGui::EndCombo();
  }
  tooltip(tr(Tr::TrainLossHelp));
  draw_error(draft, DraftSection::Loss, record);
}

// [SECTION] loss and optimizer

void SetupView::draw_optimizer(ConfigDraft& draft, FrameRecord* record) {
  const nlohmann::json& opt = draft.json()["optimizer"];
  const std::string name = opt.value("name", "sgd");
  if (begin_fields("optimizer_fields")) {
    label_cell(tr(Tr::TrainOptimizerKind));
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##opt", name.c_str())) {
      for (const char* o : {"sgd", "adam", "adamw"})
        if (ImGui::Selectable(o, name == o)) {
          // Keys of the old optimizer that the new one does not read would be refused.
          nlohmann::json j = {{"name", o}, {"lr", opt.value("lr", nlohmann::json(0.01))}};
          for (const char* k : {"weight_decay", "l1", "clip_norm"})
            if (opt.contains(k)) j[k] = opt[k];
          draft.set("", "optimizer", j);
        }
      ImGui::EndCombo();
    }
    label_cell("lr", tr(Tr::TrainLrHelp));
    value_field(draft, "##lr", "optimizer", "lr", 0.01);
    if (name == "sgd") {
      label_cell("momentum", tr(Tr::TrainMomentumHelp));
      value_field(draft, "##momentum", "optimizer", "momentum", 0.0);
      label_cell(tr(Tr::TrainMomentumForm));
      const std::string form = opt.value("form", "pytorch");
      int f = form == "seed002" ? 1 : 0;
      if (ImGui::RadioButton("v = μv + g, θ −= ηv", &f, 0)) draft.set("optimizer", "form", "pytorch");
      tooltip(tr(Tr::TrainFormTorchHelp));
      if (ImGui::RadioButton("v = μv − ηg, θ += v", &f, 1)) draft.set("optimizer", "form", "seed002");
      tooltip(tr(Tr::TrainFormSeedHelp));
      label_cell("nesterov");
      bool nesterov = opt.value("nesterov", false);
      if (ImGui::Checkbox("##nesterov", &nesterov)) draft.set("optimizer", "nesterov", nesterov);
      tooltip(tr(Tr::TrainNesterovHelp));
      label_cell("dampening");
      value_field(draft, "##dampening", "optimizer", "dampening", 0.0);
    } else {
      label_cell("betas", tr(Tr::TrainBetasHelp));
      // Empty, the field shows src/nn's defaults as typed ("0.9, 0.999"): it was blank.
      const nn::OptimizerConfig defaults;
      const std::string betas = schedules::value_text(defaults.beta1) + ", " + schedules::value_text(defaults.beta2);
      value_field(draft, "##betas", "optimizer", "betas", nullptr, -1, betas.c_str());
      const nlohmann::json& typed = at(draft.json(), "optimizer", "betas");
      record_last_item(record, "betas", typed.is_null() ? betas : typed.dump());
      label_cell("eps");
      value_field(draft, "##eps", "optimizer", "eps", 1e-8);
      label_cell("amsgrad");
      bool ams = opt.value("amsgrad", false);
      if (ImGui::Checkbox("##amsgrad", &ams)) draft.set("optimizer", "amsgrad", ams);
    }
    label_cell(name == "adamw" ? "weight_decay" : "weight_decay (L2)", tr(name == "adamw" ? Tr::TrainDecoupledHelp : Tr::TrainL2Help));
    value_field(draft, "##weight_decay", "optimizer", "weight_decay", 0.0);
    label_cell("l1", tr(Tr::TrainL1Help));
    value_field(draft, "##l1", "optimizer", "l1", 0.0);
    label_cell("clip_norm", tr(Tr::TrainClipHelp));
    value_field(draft, "##clip_norm", "optimizer", "clip_norm", 0.0);
    ImGui::EndTable();
  }
  // betas is a list: typed as "0.9, 0.999".
  draw_error(draft, DraftSection::Optimizer, record);
}

// [SECTION] schedule

void SetupView::draw_schedule(ConfigDraft& draft, FrameRecord* record) {
  schedules::ScheduleLab& lab = draft.schedule_lab();
  const nlohmann::json& spec = draft.json().contains("schedule") ? draft.json()["schedule"] : nlohmann::json();
  const nn::ScheduleInfo* info = schedules::info_of(&spec);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  if (ImGui::BeginCombo("##schedule", info ? info->torch_class.c_str() : tr(Tr::TrainConstantLr), ImGuiComboFlags_HeightLarge)) {
    if (ImGui::Selectable(tr(Tr::TrainConstantLr), !info)) draft.set_schedule("");
    for (const nn::ScheduleInfo& s : nn::schedule_table()) {
      if (s.composite) continue;
      if (ImGui::Selectable(s.torch_class.c_str(), info && info->name == s.name)) draft.set_schedule(s.name);
      schedules::help_tooltip(chinese() ? s.summary_zh : s.summary);
    }
    ImGui::EndCombo();
  }
  // "per epoch" and "per batch" beside the schedule when both fit (at 1600 px "per batch" was cut
  // at the panel's edge), else on the line below.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float radios = ImGui::GetFrameHeight() * 2 + style.ItemInnerSpacing.x * 2 + style.ItemSpacing.x * 2 +
                       ImGui::CalcTextSize(tr(Tr::TrainPerEpoch)).x + ImGui::CalcTextSize(tr(Tr::TrainPerBatch)).x;
  if (ImGui::GetItemRectMax().x + radios <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
  const bool per_batch = draft.json().value("schedule_step", "epoch") == "batch";
  int step = per_batch ? 1 : 0;
  if (ImGui::RadioButton(tr(Tr::TrainPerEpoch), &step, 0)) draft.set("", "schedule_step", "epoch");
  ImGui::SameLine();
  if (ImGui::RadioButton(tr(Tr::TrainPerBatch), &step, 1)) draft.set("", "schedule_step", "batch");
  tooltip(tr(Tr::TrainPerBatchHelp));
  if (lab.size() > 0) {
    schedule_params_.draw(lab, 0, record);
    if (lab.entry(0).entry.spec != spec) draft.schedule_edited();
    // The curve in miniature, over this run's length: a picture that always follows the edits. It
    // took the wheel when the panel was scrolled past it (zoomed, it then stopped following: a
    // learning rate of 0 typed later was drawn outside its view, an empty plot).
    const schedules::LabEntry& e = lab.entry(0);
    const std::vector<double>& lr = e.curves.series.lr;
    if (!lr.empty() &&
        widgets::BeginPlot("##schedule_miniature", ImVec2(-1, ImGui::GetFontSize() * 6.0f),
                           widgets::PlotFlags::NoLegend | widgets::PlotFlags::NoMenu | widgets::PlotFlags::NoTitle | widgets::PlotFlags::NoInputs)) {
      widgets::SetupAxis(widgets::PlotAxis::X, per_batch ? tr(Tr::TrainStepAxis) : tr(Tr::TrainEpochAxis), widgets::PlotAxisFlags::Integer);
      widgets::SetupAxis(widgets::PlotAxis::Y1, "lr");
      widgets::SetNextLineStyle(IM_COL32(31, 119, 180, 255), 2.0f);
      widgets::PlotStairs(e.label().c_str(), lr.data(), static_cast<int>(lr.size()));
      widgets::EndPlot();
    }
  }
  draw_error(draft, DraftSection::Schedule, record);
}

// [SECTION] the run

void SetupView::draw_run(ConfigDraft& draft, FrameRecord* record) {
  if (begin_fields("run_fields")) {
    label_cell("batch_size");
    value_field(draft, "##batch_size", "", "batch_size", 32);
    label_cell("epochs");
    value_field(draft, "##epochs", "", "epochs", 10);
    label_cell("seed", tr(Tr::TrainSeedHelp));
    value_field(draft, "##seed", "", "seed", 0);
    label_cell("threads", tr(Tr::TrainThreadsHelp));
    value_field(draft, "##threads", "", "threads", 1);
    ImGui::EndTable();
  }
  (void)record;
}

}  // namespace gs::app::training

// The graph view: nodes and links on the canvas widget, coloured by the lesson's cursor, and the
// edits that canvas events and keys ask for. Numbers and formulas come from the engine (Lesson,
// Graph::formula, format_tensor); this file only places them. No GL.
//
// [SECTION] drawing: nodes
// [SECTION] drawing: links
// [SECTION] events and keys
// [SECTION] add menu and search
#include "app/graph/view_graph.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/tensor_heatmap.h"
#include "app/graph/layout.h"
#include "app/graph/node_face.h"
#include "app/graph/palette.h"
#include "app/graph/paths.h"
#include "app/graph/view_trace.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace gs::app {

namespace {

widgets::NodeKey key_of(DocId id) { return widgets::NodeKey{id.value}; }
DocId doc_of(widgets::NodeKey k) { return DocId{k.value}; }

std::vector<DocId> doc_ids(const std::vector<widgets::NodeKey>& keys) {
  std::vector<DocId> out;
  for (widgets::NodeKey k : keys) out.push_back(doc_of(k));
  return out;
}

// One line of text centred in the node at `y_canvas` below its top, shrunk (never below
// face::kSmallSize) to fit the node's width.
void node_line(const widgets::CanvasRect& r, float y_canvas, float size, ImU32 col, const std::string& text, float zoom,
               ImFont* cjk_font = nullptr) {
  const float width_px = r.max.x - r.min.x - 2 * face::kPadX * zoom;
  if (cjk_font && has_cjk(text)) {
    // Translated text (a NaN reason in Chinese): the interface font has the glyphs the canvas's
    // fonts lack; shrunk to the node's width.
    float px = size * zoom;
    const ImVec2 sz = cjk_font->CalcTextSizeA(px, FLT_MAX, 0.0f, text.c_str());
    if (sz.x > width_px && sz.x > 0) px *= width_px / sz.x;
    const ImVec2 ts = cjk_font->CalcTextSizeA(px, FLT_MAX, 0.0f, text.c_str());
    widgets::GetCanvasDrawList()->AddText(cjk_font, px, ImVec2(std::floor((r.min.x + r.max.x - ts.x) * 0.5f), std::floor(r.min.y + y_canvas * zoom)),
                                          col, text.c_str());
    return;
  }
  float px = size * zoom;
  const ImVec2 sz = widgets::CalcCanvasTextSize(px, text.c_str());
  if (sz.x > width_px && sz.x > 0) px = std::max(px * width_px / sz.x, std::min(px, face::kSmallSize * zoom));
  widgets::CanvasTextScreen(ImVec2((r.min.x + r.max.x) * 0.5f, r.min.y + y_canvas * zoom), px, col, text.c_str(), ImVec2(0.5f, 0.0f));
}

// A node's problem line ("⚠ " and the engine's English reason, node_face.cpp) in the interface's
// language.
std::string translated_problem(const std::string& line) {
  const std::string mark = "⚠ ";
  return line.rfind(mark, 0) == 0 ? mark + translate(line.substr(mark.size())) : translate(line);
}

// A colour scale's end: two significant digits are enough to read a colour by.

}  // namespace

// [SECTION] drawing: nodes

// Canvas text smaller than this (pixels) is hard to read on a projector from the back of a hall.
constexpr float kLectureTextPx = 12.0f;

void GraphView::draw(ViewContext& ctx, ImVec2 size) {
  const ImVec2 last_centre((region_min_.x + region_max_.x) * 0.5f, (region_min_.y + region_max_.y) * 0.5f);
  region_min_ = ImGui::GetCursorScreenPos();
  region_max_ = ImVec2(region_min_.x + size.x, region_min_.y + size.y);
  if (ctx.session.generation() != fitted_generation_) {  // a new graph: show all of it
    widgets::RequestCanvasFit(&canvas_);
    canvas_.selection.clear();
    fitted_generation_ = ctx.session.generation();
  }
  // View ▸ Text size (Ctrl+= / Ctrl+- / Ctrl+0) is one zoom for everything: the canvas zooms by
  // the same ratio as the interface's text, what was at its centre staying there (its fonts are
  // baked per size: crisp). Not refitted although the canvas's size changes with the text (the
  // toolbar and the banner grow with it): refitted, the graph shrank as the text grew (issue 9).
  const ImGuiIO& io = ImGui::GetIO();
  const float ui_px = io.FontDefault ? io.FontDefault->FontSize : io.Fonts->Fonts.empty() ? 0.0f : io.Fonts->Fonts[0]->FontSize;
  const bool text_resized = ui_font_px_ > 0 && ui_px != ui_font_px_;
  const auto& t = canvas_.transform, &f = fitted_transform_;
  const bool as_fitted = t.zoom == f.zoom && t.pan_screen.x == f.pan_screen.x && t.pan_screen.y == f.pan_screen.y;
  if (text_resized && !canvas_.fit_requested) {
    // (Not clamped to kMinZoom from below: a large graph fitted further out stays in scale.)
    centre_on(t.canvas_from_screen(last_centre), std::min(t.zoom * ui_px / ui_font_px_, widgets::kMaxZoom));
  } else if (!canvas_.fit_requested && as_fitted && (size.x != fitted_size_.x || size.y != fitted_size_.y)) {
    widgets::RequestCanvasFit(&canvas_);
  }
  const bool fitting = canvas_.fit_requested;
  ui_font_px_ = ui_px;
  if (ctx.focus.from_table) {
    canvas_.selection.clear();
    if (ctx.focus.selected.valid()) canvas_.selection.push_back(key_of(ctx.focus.selected));
    ctx.focus.from_table = false;
  }
  // Links beside the canvas are left alone (a large graph zoomed in), unless the frame record
  // lists them all.
  canvas_.route_offscreen = ctx.record != nullptr;
  // Only what is in view is submitted, with the whole layout for the routes and the fit; while
  // nodes are dragged (their boxes are not the layout's) and for a frame record, everything.
  index_layout(ctx.session);
  const ImVec2 moved = canvas_.move_delta_canvas;
  const bool moving = canvas_.drag == widgets::CanvasDrag::MoveNodes && (moved.x != 0.0f || moved.y != 0.0f);
  widgets::BeginCanvas("graph_canvas", &canvas_, size, moving ? nullptr : &index_.layout());
  choose_submitted(ctx, moving || ctx.record || !cull_);
  draw_nodes(ctx);
  draw_links(ctx);
  if (canvas_.routes_pending > 0) ctx.redraw.request_at(ctx.now);  // the rest of the routes next frame
  if (ctx.record) {
    ctx.record->canvas_rect[0] = region_min_.x, ctx.record->canvas_rect[1] = region_min_.y;
    ctx.record->canvas_rect[2] = region_max_.x, ctx.record->canvas_rect[3] = region_max_.y;
    ctx.record->canvas_zoom = widgets::GetCanvasZoom();
    ctx.record->min_text_px = canvas_.min_text_px;
  }
  const bool small_text = canvas_.min_text_px > 0 && canvas_.min_text_px < kLectureTextPx;
  if (small_text && ctx.record) {
    // Why: the graph needs this much room in canvas units, the canvas has these pixels.
    const auto [lo, hi] = ctx.session.bounds();
    char why[200];
    std::snprintf(why, sizeof why, "the graph is %.0f x %.0f canvas units, the canvas %.0f x %.0f px: at zoom %.2f its smallest text is %.1f px",
                  hi.x - lo.x, hi.y - lo.y, size.x, size.y, widgets::GetCanvasZoom(), canvas_.min_text_px);
    ctx.record->small_text_reason = why;
  }
  widgets::EndCanvas();
  if (fitting && !canvas_.fit_requested) {
    fitted_size_ = size;
    fitted_transform_ = canvas_.transform;
  }
  apply_events(ctx);
  handle_keys(ctx);
  draw_add_menu(ctx);
  draw_search_popup(ctx);
  draw_value_popup(ctx);

  // The bottom line of the canvas, inside the fit's margin (nothing fitted is drawn there), in the
  // interface font (it is translated): the small-text warning first, where the lecturer looks,
  // then the key hint if the line has room for it. A presentation shows the lesson only.
  if (ctx.presenting || ctx.picture) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 at(region_min_.x + 8, region_max_.y - ImGui::GetTextLineHeight() - 4);
  auto note = [&](const std::string& text, ImU32 colour) {
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    if (at.x > region_min_.x + 8 && at.x + ts.x > region_max_.x - 8) return false;  // the first is always drawn
    dl->AddText(at, colour, text.c_str());
    if (ctx.record) {
      ctx.record->visible_text.push_back(text);
      ctx.record->canvas_notes.push_back(text);
      ctx.record->canvas_note_rects.push_back({at.x, at.y, at.x + ts.x, at.y + ts.y});
    }
    at.x += ts.x + ImGui::GetFontSize() * 1.5f;
    return true;
  };
  if (small_text) {
    // How to make it readable from the back of the room. The size is rounded down, one decimal:
    // 11.6 px is not "12 px".
    char px[16];
    std::snprintf(px, sizeof px, "%.1f", std::floor(canvas_.min_text_px * 10.0f) / 10.0f);
    note(trf(Tr::CanvasSmallText, px, std::to_string(static_cast<int>(kLectureTextPx))), theme::kProblem);
  }
  note(tr(Tr::CanvasHint), theme::kTextDim);
}

void GraphView::index_layout(const Session& s) {
  const std::uint64_t version = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(s.generation())) << 40) ^ s.layout_version();
  if (version == indexed_version_) return;
  indexed_version_ = version;
  const GraphModel& model = s.model();
  const std::vector<Point>& sizes = s.node_sizes();
  std::vector<widgets::NodeKey> keys;
  std::vector<widgets::CanvasRect> rects;
  std::vector<int> slots;
  std::vector<IndexedLink> links;
  keys.reserve(model.nodes().size());
  rects.reserve(model.nodes().size());
  for (std::size_t i = 0; i < model.nodes().size(); ++i) {
    const DocNode& d = model.nodes()[i];
    keys.push_back(key_of(d.id));
    slots.push_back(d.arity);
    rects.push_back(widgets::CanvasRect{ImVec2(d.pos.x, d.pos.y), ImVec2(d.pos.x + sizes[i].x, d.pos.y + sizes[i].y)});
    for (int slot = 0; slot < d.arity; ++slot)
      if (const int from = d.inputs[slot].valid() ? model.index_of(d.inputs[slot]) : -1; from >= 0)
        links.push_back(IndexedLink{from, static_cast<int>(i), slot});
  }
  index_.build(std::move(keys), std::move(rects), slots, std::move(links));
}

void GraphView::choose_submitted(const ViewContext& ctx, bool everything) {
  all_drawn_ = everything;
  drawn_nodes_.clear();
  drawn_links_.clear();
  const std::size_t n = ctx.session.model().nodes().size();
  if (everything) {
    for (std::size_t i = 0; i < n; ++i) drawn_nodes_.push_back(static_cast<int>(i));
    for (std::size_t i = 0; i < index_.links().size(); ++i) drawn_links_.push_back(static_cast<int>(i));
    return;
  }
  const widgets::CanvasTransform& t = canvas_.transform;
  auto around_canvas = [&](ImVec2 margin_px) {
    return widgets::CanvasRect{t.canvas_from_screen(ImVec2(region_min_.x - margin_px.x, region_min_.y - margin_px.y)),
                               t.canvas_from_screen(ImVec2(region_max_.x + margin_px.x, region_max_.y + margin_px.y))};
  };
  index_.links_in(around_canvas(kLinkMarginPx), &drawn_links_);
  index_.nodes_in(around_canvas(ImVec2(kNodeMarginPx, kNodeMarginPx)), &drawn_nodes_);
  // The canvas places a link by its two ports: both ends of each link are submitted.
  for (int l : drawn_links_) {
    drawn_nodes_.push_back(index_.links()[static_cast<std::size_t>(l)].from);
    drawn_nodes_.push_back(index_.links()[static_cast<std::size_t>(l)].to);
  }
  sort_unique_indices(&drawn_nodes_, n);
}

void GraphView::draw_nodes(ViewContext& ctx) {
  const GraphModel& model = ctx.session.model();
  const Lesson& lesson = ctx.session.lesson();
  const BuiltGraph& built = lesson.built();
  const Graph& g = built.graph;
  const bool ready = lesson.ready();
  const NodeId current = lesson.current_node();
  const std::vector<NodeFace>& faces = ctx.session.faces();
  const std::vector<Point>& sizes = ctx.session.node_sizes();
  const float zoom = widgets::GetCanvasZoom();
  const NodeId nan_node = ready ? lesson.non_finite().node : NodeId{};
  ImDrawList* dl = widgets::GetCanvasDrawList();

  for (const int node : drawn_nodes_) {
    const std::size_t i = static_cast<std::size_t>(node);
    const DocNode& d = model.nodes()[i];
    const NodeFace& face = faces[i];
    const NodeId e = i < built.engine_of.size() ? built.engine_of[i] : NodeId{};
    const Point sz = sizes[i];
    widgets::NodeStyle style;
    style.fill = d.kind == NodeKind::Input ? theme::kInputFill : d.kind == NodeKind::Constant ? theme::kConstantFill : theme::kNodeFill;
    style.border = face.output ? theme::kOutputBorder : theme::kBorder;
    if (face.output) style.border_px = 2.5f;
    if (d.reverse) {
      style.fill = theme::kAdjointNodeFill;  // the extended graph's adjoint part, as seed 004 draws it
      style.border = theme::kAdjoint;
    }
    if (!e.valid()) style.fill = theme::kIncompleteFill;
    style.round_shape = face.compact;
    const bool is_current = e.valid() && e == current;
    if (is_current) {
      style.glow = theme::kCurrent;
      style.border = theme::kCurrentBorder;
      style.border_px = 3.0f;
    }
    if (face.problem) {
      style.border = theme::kProblem;
      style.border_px = 3.0f;
    }
    const widgets::CanvasRect r = widgets::CanvasNode(key_of(d.id), ImVec2(d.pos.x, d.pos.y), ImVec2(sz.x, sz.y), d.arity, style);

    const bool visible = r.max.x >= region_min_.x && r.min.x <= region_max_.x && r.max.y >= region_min_.y && r.min.y <= region_max_.y;
    // Off screen, or zoomed out so far that no text would be legible: the frame is enough (and
    // nothing is copied for a record no one writes: 100,000 nodes a frame).
    const bool draw = visible && zoom * face::kTitleSize >= 5.0f;
    if (!draw && !ctx.record) continue;
    NodeRecord rec;
    rec.rect[0] = r.min.x, rec.rect[1] = r.min.y, rec.rect[2] = r.max.x, rec.rect[3] = r.max.y;
    rec.label = face.label;
    rec.title = face.title;
    rec.output = face.output;
    rec.adjoint_node = d.reverse;
    const FaceLines lines = face_lines(face);

    if (face.output && draw) {
      // The band says which node the traces differentiate (translated: the interface font).
      const float band = face::kBandHeight * zoom;
      const float round = 10.0f * zoom;
      dl->AddRectFilled(r.min, ImVec2(r.max.x, r.min.y + band), theme::kOutputBand, round, ImDrawFlags_RoundCornersTop);
      const float px = std::min(14.0f * zoom, band - 2.0f);
      ImFont* font = ctx.fonts.ui ? ctx.fonts.ui : ImGui::GetFont();
      if (px >= 5.0f) {
        const char* tag = tr(Tr::NodeOutput);
        const ImVec2 ts = font->CalcTextSizeA(px, FLT_MAX, 0.0f, tag);
        dl->AddText(font, px, ImVec2(std::floor((r.min.x + r.max.x - ts.x) * 0.5f), std::floor(r.min.y + (band - ts.y) * 0.5f)), theme::kOutputText, tag);
      }
    }
    if (face.output) rec.texts.push_back(tr(Tr::NodeOutput));
    if (draw && face.title_break > 0) {
      node_line(r, lines.title, face::kTitleSize, theme::kText, title_line(face, 0), zoom);
      node_line(r, lines.title + face::kTitleSize + face::kLineGap, face::kTitleSize, theme::kText, title_line(face, 1), zoom);
    } else if (draw) {
      node_line(r, lines.title, face::kTitleSize, theme::kText, face.title, zoom);
    }
    if (face.compact) {  // a constant's pill is its number
      rec.selected = canvas_.is_selected(key_of(d.id));
      if (ctx.record) ctx.record->nodes.push_back(std::move(rec));
      continue;
    }

    auto line = [&](float y, float size, ImU32 col, const std::string& text) {
      if (draw) node_line(r, y, size, col, text, zoom);
      rec.texts.push_back(text);
    };
    auto problem_line = [&](float y, const std::string& text) {
      if (draw) node_line(r, y, face::kSmallSize, theme::kProblem, text, zoom, ctx.fonts.ui);
      rec.texts.push_back(text);
    };
    if (ready && e.valid()) {
      const TensorD& value = lesson.evaluation()[e];
      const bool show_value = lesson.value_shown(e);
      const bool show_adjoint = lesson.adjoint_shown(e) && lesson.reverse_result().has_adjoint[e.index];
      const bool show_tangent = lesson.tangent_shown(e);
      if (face.tensor) {
        const TensorD* shown = show_adjoint ? &lesson.reverse_result()[e] : show_tangent ? &lesson.tangent_result()[e] : show_value ? &value : nullptr;
        const ImU32 colour = show_adjoint ? theme::kAdjoint : show_tangent ? theme::kTangent : theme::kValue;
        const std::string name = show_adjoint ? adjoint_label(face.label) : show_tangent ? tangent_label(face.label) : std::string();
        const std::string shape = g.node(e).shape.to_string();
        line(lines.first, face::kSmallSize, name.empty() ? theme::kTextDim : colour, name.empty() ? shape : name + "  " + shape);
        if (shown) {
          Index rows = 0, cols = 0;
          tensor_grid(*shown, &rows, &cols);
          const ImVec2 a(r.min.x + face::kPadX * zoom, r.min.y + lines.heatmap * zoom);
          const ImVec2 b(r.max.x - face::kPadX * zoom, a.y + lines.heatmap_h * zoom);
          if (draw && b.y - a.y > 4) draw_tensor_heatmap(dl, a, b, *shown, colour);
          rec.heatmap = true;
          // The colour scale: −m … +m, m the largest magnitude shown.
          const double m = widgets::HeatmapMaxAbs(shown->data(), shown->size());
          const std::string lo = on_screen(heatmap_scale_end(-m)), hi = on_screen(heatmap_scale_end(m));
          const float y = r.min.y + lines.scale * zoom, h = face::kSmallSize * zoom;
          const float lo_w = widgets::CalcCanvasTextSize(h, lo.c_str()).x, hi_w = widgets::CalcCanvasTextSize(h, hi.c_str()).x;
          const ImVec2 bar_a(a.x + lo_w + 4 * zoom, y + h * 0.2f), bar_b(b.x - hi_w - 4 * zoom, y + h * 0.85f);
          if (draw) {
            widgets::CanvasTextScreen(ImVec2(a.x, y), h, theme::kTextDim, lo.c_str());
            widgets::CanvasTextScreen(ImVec2(b.x, y), h, theme::kTextDim, hi.c_str(), ImVec2(1, 0));
            if (bar_b.x - bar_a.x > 4) widgets::DrawHeatmapScale(dl, bar_a, bar_b, theme::kBorder);
          }
          rec.texts.push_back(lo + " … " + hi);
        }
      } else {
        const bool finite = std::all_of(value.begin(), value.end(), [](double x) { return std::isfinite(x); });
        const float second = lines.first + face::kValueSize + face::kLineGap;
        if (show_value) line(lines.first, face::kValueSize, finite ? theme::kValue : theme::kProblem, "= " + on_screen(format_tensor(value)));
        if (show_adjoint)
          line(second, face::kAdjointSize, theme::kAdjoint, adjoint_label(face.label) + " = " + on_screen(format_tensor(lesson.reverse_result()[e])));
        if (show_tangent)
          line(second, face::kAdjointSize, theme::kTangent, tangent_label(face.label) + " = " + on_screen(format_tensor(lesson.tangent_result()[e])));
      }
      // Gradient-check badge on an input, once its adjoint is on screen.
      if (d.kind == NodeKind::Input && show_adjoint)
        for (const InputCheck& c : lesson.gradcheck_report().inputs)
          if (c.input == d.name) {
            const char* mark = c.passed ? "✓" : "✗";
            const ImVec2 at(r.max.x - 5 * zoom, r.min.y + (lines.title - 4) * zoom);
            const float size = face::kAdjointSize * zoom;
            if (draw) {
              widgets::CanvasTextScreen(at, size, c.passed ? theme::kOk : theme::kProblem, mark, ImVec2(1, 0));
              // What the mark says, on hover: the two numbers it compares (the inspector lists them).
              const ImVec2 m = ImGui::GetIO().MousePos;
              if (c.numeric.size() == 1 && m.x >= at.x - size && m.x <= at.x && m.y >= at.y && m.y <= at.y + size && ImGui::IsWindowHovered())
                ImGui::SetTooltip("%s", trf(Tr::CanvasGradcheckTip, "∂" + output_name(lesson.graph()) + "/∂" + d.name, on_screen(format_number(c.numeric[0])),
                                            adjoint_label(face.label), on_screen(format_tensor(lesson.reverse_result()[e]))).c_str());
            }
            rec.texts.push_back(mark);
          }
      if (e == nan_node && show_value) {
        problem_line(lines.problem, translated_problem(face.problem_text));
        rec.problem = lesson.non_finite().reason;
      }
    } else if (!built.error.empty() && built.error_node == d.id) {
      problem_line(lines.problem, translated_problem(face.problem_text));
      rec.problem = built.error;
    }

    if (ctx.record) {
      rec.highlighted = is_current;
      rec.selected = canvas_.is_selected(key_of(d.id));
      ctx.record->nodes.push_back(std::move(rec));
    }
  }
}

// [SECTION] drawing: links

void GraphView::update_link_lookups(const ViewContext& ctx) {
  const Lesson& lesson = ctx.session.lesson();
  const BuiltGraph& built = lesson.built();
  const Graph& g = built.graph;
  // Every new trace is a new generation (a loaded or replaced graph) or a new build or run of the
  // engine on the same one.
  const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(ctx.session.generation())) << 40) ^
                            (static_cast<std::uint64_t>(static_cast<std::uint32_t>(lesson.graph_builds())) << 20) ^
                            static_cast<std::uint64_t>(static_cast<std::uint32_t>(lesson.engine_runs())) ^ (lesson.ready() ? 0 : 1ull << 63);
  if (key != terms_key_) {
    terms_key_ = key;
    paths_key_ = ~0ull;
    // The reverse trace's terms (partial adjoints, with their text) by (consumer, slot).
    term_at_.assign(lesson.ready() ? static_cast<std::size_t>(g.size()) * kMaxInputs : 0, TermAt{});
    if (lesson.ready())
      for (std::size_t r = 0; r < lesson.reverse_rows().size(); ++r) {
        const std::vector<ReverseTerm>& terms = lesson.reverse_rows()[r].terms;
        for (std::size_t k = 0; k < terms.size(); ++k)
          if (const std::size_t at = link_index(terms[k].to, terms[k].slot); at < term_at_.size())
            term_at_[at] = TermAt{static_cast<int>(r), static_cast<int>(k)};
      }
  }
  if (paths_key_ != terms_key_ || !(paths_of_ == ctx.focus.paths_of)) {
    paths_key_ = terms_key_;
    paths_of_ = ctx.focus.paths_of;
    // The links on a path from the input whose paths are shown to the output, by (consumer, slot).
    on_path_.clear();
    if (const NodeId from_input = built.engine(ctx.session.model(), paths_of_); lesson.ready() && from_input.valid()) {
      on_path_.assign(static_cast<std::size_t>(g.size()) * kMaxInputs, 0);
      const PathSum paths = chain_paths(g, lesson.evaluation(), from_input);
      for (const ChainPath& p : paths.paths)
        for (std::size_t k = 0; k < p.slots.size(); ++k) on_path_[link_index(p.nodes[k + 1], p.slots[k])] = 1;
    }
  }
}

void GraphView::draw_links(ViewContext& ctx) {
  const GraphModel& model = ctx.session.model();
  const Lesson& lesson = ctx.session.lesson();
  const BuiltGraph& built = lesson.built();
  const Graph& g = built.graph;
  const float zoom = widgets::GetCanvasZoom();

  update_link_lookups(ctx);
  // Labels are placed for links whose middle is on screen or near it (kNear pixels), so that one
  // scrolled in is already where it will stay. What a label must not cover: every node it could
  // reach (on screen or near it), then each label placed before it.
  const ImVec2 kNear = kLinkMarginPx;
  const widgets::CanvasRect reach{ImVec2(region_min_.x - 2 * kNear.x, region_min_.y - 2 * kNear.y),
                                  ImVec2(region_max_.x + 2 * kNear.x, region_max_.y + 2 * kNear.y)};
  std::vector<widgets::CanvasRect> obstacles;
  if (all_drawn_) {
    for (const widgets::CanvasRect& r : canvas_.node_rects_screen)
      if (r.overlaps(reach)) obstacles.push_back(r);
  } else {
    // Not all of them were submitted: the layout's, placed as the canvas places a node.
    const widgets::CanvasTransform& t = canvas_.transform;
    std::vector<int> near_nodes;
    index_.nodes_in(widgets::CanvasRect{t.canvas_from_screen(reach.min), t.canvas_from_screen(reach.max)}, &near_nodes);
    for (int i : near_nodes) {
      const widgets::CanvasRect& c = index_.layout().rects[static_cast<std::size_t>(i)];
      const ImVec2 a = t.screen_from_canvas(c.min);
      obstacles.push_back(widgets::CanvasRect{a, ImVec2(a.x + (c.max.x - c.min.x) * zoom, a.y + (c.max.y - c.min.y) * zoom)});
    }
  }
  // Each node with its ports and a gap (node_face.h): a label must not touch a port.
  const float margin = face::kLabelMargin * zoom;
  for (widgets::CanvasRect& r : obstacles) r = widgets::CanvasRect{ImVec2(r.min.x - margin, r.min.y - margin), ImVec2(r.max.x + margin, r.max.y + margin)};
  static const std::vector<float> kLabelScales = {1.0f, 0.85f};
  // Labels are drawn after every link (no link over a label), leaders first.
  struct PlacedLabel {
    widgets::LabelSpot spot;
    std::string name, number;
    float name_height;  // pixels at scale 1
  };
  std::vector<PlacedLabel> placed;
  const std::vector<ReverseStep>& rows = lesson.reverse_rows();
  auto term_on = [&](std::size_t at) -> const ReverseTerm* {
    if (!lesson.ready() || at >= term_at_.size() || term_at_[at].row < 0) return nullptr;
    const TermAt k = term_at_[at];
    if (static_cast<std::size_t>(k.row) >= rows.size() || static_cast<std::size_t>(k.term) >= rows[static_cast<std::size_t>(k.row)].terms.size()) return nullptr;
    return &rows[static_cast<std::size_t>(k.row)].terms[static_cast<std::size_t>(k.term)];
  };

  for (const int link : drawn_links_) {
    const IndexedLink& l = index_.links()[static_cast<std::size_t>(link)];
    const std::size_t i = static_cast<std::size_t>(l.to);
    const int s = l.slot;
    const DocNode& d = model.nodes()[i];
    const NodeId to = built.engine_of[i];
    const NodeId from = static_cast<std::size_t>(l.from) < built.engine_of.size() ? built.engine_of[static_cast<std::size_t>(l.from)] : NodeId{};
    const ReverseTerm* term = nullptr;
    if (to.valid() && from.valid()) {
      const ReverseTerm* t = term_on(link_index(to, s));
      if (t && lesson.partial_shown(lesson.reverse_result().partials[t->partial])) term = t;
    }
    const PartialAdjoint* pa = term ? &lesson.reverse_result().partials[term->partial] : nullptr;
    widgets::LinkStyle style;
    style.color = pa ? theme::kAdjoint : theme::kLink;
    style.thickness_px = pa ? 3.0f : 2.0f;
    const bool lit = to.valid() && link_index(to, s) < on_path_.size() && on_path_[link_index(to, s)];
    if (lit) {
      style.color = theme::kPath;
      style.thickness_px = 4.0f;
    }
    if (d.reverse) {
      style.dashed = true;  // into the extended graph's adjoint part
      if (!pa) style.color = theme::kAdjoint;
    }
    bool hovered = false;
    const widgets::LinkPath c = widgets::CanvasLink(widgets::PortKey{key_of(d.inputs[s]), -1}, widgets::PortKey{key_of(d.id), s}, style, &hovered);
    if (c.empty()) continue;  // beside the canvas: not drawn
    // Texts only for the record, a tooltip or a label that may be drawn (not 100,000 a frame).
    LinkRecord rec;
    if (from.valid() && to.valid() && (ctx.record || hovered)) {
      rec.from = g.label(from);
      rec.to = g.label(to);
    }
    rec.dashed = style.dashed;
    rec.on_path = lit;
    const float px = face::kLabelSize * zoom;
    const ImVec2 mid = pa && px >= 5.0f ? c.at(0.5f) : ImVec2(0, 0);
    const bool near = pa && px >= 5.0f && mid.x > region_min_.x - kNear.x && mid.x < region_max_.x + kNear.x &&
                      mid.y > region_min_.y - kNear.y && mid.y < region_max_.y + kNear.y;
    if (pa && (near || ctx.record)) {
      // The partial adjoint v̄(i→j) on its link, in the adjoint colour: its name over its number
      // (two short lines keep the gaps between columns narrow). Scalars carry their number; a
      // tensor partial carries its name (the tooltip and the inspector have the numbers).
      const std::string number = pa->value.size() == 1 ? label_number_line(on_screen(term->value)) : std::string();
      rec.label = number.empty() ? term->name : term->name + " " + number;
      if (near) {
        // Along the link, beside it, or smaller if it must be, where it covers no node and no
        // other label; where no such place is left, not at all (the tooltip, the inspector and
        // the reverse table have it): a label over a node reads as part of it.
        const ImVec2 name_size = widgets::CalcCanvasTextSize(px, term->name.c_str());
        const ImVec2 number_size = number.empty() ? ImVec2(0, 0) : widgets::CalcCanvasTextSize(px, number.c_str());
        const ImVec2 ts(std::max(name_size.x, number_size.x), name_size.y + number_size.y);
        const ImVec2 pad(face::kLabelPadX * zoom, face::kLabelPadY * zoom);
        const widgets::LabelSpot spot = widgets::find_label_spot(c, ImVec2(ts.x + 2 * pad.x, ts.y + 2 * pad.y), kLabelScales, obstacles);
        if (spot.free && px * spot.scale >= 5.0f) {
          obstacles.push_back(spot.rect);
          placed.push_back(PlacedLabel{spot, term->name, number, name_size.y});
          rec.label_drawn = true;
          rec.label_rect[0] = spot.rect.min.x, rec.label_rect[1] = spot.rect.min.y;
          rec.label_rect[2] = spot.rect.max.x, rec.label_rect[3] = spot.rect.max.y;
        }
      }
    }
    if (hovered && from.valid() && to.valid()) {
      ImGui::BeginTooltip();
      if (term) {
        ImGui::TextUnformatted(on_screen(term->line).c_str());  // v̄₁→₃ = v̄3·(1/v1) = 1·(1/2) = 0.5
      } else {
        ImGui::Text("%s → %s", rec.from.c_str(), rec.to.c_str());
      }
      ImGui::EndTooltip();
    }
    if (ctx.record && !rec.from.empty()) {
      for (const ImVec2& p : c.polyline(8)) rec.points.push_back({p.x, p.y});
      ctx.record->links.push_back(std::move(rec));
    }
  }

  // A label set off its link (a crowded gap) hangs from it by a thin leader in its colour.
  ImDrawList* dl = widgets::GetCanvasDrawList();
  for (const PlacedLabel& l : placed)
    if (l.spot.detached()) {
      const widgets::CanvasRect& r = l.spot.rect;
      const float x = std::clamp(l.spot.anchor.x, r.min.x + 4, r.max.x - 4);
      dl->AddLine(l.spot.anchor, ImVec2(x, l.spot.anchor.y < r.min.y ? r.min.y : r.max.y), theme::kAdjoint, 1.5f);
      dl->AddCircleFilled(l.spot.anchor, 2.5f, theme::kAdjoint);
    }
  for (const PlacedLabel& l : placed) {
    const ImVec2 a = l.spot.rect.min, b = l.spot.rect.max;
    const float scale = l.spot.scale, spx = face::kLabelSize * zoom * scale;
    dl->AddRectFilled(a, b, theme::kLabelFill, 6 * zoom * scale);
    dl->AddRect(a, b, theme::kAdjoint, 6 * zoom * scale, 0, 1.2f);
    const float cx = (a.x + b.x) * 0.5f;
    if (l.number.empty()) {
      widgets::CanvasTextScreen(ImVec2(cx, (a.y + b.y) * 0.5f), spx, theme::kAdjoint, l.name.c_str(), ImVec2(0.5f, 0.5f));
      continue;
    }
    const float top = a.y + face::kLabelPadY * zoom * scale;
    widgets::CanvasTextScreen(ImVec2(cx, top), spx, theme::kAdjoint, l.name.c_str(), ImVec2(0.5f, 0.0f));
    widgets::CanvasTextScreen(ImVec2(cx, top + l.name_height * scale), spx, theme::kAdjoint, l.number.c_str(), ImVec2(0.5f, 0.0f));
  }
}

// [SECTION] events and keys

void GraphView::apply_events(ViewContext& ctx) {
  Session& s = ctx.session;
  widgets::PortKey from, to, detached;
  const bool detach = widgets::IsLinkDetached(canvas_, &detached);
  const bool create = widgets::IsLinkCreated(canvas_, &from, &to);
  if (detach || create) {
    GraphModel trial = s.model();
    std::string why;
    if (detach) trial.disconnect(doc_of(detached.node), detached.slot);
    if (create && !trial.connect(doc_of(from.node), doc_of(to.node), to.slot, &why)) {
      s.set_status(why, true);
    } else {
      s.edit([&](GraphModel& m) { m = trial; });
      s.set_status("");
    }
  }
  ImVec2 delta;
  if (widgets::IsNodesMoved(canvas_, &delta)) {
    s.move_nodes(doc_ids(canvas_.selection), delta.x, delta.y);
  }
  if (canvas_.event_clicked_node.valid()) ctx.focus.selected = doc_of(canvas_.event_clicked_node);
  else if (canvas_.event_selection_changed && canvas_.selection.size() == 1) ctx.focus.selected = doc_of(canvas_.selection.front());
  widgets::NodeKey node;
  ImVec2 pos;
  // Double-clicking an input edits its value in place.
  if (widgets::IsNodeDoubleClicked(canvas_, &node)) {
    const DocNode* d = s.model().find(doc_of(node));
    if (d && d->kind == NodeKind::Input) {
      value_node_ = d->id;
      value_editor_ = ValueEditor{};
      ImGui::OpenPopup("value_editor");
    }
  }
  if (widgets::IsContextMenuRequested(canvas_, &node, &pos)) {
    context_node_ = node;
    add_pos_canvas_ = pos;
    ImGui::OpenPopup("canvas_menu");
  }
}

void GraphView::delete_selection(Session& s) {
  if (canvas_.selection.empty()) return;
  const std::vector<DocId> ids = doc_ids(canvas_.selection);
  s.edit([&](GraphModel& m) { m.remove(ids); });
  canvas_.selection.clear();
}

void GraphView::copy_selection(const Session& s) {
  clipboard_.clear();
  for (widgets::NodeKey k : canvas_.selection)
    if (const DocNode* n = s.model().find(doc_of(k))) clipboard_.push_back(*n);
}

void GraphView::paste(Session& s) {
  if (clipboard_.empty()) return;
  // The copies go beside the originals and whatever else is there (a second paste beside the
  // first), never on them: the nearest free place below or to the right.
  std::vector<Point> pos, size;
  for (const DocNode& n : clipboard_) {
    pos.push_back(n.pos);
    const int k = s.model().index_of(n.id);
    size.push_back(k >= 0 && k < static_cast<int>(s.node_sizes().size()) ? s.node_sizes()[k] : node_size(n.value.rank() > 0));
  }
  const Point offset = s.free_offset(pos, size, Point{40.0f, 40.0f});
  std::vector<DocId> pasted;
  s.edit([&](GraphModel& m) {
    // Links inside the copied set are kept, re-pointed at the copies; links leaving it are not.
    std::vector<std::pair<DocId, DocId>> renamed;
    for (const DocNode& n : clipboard_) {
      DocNode c = n;
      c.pos = Point{n.pos.x + offset.x, n.pos.y + offset.y};
      renamed.emplace_back(n.id, m.add_copy(c));
    }
    for (const DocNode& n : clipboard_) {
      const DocId copy = std::find_if(renamed.begin(), renamed.end(), [&](auto& p) { return p.first == n.id; })->second;
      for (int slot = 0; slot < n.arity; ++slot) {
        auto it = std::find_if(renamed.begin(), renamed.end(), [&](auto& p) { return p.first == n.inputs[slot]; });
        if (it != renamed.end()) m.connect(it->second, copy, slot, nullptr);
      }
      pasted.push_back(copy);
    }
  });
  canvas_.selection.clear();
  for (DocId id : pasted) canvas_.selection.push_back(key_of(id));
}

void GraphView::select_all(const Session& s) {
  canvas_.selection.clear();
  for (const DocNode& n : s.model().nodes()) canvas_.selection.push_back(key_of(n.id));
}

void GraphView::handle_keys(ViewContext& ctx) {
  if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) || ImGui::GetIO().WantTextInput) return;
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false)) delete_selection(ctx.session);
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_C), false)) copy_selection(ctx.session);
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_V), false)) paste(ctx.session);
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_A), false)) select_all(ctx.session);
  if (!io.KeyCtrl && ImGui::IsKeyPressed('F', false)) fit();  // GLFW key code of F, as in the menu
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab), false) && canvas_.canvas_hovered) {
    add_pos_canvas_ = canvas_.transform.canvas_from_screen(io.MousePos);
    open_search_ = true;
  }
}

// [SECTION] add menu and search

void GraphView::add_node(ViewContext& ctx, int index) {
  const PaletteEntry& e = palette()[index];
  // Where it was asked for (the right click, the Tab key's pointer), or the nearest free place:
  // a second node added at the same spot goes beside the first.
  const Point want{add_pos_canvas_.x, add_pos_canvas_.y};
  const Point off = ctx.session.free_offset({want}, {node_size(false)});
  const Point pos{want.x + off.x, want.y + off.y};
  DocId added;
  ctx.session.edit([&](GraphModel& m) {
    if (e.kind == NodeKind::Input) added = m.add_input(m.fresh_input_name(), TensorD::scalar(1.0), pos);
    else if (e.kind == NodeKind::Constant) added = m.add_constant(TensorD::scalar(1.0), pos);
    else added = m.add_op(e.op, e.attrs, pos);
  });
  canvas_.selection.assign(1, key_of(added));
  ctx.focus.selected = added;
}

namespace {
// ImGui 1.86 closes popups on Escape only with keyboard navigation on, which would take the arrow
// keys from stepping.
void close_on_escape() {
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
}
}  // namespace

void GraphView::draw_add_menu(ViewContext& ctx) {
  if (!ImGui::BeginPopup("canvas_menu")) return;
  close_on_escape();
  if (context_node_.valid()) {
    if (ImGui::MenuItem(tr(Tr::MenuSetOutput))) {
      const DocId id = doc_of(context_node_);
      ctx.session.edit([&](GraphModel& m) { m.set_output(id); });
    }
    if (ImGui::MenuItem(tr(Tr::MenuCopy), "Ctrl+C")) copy_selection(ctx.session);
    if (ImGui::MenuItem(tr(Tr::MenuDelete), "Del")) delete_selection(ctx.session);
    ImGui::Separator();
  }
  if (ImGui::MenuItem(tr(Tr::MenuPaste), "Ctrl+V", false, can_paste())) paste(ctx.session);
  if (ImGui::MenuItem(tr(Tr::MenuLayout))) ctx.session.relayout();
  ImGui::Separator();
  Tr group = Tr::kCount;
  bool open = false;
  for (int i = 0; i < static_cast<int>(palette().size()); ++i) {
    const PaletteEntry& e = palette()[i];
    if (e.group != group) {
      if (open) ImGui::EndMenu();
      group = e.group;
      open = ImGui::BeginMenu(label(group, std::to_string(static_cast<int>(group)).c_str()).c_str());
    }
    if (open && ImGui::MenuItem(palette_label(e).c_str())) add_node(ctx, i);
  }
  if (open) ImGui::EndMenu();
  ImGui::EndPopup();
}

void GraphView::draw_value_popup(ViewContext& ctx) {
  if (!ImGui::BeginPopup("value_editor")) return;
  close_on_escape();
  if (const DocNode* d = ctx.session.model().find(value_node_)) {
    const DocNode copy = *d;  // the editor may replace the model while drawing
    value_editor_.draw(ctx.session, copy);
  } else {
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void GraphView::draw_search_popup(ViewContext& ctx) {
  if (open_search_) {
    ImGui::OpenPopup("node_search");
    search_[0] = 0;
    search_cursor_ = 0;
    open_search_ = false;
  }
  if (!ImGui::BeginPopup("node_search")) return;
  close_on_escape();
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  const bool enter = ImGui::InputTextWithHint("##search", tr(Tr::PaletteSearch), search_, sizeof search_, ImGuiInputTextFlags_EnterReturnsTrue);
  std::vector<int> matches;
  for (int i = 0; i < static_cast<int>(palette().size()); ++i) {
    const std::string l = palette_label(palette()[i]);
    if (!*search_ || l.find(search_) != std::string::npos) matches.push_back(i);
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) search_cursor_ = std::min(search_cursor_ + 1, static_cast<int>(matches.size()) - 1);
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) search_cursor_ = std::max(search_cursor_ - 1, 0);
  search_cursor_ = std::clamp(search_cursor_, 0, std::max(static_cast<int>(matches.size()) - 1, 0));
  for (int k = 0; k < static_cast<int>(matches.size()); ++k) {
    if (ImGui::Selectable(palette_label(palette()[matches[k]]).c_str(), k == search_cursor_) ) {
      add_node(ctx, matches[k]);
      ImGui::CloseCurrentPopup();
    }
  }
  if (enter && !matches.empty()) {
    add_node(ctx, matches[search_cursor_]);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace gs::app

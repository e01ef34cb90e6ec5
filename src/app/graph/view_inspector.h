// The inspector: for the selected node (or the current step's node) its forward formula, local
// derivatives, reverse rule in matrix form with shapes, value/adjoint/tangent as numbers and a
// heatmap, gradient check, second derivative; input values edited in place. Text and numbers come
// from the engine (op.h templates, trace rows, gradcheck, second_derivative). No GL.
#pragma once

#include "app/graph/value_editor.h"
#include "app/graph/view_context.h"

#include <string>

namespace gs::app {

class InspectorView {
 public:
  void draw(ViewContext& ctx);

 private:
  void draw_paths(ViewContext& ctx, NodeId input);
  void draw_gradcheck(ViewContext& ctx, NodeId input);
  void draw_tensor(ViewContext& ctx, const char* id, const TensorD& t, ImU32 color);
  DocId shown_;
  ValueEditor editor_;
  std::string second_text_;   // result of the second-derivative action for shown_
};

}  // namespace gs::app

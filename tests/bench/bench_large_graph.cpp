// The Graph page on large graph files, without a window: how long opening takes (reading and
// parsing the file, then the engine, the node boxes and the layout), laying out again, Run
// backward with the frame after it, and the UI's CPU per frame (ImGui's NewFrame..Render, no GL)
// with the whole graph fitted and at zoom 1, before and after Run backward; at zoom 1 also with
// every node and link submitted as before the layout index ("zoom1 all"). Milliseconds, one
// thread. Not a test; the figures go into docs/PERFORMANCE.md ("Large graphs in the desktop
// program"). The files: tests/bench/make_large_graph.py. Build it from the repository root after
// scripts/setup (the libraries of build/):
//   g++ -std=c++20 -O2 -DNDEBUG -I src -isystem /usr/include/imgui -isystem /usr/include/eigen3 \
//       -o /tmp/bench_large_graph tests/bench/bench_large_graph.cpp \
//       build/src/app/libgradscope_app_shell.a build/src/app/libgradscope_page_graph.a \
//       build/src/app/libgradscope_page_schedules.a build/src/app/libgradscope_page_training.a \
//       build/src/app/libgradscope_app_base.a build/src/app/libgradscope_widgets.a \
//       build/src/nn/libgradscope_nn.a build/src/engine/libgradscope_engine.a $(pkg-config --libs imgui) -lz -lpthread
// Run: /tmp/bench_large_graph FILE.json...
#include "app/graph/session.h"
#include "app/graph/view_graph.h"
#include "app/graph/view_trace.h"

#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>

namespace {

using namespace gs;
using namespace gs::app;

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

double time_ms(const std::function<void()>& f) {
  const double t0 = cpu_ms();
  f();
  return cpu_ms() - t0;
}

// The lab's two panels as the page arranges them at 1600 × 900: the canvas, the trace tables.
struct Lab {
  Session& session;
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  GraphView graph;
  TraceView traces;
  double frame() {
    return time_ms([&] {
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
      ImGui::Begin("lab", nullptr, ImGuiWindowFlags_NoDecoration);
      ViewContext ctx{session, focus, fonts, redraw, nullptr};
      ImGui::BeginChild("graph_panel", ImVec2(1000, 860));
      graph.draw(ctx, ImVec2(1000, 860));
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("trace_panel", ImVec2(560, 860));
      traces.draw(ctx);
      ImGui::EndChild();
      ImGui::End();
      ImGui::Render();
    });
  }
  // Mean of `n` frames after the routes in view are all made (at most 2,000 frames).
  double steady(int n) {
    for (int i = 0; i < 2000 && (i < 2 || graph.canvas().routes_pending > 0); ++i) frame();
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += frame();
    return sum / n;
  }
};

}  // namespace

int main(int argc, char** argv) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1600, 900);
  io.DeltaTime = 1.0f / 60.0f;
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL backend: draw lists past 65,536 vertices
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  std::printf("%-28s %8s %8s %8s %8s %10s %10s %10s %10s %10s %10s\n", "file", "nodes", "read", "load", "layout", "backward",
              "fit fwd", "fit rev", "zoom1 rev", "zoom1 all", "vertices");
  for (int a = 1; a < argc; ++a) {
    const std::string path = argv[a];
    GraphDocument doc;
    const double read = time_ms([&] { doc = load_document(path); });
    Session session;
    const double load = time_ms([&] { session.load(doc, ""); });  // engine, boxes, layout
    const double layout = time_ms([&] { session.relayout(); });
    Lab lab{session};
    const double fit_forward = lab.steady(10);
    const double backward = time_ms([&] { session.lesson().run_backward(); }) + lab.frame();
    const double fit_reverse = lab.steady(10);
    const int vertices = ImGui::GetDrawData()->TotalVtxCount;
    lab.graph.zoom_to(1.0f);
    const double zoom1 = lab.steady(10);
    lab.graph.set_culling(false);
    const double zoom1_all = lab.steady(10);
    std::printf("%-28s %8zu %8.1f %8.1f %8.1f %10.1f %10.2f %10.2f %10.2f %10.2f %10d\n", path.substr(path.find_last_of('/') + 1).c_str(),
                session.model().nodes().size(), read, load, layout, backward, fit_forward, fit_reverse, zoom1, zoom1_all, vertices);
    std::fflush(stdout);
  }
  ImGui::DestroyContext();
  return 0;
}

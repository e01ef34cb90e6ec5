// gradscope, the desktop program, in Dear ImGui's example order: window → context → style →
// backends → loop → cleanup. The off-screen modes (--screenshot, --bench-frames) draw the same
// frames into a framebuffer object. GL and GLFW are used here and in gl_capture.cpp only; the
// pages, the widgets and the shell (src/app/*/) know neither.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "app/base/fonts.h"
#include "app/base/i18n.h"
#include "app/base/key_presses.h"
#include "app/base/style.h"
#include "app/gl_capture.h"
#include "app/gl_images.h"
#include "app/shell/options.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"
#include "app/widgets/plot.h"
#include "nn/workers.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

using namespace gs::app;

namespace {

constexpr float kTextPx = 17.0f;
constexpr int kScreenshotFrames = 4;  // enough for fit-to-view and tables to settle

// $XDG_STATE_HOME/gradscope, else ~/.local/state/gradscope: autosave and recent files.
std::string state_dir() {
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/gradscope";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/gradscope";
  return {};
}

// Key presses pass through KeyPresses (base/key_presses.h): ImGui 1.86 sees a key's state once a
// frame, so a press released within one slow frame, or a clicker's second press of the same key,
// would be lost. Every press reaches a frame, one per two frames (down, then up) for a key pressed
// again.
GLFWwindow* key_window = nullptr;
KeyPresses key_presses([](const KeyPresses::Event& e) {
  ImGui_ImplGlfw_KeyCallback(key_window, e.key, e.scancode, e.press ? GLFW_PRESS : GLFW_RELEASE, e.mods);
});

void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  key_window = window;
  if (action == GLFW_REPEAT) ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
  else key_presses.event({key, scancode, action == GLFW_PRESS, mods});
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// The plot widget's own words (its menu and notes) in the current language: it cannot read the
// translation table itself.
widgets::PlotStrings plot_strings() {
  widgets::PlotStrings s;
  s.fit = tr(Tr::PlotFit);
  s.export_png = tr(Tr::PlotExportPng);
  s.export_csv = tr(Tr::PlotExportCsv);
  s.series = tr(Tr::PlotSeries);
  s.not_drawn = tr(Tr::PlotNotDrawn);
  s.nonpositive = tr(Tr::PlotNonPositive);
  s.no_data = tr(Tr::PlotNoData);
  return s;
}

// One frame: new frame, `body` (the workbench), render into the bound framebuffer of size w × h.
// *ui_ms, when given, receives the CPU time spent building the frame (before GL).
void draw_frame(const std::function<void()>& body, int w, int h, bool fixed_size, double* ui_ms = nullptr) {
  const double t0 = ui_ms ? thread_cpu_ms() : 0.0;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (fixed_size) {  // off-screen: the hidden window's size is not trusted under Xvfb
    ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    ImGui::GetIO().DisplayFramebufferScale = ImVec2(1, 1);
  }
  ImGui::NewFrame();
  widgets::SetPlotStrings(plot_strings());
  body();
  ImGui::Render();
  if (ui_ms) *ui_ms = thread_cpu_ms() - t0;
  glViewport(0, 0, w, h);
  // The workbench's window has no background of its own: the clear paints it (once, not twice).
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// The fonts rebuilt before the next frame where a page asked: another text size (View ▸ Text
// size), or characters a document brought (FrameRequests::glyphs). The GL texture follows.
void apply_font_requests(FrameRequests& r, FontSet& fonts, float* text_px, float dpi) {
  if (r.text_size_delta == 0 && !r.text_size_reset && r.glyphs.empty()) return;
  if (r.text_size_reset) *text_px = kTextPx;
  else *text_px = std::clamp(*text_px + 2.0f * static_cast<float>(r.text_size_delta), 12.0f, 32.0f);
  fonts.extra_text += r.glyphs;
  r.text_size_delta = 0;
  r.text_size_reset = false;
  r.glyphs.clear();
  load_fonts(&fonts, *text_px * dpi);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

int run_screenshot(Workbench& bench, PageContext& ctx, FontSet& fonts, float dpi, const LaunchOptions& opt) {
  OffscreenTarget target;
  if (!target.create(opt.width, opt.height)) {
    std::fprintf(stderr, "error: cannot create an off-screen framebuffer of %dx%d\n", opt.width, opt.height);
    return 1;
  }
  FrameRecord record;
  float text_px = kTextPx;
  for (int i = 0; i < kScreenshotFrames; ++i) {
    apply_font_requests(ctx.requests, fonts, &text_px, dpi);  // a lesson's own characters
    record = FrameRecord{};
    ctx.record = i + 1 == kScreenshotFrames ? &record : nullptr;
    widgets::SetPlotRecordSink(ctx.record ? &record.plots : nullptr);
    ctx.now = glfwGetTime();
    target.bind();
    draw_frame([&] { bench.draw(ctx); }, opt.width, opt.height, true);
  }
  ctx.record = nullptr;
  widgets::SetPlotRecordSink(nullptr);
  const auto pixels = read_pixels(0, 0, opt.width, opt.height, opt.height);
  std::string error;
  if (!write_png(opt.screenshot, opt.width, opt.height, pixels, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  const std::string json_path = std::filesystem::path(opt.screenshot).replace_extension(".json").string();
  std::ofstream(json_path) << record.to_json().dump(2) << '\n';
  return 0;
}

// The machine's load average over the last minute ("?" where /proc has none): benchmark figures
// mean little without it on a shared machine.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  return in >> one ? one : std::string("?");
}

// The CPU time of this process's threads by kind, in seconds since each started: the UI thread
// (this one), the GL driver's threads (Mesa names llvmpipe's rasteriser threads "llvmpipe-N" and
// its shader cache's "…:disk$N"), training threads (nn::kTrainingThreadPrefix…), the rest.
struct ThreadGroups {
  double ui = 0, gl_driver = 0, training = 0, other = 0;
};
ThreadGroups thread_groups() {
  ThreadGroups g;
  const int ui = gs::nn::this_thread_id();
  for (const gs::nn::ThreadCpuTime& t : gs::nn::process_thread_times()) {
    if (t.tid == ui) g.ui += t.seconds;
    else if (t.name.rfind("llvmpipe", 0) == 0 || t.name.find(":disk$") != std::string::npos) g.gl_driver += t.seconds;
    else if (t.name.rfind(gs::nn::kTrainingThreadPrefix, 0) == 0) g.training += t.seconds;
    else g.other += t.seconds;
  }
  return g;
}

// What a frame costs this process in CPU apart from training (PageContext::frame_cost): the
// process's CPU time minus its training threads', per frame drawn, over windows of half a second.
// A window in which a training thread came or went is not used (its time would count as ours).
class FrameCostMeter {
 public:
  // After each frame; updates *cost when a window ends.
  void frame_drawn(double now, double* cost) {
    ++frames_;
    if (now - since_ < 0.5) return;
    Sample s = sample();
    if (since_ > 0 && s.training_tids == last_.training_tids) *cost = (s.cpu - last_.cpu) / frames_;
    since_ = now;
    last_ = std::move(s);
    frames_ = 0;
  }

 private:
  struct Sample {
    double cpu = 0;  // the process's, minus its training threads'
    std::vector<int> training_tids;
  };
  static Sample sample() {
    Sample s;
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    s.cpu = static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
    for (const gs::nn::ThreadCpuTime& th : gs::nn::process_thread_times(gs::nn::kTrainingThreadPrefix)) {
      s.cpu -= th.seconds;
      s.training_tids.push_back(th.tid);
    }
    std::sort(s.training_tids.begin(), s.training_tids.end());
    return s;
  }
  double since_ = 0;
  int frames_ = 0;
  Sample last_;
};

// The area of the last frame's triangles, in screens (w × h), and their count: what a software GL
// driver fills (overlapping panels and backgrounds count each time).
std::pair<double, long> drawn_area(int w, int h) {
  const ImDrawData* dd = ImGui::GetDrawData();
  double area = 0;
  long triangles = 0;
  for (int l = 0; dd && l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    for (const ImDrawCmd& cmd : dl->CmdBuffer)
      for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert* v[3];
        for (unsigned k = 0; k < 3; ++k) v[k] = &dl->VtxBuffer[static_cast<int>(cmd.VtxOffset + dl->IdxBuffer[static_cast<int>(cmd.IdxOffset + e + k)])];
        area += 0.5 * std::abs((v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) - (v[2]->pos.x - v[0]->pos.x) * (v[1]->pos.y - v[0]->pos.y));
        ++triangles;
      }
  }
  return {area / std::max(1.0, static_cast<double>(w) * h), triangles};
}

// N timed frames of `body` after a few to warm up, and two lines: the UI's CPU cost per frame,
// and where the process's CPU went (per frame and in cores). With an interval, frames start at
// that pace (a display's 60 Hz) instead of back to back; with a negative one, when the page asks
// for them (ctx's redraw requests, as the interactive loop waits for them when nobody touches the
// window).
BenchFigures time_frames(const std::string& name, const LaunchOptions& opt, OffscreenTarget& target, const std::function<void()>& body,
                         PageContext* ctx = nullptr, double interval = 0) {
  const int warmup = 5;
  std::vector<double> ms, ui;
  double next = glfwGetTime(), first = 0;
  ThreadGroups before;
  FrameCostMeter cost;  // as the interactive loop measures it, for the page's live frame rate
  for (int i = 0; i < opt.bench_frames + warmup; ++i) {
    if (interval > 0) {
      next += interval;
      const double wait = next - glfwGetTime();
      if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    } else if (interval < 0 && ctx) {
      const double wait = ctx->requests.redraw.pending() ? ctx->requests.redraw.due() - glfwGetTime() : 0;
      if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      ctx->requests.redraw.clear();  // the page asks again while drawing
    }
    if (i == warmup) {
      first = glfwGetTime();
      before = thread_groups();
    }
    if (ctx) ctx->now = glfwGetTime();
    const double t0 = thread_cpu_ms();
    double ui_ms = 0;
    target.bind();
    draw_frame(body, opt.width, opt.height, true, &ui_ms);
    glFinish();  // the driver's work for this frame is counted in this frame
    if (ctx) cost.frame_drawn(glfwGetTime(), &ctx->frame_cost);
    if (i >= warmup) {
      ms.push_back(thread_cpu_ms() - t0);
      ui.push_back(ui_ms);
    }
  }
  const ThreadGroups after = thread_groups();
  BenchFigures f;
  f.frames = static_cast<int>(ms.size());
  f.seconds = std::max(glfwGetTime() - first, 1e-9);
  for (double x : ui) f.ui_build_seconds += x * 1e-3;
  f.ui_thread_seconds = after.ui - before.ui;
  f.gl_driver_seconds = after.gl_driver - before.gl_driver;
  f.training_seconds = after.training - before.training;
  f.other_seconds = std::max(0.0, after.other - before.other);
  f.cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  auto quantile = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  // The UI figure is what gradscope itself costs per frame; the other adds the GL driver's CPU
  // work on this thread (under Xvfb, Mesa's software rasteriser).
  std::printf("  %s: UI build (NewFrame..Render) %.2f ms/frame mean, %.2f median, %.2f p95, %.2f max;  with GL submission %.2f mean, %.2f median;  %.1f frames/s;  load average %s\n",
              name.c_str(), mean(ui), median(ui), quantile(ui, 0.95), *std::max_element(ui.begin(), ui.end()), mean(ms), median(ms),
              static_cast<double>(f.frames) / f.seconds, load_average().c_str());
  const double per_frame = 1e3 / std::max(f.frames, 1);
  const auto [screens, triangles] = drawn_area(opt.width, opt.height);
  std::printf("    CPU per frame: UI build %.2f ms, the UI thread's GL calls %.2f ms, the GL driver's threads %.2f ms (%ld triangles covering %.2f screens);  cores used: training %.2f, UI thread %.2f, GL driver %.2f (its threads and the UI thread's GL calls), other threads %.2f, of %d\n",
              f.ui_build_seconds * per_frame, std::max(0.0, f.ui_thread_seconds - f.ui_build_seconds) * per_frame, f.gl_driver_seconds * per_frame,
              triangles, screens, f.training_seconds / f.seconds, f.ui_thread_seconds / f.seconds, f.gl_cores(), f.other_seconds / f.seconds, f.cores);
  return f;
}

// The plot widget alone, filling the window: a 1,000,000-point loss-like curve (a decay with
// noise, fixed seed) from a PlotBuffer, standing still and panned every frame, and from plain
// arrays.
void bench_plot(const LaunchOptions& opt, OffscreenTarget& target) {
  constexpr int kPoints = 1000000;
  widgets::PlotBuffer buffer;
  buffer.reserve(kPoints);
  std::vector<double> xs(kPoints), ys(kPoints);
  std::mt19937 rng(1);
  std::normal_distribution<double> noise;
  for (int i = 0; i < kPoints; ++i) {
    xs[static_cast<std::size_t>(i)] = i;
    ys[static_cast<std::size_t>(i)] = 2.3 * std::exp(-i / 2e5) + 0.1 + 0.05 * noise(rng);
    buffer.append(xs[static_cast<std::size_t>(i)], ys[static_cast<std::size_t>(i)]);
  }
  int frame = 0;
  auto draw = [&](int source, bool pan) {
    return [&, source, pan] {
      const ImGuiViewport* vp = ImGui::GetMainViewport();
      ImGui::SetNextWindowPos(vp->Pos);
      ImGui::SetNextWindowSize(vp->Size);
      ImGui::Begin("bench_plot", nullptr, ImGuiWindowFlags_NoDecoration);
      if (widgets::BeginPlot("Loss##bench", ImVec2(-1, -1))) {
        widgets::SetupAxis(widgets::PlotAxis::X, "step");
        widgets::SetupAxis(widgets::PlotAxis::Y1, "loss");
        if (pan) widgets::SetupAxisLimits(widgets::PlotAxis::X, -1e4 + frame * 37.0, 1.01e6 + frame * 37.0, widgets::PlotCond::Always);
        if (source == 0) widgets::PlotLine("loss", buffer);
        else widgets::PlotLine("loss", xs.data(), ys.data(), kPoints);
        widgets::EndPlot();
      }
      ImGui::End();
      ++frame;
    };
  };
  time_frames("plot widget, 1,000,000-point PlotBuffer line, view still", opt, target, draw(0, false));
  time_frames("plot widget, 1,000,000-point PlotBuffer line, panned every frame", opt, target, draw(0, true));
  time_frames("plot widget, 1,000,000 points from plain arrays (scanned every frame)", opt, target, draw(1, false));
}

// Each page's passes (Page::bench_passes) in turn, then the plot widget's.
int run_bench(Workbench& bench, PageContext& ctx, const LaunchOptions& opt) {
  OffscreenTarget target;
  if (!target.create(opt.width, opt.height)) return 1;
  std::printf("bench-frames: %d frames per pass at %dx%d\n", opt.bench_frames, opt.width, opt.height);
  // --train PRESET asks for the Training page's pass alone (its page offers it only then).
  const bool training_only = !opt.bench_train.empty();
  for (const auto& page : bench.pages()) {
    if (training_only && std::string(page->name()) != "training") continue;
    for (const BenchPass& pass : page->bench_passes()) {
      bench.commands().push(CommandId::ShowPage, page->name());
      pass.setup();
      const BenchFigures figures = time_frames(std::string(page->name()) + ", " + pass.name, opt, target, [&] { bench.draw(ctx); }, &ctx, pass.frame_interval);
      if (pass.report) std::printf("  %s\n", pass.report(figures).c_str());
    }
  }
  if (!training_only) bench_plot(opt, target);
  return 0;
}

// F11: onto the primary monitor at its own mode, and back to the window as it was.
void toggle_full_screen(GLFWwindow* window) {
  static int x = 100, y = 100, w = 1600, h = 900;
  if (glfwGetWindowMonitor(window)) {
    glfwSetWindowMonitor(window, nullptr, x, y, w, h, 0);
    return;
  }
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
  if (!mode) return;
  glfwGetWindowPos(window, &x, &y);
  glfwGetWindowSize(window, &w, &h);
  glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
}

int run_interactive(GLFWwindow* window, Workbench& bench, PageContext& ctx, FontSet& fonts, float dpi) {
  bool* close_requested = static_cast<bool*>(glfwGetWindowUserPointer(window));
  float text_px = kTextPx;
  int idle_frames = 0;
  std::string pending_export;  // captured two frames later, once the dialog that asked has closed
  int export_countdown = 0;
  RedrawTimer& redraw = ctx.requests.redraw;
  FrameCostMeter cost;
  while (!ctx.requests.quit) {
    const double now = glfwGetTime();
    // Draw only when something happens: a few frames after each event, then sleep until the
    // next event or the earliest time a page asked for (a redraw already due draws at once).
    if (idle_frames >= 3) {
      if (!redraw.pending()) glfwWaitEvents();
      else if (redraw.due() > now) glfwWaitEventsTimeout(redraw.due() - now);
      else glfwPollEvents();
      idle_frames = 0;
    } else {
      glfwPollEvents();
    }
    if (*close_requested) {
      *close_requested = false;
      bench.commands().push(CommandId::Quit);
      idle_frames = 0;
    }
    if (ctx.requests.toggle_full_screen) {
      ctx.requests.toggle_full_screen = false;
      toggle_full_screen(window);
    }
    apply_font_requests(ctx.requests, fonts, &text_px, dpi);
    redraw.clear();  // the pages ask again while drawing
    ctx.now = glfwGetTime();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    draw_frame([&] { bench.draw(ctx); }, fw, fh, false);
    if (key_presses.frame_done()) idle_frames = 0;  // the keys held back go out and need frames
    if (!ctx.requests.capture_png.empty()) {
      pending_export = ctx.requests.capture_png;
      ctx.requests.capture_png.clear();
      export_countdown = 2;
      idle_frames = 0;
    } else if (export_countdown > 0 && --export_countdown == 0) {
      // The shown page's picture, in framebuffer pixels, read from the frame just drawn.
      const ScreenRect r = bench.shown().picture();
      const float sx = ImGui::GetIO().DisplayFramebufferScale.x, sy = ImGui::GetIO().DisplayFramebufferScale.y;
      const int x = static_cast<int>(r.x0 * sx), y = static_cast<int>(r.y0 * sy);
      const int w = static_cast<int>((r.x1 - r.x0) * sx), h = static_cast<int>((r.y1 - r.y0) * sy);
      std::string error = "nothing to export on this page";
      glReadBuffer(GL_BACK);
      if (w > 0 && h > 0 && write_png(pending_export, w, h, read_pixels(x, y, w, h, fh), &error))
        bench.shown().set_status(trf(Tr::MsgExported, pending_export), false);
      else
        bench.shown().set_status(error, true);
      pending_export.clear();
      idle_frames = 0;  // show the status line
    }
    glfwSwapBuffers(window);
    cost.frame_drawn(glfwGetTime(), &ctx.frame_cost);
    if (ImGui::GetIO().WantTextInput) redraw.request_at(glfwGetTime() + 0.5);  // caret blink
    ++idle_frames;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Workbench bench(make_pages());
  LaunchOptions opt;
  if (const int rc = parse_options(argc, argv, bench.views(), &opt); rc >= 0) return rc;
  bench.show_view(opt.view);
  const bool offscreen = !opt.screenshot.empty() || opt.bench_frames > 0;

  // [1] window
  glfwSetErrorCallback([](int, const char* what) { std::fprintf(stderr, "glfw: %s\n", what); });
  if (!glfwInit()) {
    std::fprintf(stderr, "error: no display (run it under xvfb-run, or use gradscope-cli)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // high-DPI: the window grows with the monitor's scale
  if (offscreen) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "gradscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "error: cannot open an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(offscreen ? 0 : 1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::fprintf(stderr, "error: cannot load OpenGL 3.3 functions\n");
    return 1;
  }
  bool close_requested = false;
  glfwSetWindowUserPointer(window, &close_requested);
  glfwSetWindowCloseCallback(window, [](GLFWwindow* w) {
    // Closing goes through the quit prompt (unsaved changes); the loop decides.
    glfwSetWindowShouldClose(w, GLFW_FALSE);
    *static_cast<bool*>(glfwGetWindowUserPointer(w)) = true;
  });
  float dpi = 1.0f;
  if (!offscreen) {
    float ys = 1.0f;
    glfwGetWindowContentScale(window, &dpi, &ys);
    dpi = std::clamp(dpi, 1.0f, 4.0f);
  }

  // [2] context
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  widgets::CreatePlotContext();
  ImGui::GetIO().IniFilename = nullptr;  // panel sizes are the workbench's; nothing to keep in imgui.ini

  // [3] style and fonts
  apply_style(dpi);
  FontSet fonts;
  load_fonts(&fonts, kTextPx * dpi);

  // [4] backends
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  if (!offscreen) glfwSetKeyCallback(window, key_callback);  // in place of the backend's, which it calls
  ImGui_ImplOpenGL3_Init("#version 330 core");

  if (!offscreen && opt.state_dir.empty()) opt.state_dir = state_dir();
  if (opt.lang == Language::Chinese && !fonts.has_cjk) {
    std::fprintf(stderr, "warning: %s\n", tr(Tr::NoCjkFont));
    opt.lang = Language::English;
  }
  set_language(opt.lang);
  bench.has_cjk = fonts.has_cjk;
  for (const auto& page : bench.pages())
    if (!page->start(opt) && offscreen) {
      // A picture of the wrong graph would mislead: say what failed, as gradscope-cli does.
      std::fprintf(stderr, "error: %s\n", page->status().text.c_str());
      return 2;
    }
  FrameRequests requests;
  PageContext ctx{fonts, requests};
  // The colour-map shader (shaders/): the pages' decision boundaries and large heatmaps.
  auto images = std::make_unique<GlImages>(shaders_dir(argc > 0 ? argv[0] : nullptr));
  if (!images->problem().empty()) std::fprintf(stderr, "warning: %s (pictures are drawn cell by cell instead)\n", images->problem().c_str());
  ctx.images = images.get();
  bench.set_presenting(opt.present);

  // [5] loop
  int rc = 0;
  if (!opt.screenshot.empty()) rc = run_screenshot(bench, ctx, fonts, dpi, opt);
  else if (opt.bench_frames > 0) rc = run_bench(bench, ctx, opt);
  else rc = run_interactive(window, bench, ctx, fonts, dpi);

  // [6] cleanup, in reverse
  images.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  widgets::DestroyPlotContext();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

// The colour-map shader and the pictures it makes (gl_images.h). GL through glad; ImGui only for
// ImTextureID.
#include "app/gl_images.h"

#include <glad/gl.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace gs::app {

namespace fs = std::filesystem;

std::string shaders_dir(const char* argv0) {
  if (const char* env = std::getenv("GRADSCOPE_SHADERS"); env && *env) return env;
  std::error_code ec;
  if (argv0) {
    const fs::path exe = fs::weakly_canonical(fs::path(argv0), ec);
    const fs::path installed = exe.parent_path().parent_path() / "share" / "gradscope" / "shaders";
    if (!ec && fs::is_directory(installed, ec)) return installed.string();
  }
  return GRADSCOPE_SHADERS_DIR;
}

namespace {

bool read_text(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

// Compiles one stage; "" on success, else "FILE: the compiler's log".
std::string compile(unsigned shader, const std::string& source, const std::string& name) {
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok) return {};
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<std::size_t>(std::max(length, 1)), '\0');
  glGetShaderInfoLog(shader, length, nullptr, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return name + ": " + (log.empty() ? "does not compile" : log);
}

// What a picture changes in GL's state, saved before and put back after, so that ImGui's renderer
// (and anything else drawing this frame) finds the state it left.
struct SavedState {
  GLint framebuffer = 0, viewport[4] = {0, 0, 0, 0}, program = 0, vao = 0, active = 0, texture0 = 0, texture1 = 0, buffer = 0;
  GLboolean blend = GL_FALSE, scissor = GL_FALSE, depth = GL_FALSE, cull = GL_FALSE;
  SavedState() {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &framebuffer);
    glGetIntegerv(GL_VIEWPORT, viewport);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &buffer);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture0);
    glActiveTexture(GL_TEXTURE1);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture1);
    blend = glIsEnabled(GL_BLEND);
    scissor = glIsEnabled(GL_SCISSOR_TEST);
    depth = glIsEnabled(GL_DEPTH_TEST);
    cull = glIsEnabled(GL_CULL_FACE);
  }
  ~SavedState() {
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(framebuffer));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    glUseProgram(static_cast<GLuint>(program));
    glBindVertexArray(static_cast<GLuint>(vao));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(buffer));
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture1));
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture0));
    glActiveTexture(static_cast<GLenum>(active));
    auto set = [](GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); };
    set(GL_BLEND, blend);
    set(GL_SCISSOR_TEST, scissor);
    set(GL_DEPTH_TEST, depth);
    set(GL_CULL_FACE, cull);
  }
};

ImTextureID texture_id(unsigned t) { return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t)); }

}  // namespace

GlImages::GlImages(const std::string& dir) {
  std::string vert, frag;
  const std::string vert_path = (fs::path(dir) / "colormap.vert").string(), frag_path = (fs::path(dir) / "colormap.frag").string();
  if (!read_text(vert_path, &vert)) {
    problem_ = "cannot read " + vert_path;
    return;
  }
  if (!read_text(frag_path, &frag)) {
    problem_ = "cannot read " + frag_path;
    return;
  }
  const GLuint vs = glCreateShader(GL_VERTEX_SHADER), fs_ = glCreateShader(GL_FRAGMENT_SHADER);
  problem_ = compile(vs, vert, vert_path);
  if (problem_.empty()) problem_ = compile(fs_, frag, frag_path);
  if (problem_.empty()) {
    program_ = glCreateProgram();
    glAttachShader(program_, vs);
    glAttachShader(program_, fs_);
    glLinkProgram(program_);
    GLint ok = 0;
    glGetProgramiv(program_, GL_LINK_STATUS, &ok);
    if (!ok) {
      char log[1024] = {};
      glGetProgramInfoLog(program_, sizeof log, nullptr, log);
      problem_ = "the colour-map shaders do not link: " + std::string(log);
      glDeleteProgram(program_);
      program_ = 0;
    }
  }
  glDeleteShader(vs);
  glDeleteShader(fs_);
  if (!problem_.empty()) return;
  u_mode_ = glGetUniformLocation(program_, "mode");
  u_data0_ = glGetUniformLocation(program_, "data0");
  u_data1_ = glGetUniformLocation(program_, "data1");
  u_classes_ = glGetUniformLocation(program_, "classes");
  u_rgb_ = glGetUniformLocation(program_, "class_rgb");
  u_lo_ = glGetUniformLocation(program_, "scale_lo");
  u_hi_ = glGetUniformLocation(program_, "scale_hi");
  // One quad, (0, 0) to (1, 1), drawn as a strip.
  const float corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
  GLint old_vao = 0, old_buffer = 0;
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &old_vao);
  glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &old_buffer);
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
  glBindVertexArray(static_cast<GLuint>(old_vao));
  glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(old_buffer));
}

GlImages::~GlImages() {
  for (auto& [key, p] : pictures_) {
    glDeleteTextures(2, p.data);
    if (p.output) glDeleteTextures(1, &p.output);
    if (p.fbo) glDeleteFramebuffers(1, &p.fbo);
  }
  if (vbo_) glDeleteBuffers(1, &vbo_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (program_) glDeleteProgram(program_);
}

GlImages::Picture& GlImages::prepare(const char* key, int in_w, int in_h, int planes, int out_w, int out_h, bool linear) {
  Picture& p = pictures_[key];
  if (p.in_w != in_w || p.in_h != in_h || p.in_textures != planes) {
    glDeleteTextures(2, p.data);
    p.data[0] = p.data[1] = 0;
    glGenTextures(2, p.data);
    p.in_w = in_w;
    p.in_h = in_h;
    p.in_textures = planes;
    p.revision = ~std::uint64_t(0);
  }
  for (unsigned t : p.data) {
    glBindTexture(GL_TEXTURE_2D, t);
    const GLint filter = linear ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  if (p.out_w != out_w || p.out_h != out_h) {
    if (p.output) glDeleteTextures(1, &p.output);
    if (p.fbo) glDeleteFramebuffers(1, &p.fbo);
    glGenTextures(1, &p.output);
    glBindTexture(GL_TEXTURE_2D, p.output);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, out_w, out_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    // Cells stay sharp when drawn larger (heatmaps); a large matrix drawn smaller is averaged.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, linear ? GL_LINEAR : GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glGenFramebuffers(1, &p.fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, p.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, p.output, 0);
    p.out_w = out_w;
    p.out_h = out_h;
    p.revision = ~std::uint64_t(0);
  }
  return p;
}

void GlImages::render(Picture& p, int mode) {
  glBindFramebuffer(GL_FRAMEBUFFER, p.fbo);
  glViewport(0, 0, p.out_w, p.out_h);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glUniform1i(u_mode_, mode);
  glUniform1i(u_data0_, 0);
  glUniform1i(u_data1_, 1);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, p.data[0]);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, p.data[1]);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

ImTextureID GlImages::class_map(const char* key, std::uint64_t revision, const float* prob, int rows, int cols, int classes,
                                const std::uint32_t* rgb, int upscale) {
  if (!problem_.empty() || classes < 1 || classes > 8 || rows <= 0 || cols <= 0) return nullptr;
  const SavedState saved;
  Picture& p = prepare(key, cols, rows, 2, cols * std::max(upscale, 1), rows * std::max(upscale, 1), true);
  if (p.revision == revision) return texture_id(p.output);
  // Classes 0–3 in the first texture's RGBA, 4–7 in the second's.
  std::vector<float> planes[2] = {std::vector<float>(static_cast<std::size_t>(rows * cols * 4), 0.0f),
                                  std::vector<float>(static_cast<std::size_t>(rows * cols * 4), 0.0f)};
  for (int i = 0; i < rows * cols; ++i)
    for (int k = 0; k < classes; ++k)
      planes[k / 4][static_cast<std::size_t>(i * 4 + k % 4)] = prob[static_cast<std::size_t>(i * classes + k)];
  for (int t = 0; t < 2; ++t) {
    glBindTexture(GL_TEXTURE_2D, p.data[t]);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, cols, rows, 0, GL_RGBA, GL_FLOAT, planes[t].data());
  }
  glUseProgram(program_);
  float colours[24];
  for (int k = 0; k < 8; ++k) {
    const std::uint32_t c = k < classes ? rgb[k] : 0;
    colours[k * 3] = static_cast<float>((c >> 16) & 0xff) / 255.0f;
    colours[k * 3 + 1] = static_cast<float>((c >> 8) & 0xff) / 255.0f;
    colours[k * 3 + 2] = static_cast<float>(c & 0xff) / 255.0f;
  }
  glUniform3fv(u_rgb_, 8, colours);
  glUniform1i(u_classes_, classes);
  render(p, 0);
  p.revision = revision;
  return texture_id(p.output);
}

ImTextureID GlImages::value_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float max_abs) {
  return single_channel(key, revision, values, rows, cols, -max_abs, max_abs, 1);
}

ImTextureID GlImages::grey_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float lo, float hi) {
  return single_channel(key, revision, values, rows, cols, lo, hi, 2);
}

ImTextureID GlImages::single_channel(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float lo, float hi,
                                     int mode) {
  if (!problem_.empty() || rows <= 0 || cols <= 0) return nullptr;
  GLint limit = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &limit);
  if (rows > limit || cols > limit) return nullptr;
  const SavedState saved;
  Picture& p = prepare(key, cols, rows, 1, cols, rows, false);
  if (p.revision == revision) return texture_id(p.output);
  glBindTexture(GL_TEXTURE_2D, p.data[0]);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, values);
  glUseProgram(program_);
  glUniform1f(u_lo_, lo);
  glUniform1f(u_hi_, hi);
  render(p, mode);
  p.revision = revision;
  return texture_id(p.output);
}

}  // namespace gs::app

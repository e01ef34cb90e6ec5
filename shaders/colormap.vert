// gradscope's colour maps, vertex stage: one quad over the whole output picture. The texture
// coordinate runs from (0, 0) at data row 0, column 0 to (1, 1); the picture keeps that order, and
// the page draws it with ImGui's top-left origin, so row 0 ends up at the top.
#version 330 core
layout(location = 0) in vec2 corner;  // (0, 0) … (1, 1)
out vec2 uv;
void main() {
  uv = corner;
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}

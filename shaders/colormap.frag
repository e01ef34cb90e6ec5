// gradscope's colour maps, fragment stage (loaded by src/app/gl_images.cpp; the Training page's
// decision boundary, large weight and gradient heatmaps, images). Three modes:
//   0  classes: per-class probabilities (classes 0–3 in data0's RGBA, 4–7 in data1's), sampled
//      with linear filtering so that the boundary is smooth between grid cells. The colour is the
//      classes' colours mixed by probability, paler where the model is unsure (the top probability
//      near chance), with a dark line where the two most probable classes are equal.
//   1  diverging: one value per texel, white at 0, red at +scale_hi, blue at −scale_hi (the heatmap
//      widget's scale, src/app/widgets/heatmap.cpp); NaN and infinities black.
//   2  grey: black at scale_lo, white at scale_hi; NaN and infinities red.
#version 330 core
in vec2 uv;
out vec4 colour;

uniform int mode;
uniform sampler2D data0;
uniform sampler2D data1;
uniform int classes;
uniform vec3 class_rgb[8];
uniform float scale_lo;
uniform float scale_hi;

float probability(int k, vec4 a, vec4 b) {
  return k < 4 ? a[k] : b[k - 4];
}

vec4 class_colour() {
  vec4 a = texture(data0, uv);
  vec4 b = texture(data1, uv);
  vec3 mixed = vec3(0.0);
  float top = 0.0, second = 0.0, sum = 0.0;
  for (int k = 0; k < classes; ++k) {
    float p = probability(k, a, b);
    mixed += p * class_rgb[k];
    sum += p;
    if (p > top) {
      second = top;
      top = p;
    } else if (p > second) {
      second = p;
    }
  }
  mixed /= max(sum, 1e-6);
  float chance = 1.0 / float(max(classes, 1));
  float sure = clamp((top - chance) / max(1.0 - chance, 1e-6), 0.0, 1.0);
  vec3 c = mix(vec3(1.0), mixed, 0.25 + 0.5 * sure);
  // The boundary: the margin between the two most probable classes reaches 0 there; a line about
  // a pixel and a half wide whatever the zoom (fwidth: the margin's change per pixel).
  float margin = top - second;
  float line = 1.0 - smoothstep(0.0, 1.5 * max(fwidth(margin), 1e-6), margin);
  return vec4(mix(c, vec3(0.12, 0.12, 0.15), 0.65 * line), 1.0);
}

vec4 diverging_colour() {
  float v = texture(data0, uv).r;
  if (isnan(v) || isinf(v)) return vec4(0.0, 0.0, 0.0, 1.0);
  float u = scale_hi > 0.0 ? clamp(v / scale_hi, -1.0, 1.0) : 0.0;
  float w = abs(u);
  vec3 positive = mix(vec3(1.0), vec3(200.0, 40.0, 40.0) / 255.0, w);
  vec3 negative = mix(vec3(1.0), vec3(40.0, 90.0, 210.0) / 255.0, w);
  return vec4(u >= 0.0 ? positive : negative, 1.0);
}

vec4 grey_colour() {
  float v = texture(data0, uv).r;
  if (isnan(v) || isinf(v)) return vec4(220.0 / 255.0, 30.0 / 255.0, 40.0 / 255.0, 1.0);
  float g = scale_hi > scale_lo ? clamp((v - scale_lo) / (scale_hi - scale_lo), 0.0, 1.0) : 0.0;
  return vec4(vec3(g), 1.0);
}

void main() {
  if (mode == 0) colour = class_colour();
  else if (mode == 1) colour = diverging_colour();
  else colour = grey_colour();
}

// The plot widget's pure parts: transforms, ticks and labels, PlotBuffer's pyramid, statistics,
// decimation, screen paths, layout and hit testing. No ImGui context, no GL (ImVec2 only).
//
// [SECTION] ranges and transforms
// [SECTION] ticks and number labels
// [SECTION] PlotBuffer
// [SECTION] series statistics and lookups
// [SECTION] decimation
// [SECTION] screen paths
// [SECTION] layout and hit testing
#include "app/widgets/plot_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace gs::app::widgets {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kHuge = 1e300;
constexpr double kTinyLog = 1e-300;
constexpr double kMinRelativeSpan = 1e-12;
}  // namespace

// [SECTION] ranges and transforms

double scale_forward(double v, PlotScale s) {
  if (s == PlotScale::Linear) return v;
  return v > 0.0 ? std::log10(v) : kNaN;
}

double scale_inverse(double t, PlotScale s) { return s == PlotScale::Linear ? t : std::pow(10.0, t); }

PlotRange sanitize_range(PlotRange r, PlotScale s) {
  if (s == PlotScale::Log10) {
    if (!std::isfinite(r.min) || !std::isfinite(r.max) || r.max <= 0.0) return {0.1, 1.0};
    if (r.min > r.max) std::swap(r.min, r.max);
    if (r.min <= 0.0) r.min = r.max * 1e-3;
    r.min = std::clamp(r.min, kTinyLog, kHuge);
    r.max = std::clamp(r.max, kTinyLog, kHuge);
    if (r.max / r.min < 1.0 + 1e-9) {  // a ratio double precision can still split into pixels
      r.min = std::max(std::sqrt(r.min) * std::sqrt(r.max) * (1.0 - 1e-9), kTinyLog);
      r.max = r.min * (1.0 + 2e-9);
    }
    return r;
  }
  if (!std::isfinite(r.min) || !std::isfinite(r.max)) return {0.0, 1.0};
  if (r.min > r.max) std::swap(r.min, r.max);
  r.min = std::clamp(r.min, -kHuge, kHuge);
  r.max = std::clamp(r.max, -kHuge, kHuge);
  const double magnitude = std::max(std::abs(r.min), std::abs(r.max));
  const double min_span = std::max(magnitude * kMinRelativeSpan, 1e-300);
  if (r.max - r.min < min_span) {
    const double c = r.min * 0.5 + r.max * 0.5;
    r.min = c - min_span * 0.5;
    r.max = c + min_span * 0.5;
  }
  return r;
}

AxisTransform::AxisTransform(PlotRange r, PlotScale s, double pmin, double pmax)
    : range(r), scale(s), pixel_min(pmin), pixel_max(pmax), t_min(scale_forward(r.min, s)), t_max(scale_forward(r.max, s)) {}

double AxisTransform::pixel_from_value(double v) const {
  return pixel_min + (scale_forward(v, scale) - t_min) / (t_max - t_min) * (pixel_max - pixel_min);
}

double AxisTransform::value_from_pixel(double p) const {
  return scale_inverse(t_min + (p - pixel_min) / (pixel_max - pixel_min) * (t_max - t_min), scale);
}

PlotRange zoom_range(PlotRange r, PlotScale s, double pivot, double factor) {
  const double t0 = scale_forward(r.min, s), t1 = scale_forward(r.max, s);
  double tp = scale_forward(pivot, s);
  if (!std::isfinite(tp)) tp = 0.5 * (t0 + t1);
  return sanitize_range({scale_inverse(tp - (tp - t0) * factor, s), scale_inverse(tp + (t1 - tp) * factor, s)}, s);
}

PlotRange pan_range(const AxisTransform& t, double delta_px) {
  const double dt = delta_px * (t.t_max - t.t_min) / (t.pixel_max - t.pixel_min);
  return sanitize_range({scale_inverse(t.t_min - dt, t.scale), scale_inverse(t.t_max - dt, t.scale)}, t.scale);
}

PlotRange range_between_pixels(const AxisTransform& t, double p0, double p1) {
  double a = t.value_from_pixel(p0), b = t.value_from_pixel(p1);
  if (a > b) std::swap(a, b);
  return sanitize_range({a, b}, t.scale);
}

PlotRange fit_range(double lo, double hi, PlotScale s, double padding) {
  if (s == PlotScale::Log10) {
    if (!(lo <= hi) || hi <= 0.0) return {0.1, 1.0};
    if (lo <= 0.0) lo = hi * 1e-3;
    if (lo == hi) return sanitize_range({lo * 0.5, hi * 2.0}, s);
    const double tl = std::log10(lo), th = std::log10(hi), d = (th - tl) * padding;
    return sanitize_range({std::pow(10.0, tl - d), std::pow(10.0, th + d)}, s);
  }
  if (!(lo <= hi)) return {0.0, 1.0};
  if (lo == hi) {
    const double w = lo != 0.0 ? std::abs(lo) * 0.1 : 1.0;
    return sanitize_range({lo - w, hi + w}, s);
  }
  const double d = (hi - lo) * padding;
  return sanitize_range({lo - d, hi + d}, s);
}

PlotRange widen_to_min_span(PlotRange r, double lo, double hi, PlotScale s, double fraction) {
  if (s != PlotScale::Linear || !(fraction > 0.0) || !(lo <= hi)) return r;
  const double span = fraction * std::max(std::abs(lo), std::abs(hi));
  if (!(r.span() < span)) return r;
  const double c = lo * 0.5 + hi * 0.5;
  return sanitize_range({c - span * 0.5, c + span * 0.5}, s);
}

// [SECTION] ticks and number labels

double nice_step(double raw) {
  if (!(raw > 0.0) || !std::isfinite(raw)) return 1.0;
  const double base = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / base;
  const double tol = 1.0 + 1e-9;
  if (m <= 1.0 * tol) return base;
  if (m <= 2.0 * tol) return 2.0 * base;
  if (m <= 5.0 * tol) return 5.0 * base;
  return 10.0 * base;
}

double next_nice_step(double step) {
  const double base = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double m = std::round(step / base);
  if (m < 1.5) return 2.0 * base;
  if (m < 3.5) return 5.0 * base;
  return 10.0 * base;
}

namespace {

// Decimal digits needed after the point to tell multiples of `step` apart (steps are 1-2-5 × 10ⁿ).
int decimals_for(double step) {
  if (!(step > 0.0)) return 0;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 17);
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s == "-0" || (s.starts_with("-0.") && s.find_first_not_of("0.", 1) == std::string::npos)) s.erase(0, 1);
  return s;
}

// "⁻⁵" for -5.
std::string superscript(int e) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string s;
  if (e < 0) s += "⁻";
  for (char ch : std::to_string(std::abs(e))) s += kDigits[ch - '0'];
  return s;
}

// "×10⁻⁵", or "e-5" without superscripts.
std::string exponent_text(int e, bool superscripts) {
  std::string s(superscripts ? "×10" : "e");
  s += superscripts ? superscript(e) : std::to_string(e);
  return s;
}

// m×10ⁿ with as many mantissa digits as `step` needs; "10ⁿ" for a mantissa of exactly 1.
std::string scientific(double v, double step, bool superscripts) {
  int e = static_cast<int>(std::floor(std::log10(std::abs(v))));
  const int step_e = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  const int digits = std::clamp(e - step_e, 0, 15);
  double m = v / std::pow(10.0, e);
  std::string mt = fixed(m, digits);
  if (mt == "10" || mt.starts_with("10.") || mt == "-10" || mt.starts_with("-10.")) {
    ++e;
    m = v / std::pow(10.0, e);
    mt = fixed(m, std::max(digits - 1, 0));
  }
  // Each label stands alone (not in an aligned column): "2×10⁻⁶" rather than "2.0×10⁻⁶".
  if (mt.find('.') != std::string::npos) {
    mt.erase(mt.find_last_not_of('0') + 1);
    if (mt.back() == '.') mt.pop_back();
  }
  if (superscripts && (mt == "1" || mt == "-1")) {  // "10⁻⁵" rather than "1×10⁻⁵"
    std::string s(mt == "-1" ? "-10" : "10");
    s += superscript(e);
    return s;
  }
  mt += exponent_text(e, superscripts);
  return mt;
}

std::string si(double v, double step) {
  static const char* const kPrefix[] = {"y", "z", "a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"};
  const int group = std::clamp(static_cast<int>(std::floor(std::log10(std::abs(v)) / 3.0)), -8, 8);
  const double unit = std::pow(10.0, 3 * group);
  std::string s = fixed(v / unit, decimals_for(step / unit));
  if (group != 0) s += std::string(" ") + kPrefix[group + 8];
  return s;
}

}  // namespace

std::string format_tick(double v, double step, double max_abs, TickFormat f, bool superscripts) {
  if (!std::isfinite(v)) return format_value(v);
  if (std::abs(v) < std::abs(step) * 1e-6) return "0";
  switch (f) {
    case TickFormat::SI: return si(v, step);
    case TickFormat::Scientific: return scientific(v, step, superscripts);
    case TickFormat::Auto: break;
  }
  if (max_abs >= 1e-4 && max_abs < 1e6) return fixed(v, decimals_for(step));
  return scientific(v, step, superscripts);
}

std::string format_value(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  std::string s = buf;
  // "1e-05" -> "1e-5"
  if (const auto e = s.find('e'); e != std::string::npos) {
    std::size_t d = e + 1;
    if (d < s.size() && (s[d] == '-' || s[d] == '+')) ++d;
    while (d + 1 < s.size() && s[d] == '0') s.erase(d, 1);
    if (s[e + 1] == '+') s.erase(e + 1, 1);
  }
  return s;
}

namespace {

double max_abs_of(const std::vector<Tick>& ticks) {
  double m = 0.0;
  for (const Tick& t : ticks)
    if (t.major) m = std::max(m, std::abs(t.value));
  return m;
}

// Majors at multiples of `step` inside the range (none if there would be more than 2000). The
// multiples are k·step with k an integer (exact in a double: sanitized ranges keep |k| < 1e16).
void multiples(PlotRange r, double step, std::vector<Tick>* out) {
  out->clear();
  const double k0 = std::ceil(r.min / step - 1e-9), k1 = std::floor(r.max / step + 1e-9);
  if (!(k1 - k0 < 2000)) return;
  for (int j = 0; j <= static_cast<int>(k1 - k0); ++j) {
    double v = (k0 + j) * step;
    if (std::abs(v) < step * 1e-9) v = 0.0;
    out->push_back({v, {}, true});
  }
}

void label_all(std::vector<Tick>* ticks, double step, const TickSpec& spec) {
  const double max_abs = max_abs_of(*ticks);
  for (Tick& t : *ticks)
    if (t.major) t.label = format_tick(t.value, step, max_abs, spec.format, spec.superscripts);
}

bool labels_fit(const std::vector<Tick>& ticks, double pixels_per_tick, const TickSpec& spec, const TextWidth& width) {
  if (!spec.horizontal) return spec.label_height_px + spec.min_gap_px <= pixels_per_tick;
  float widest = 0.0f;
  for (const Tick& t : ticks) widest = std::max(widest, width(t.label));
  return widest + spec.min_gap_px <= pixels_per_tick;
}

// 1-2-5 ticks over `r`, `length_px` being the length of the axis where ticks are closest.
std::vector<Tick> linear_ticks(PlotRange r, float length_px, const TickSpec& spec, const TextWidth& width) {
  std::vector<Tick> ticks;
  const double span = r.span();
  if (!(span > 0.0) || length_px <= 1.0f) return ticks;
  const double first_guess = spec.horizontal ? width("0.000") + spec.min_gap_px : spec.label_height_px + spec.min_gap_px;
  double step = nice_step(span * first_guess / length_px);
  if (spec.integer) step = std::max(step, 1.0);
  for (int iter = 0; iter < 40; ++iter) {
    multiples(r, step, &ticks);
    if (ticks.empty() && span / step > 2000) {  // too fine to list: coarser
      step = next_nice_step(step);
      continue;
    }
    label_all(&ticks, step, spec);
    if (labels_fit(ticks, length_px * step / span, spec, width)) break;
    step = next_nice_step(step);
  }
  // Minor ticks between majors, where they are at least 6 px apart.
  const double base = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double mantissa = std::round(step / base);
  const double per_major = mantissa == 2.0 ? 4.0 : 5.0;
  const double minor = step / per_major;
  if (length_px * minor / span >= 6.0 && (!spec.integer || minor >= 1.0 - 1e-9)) {
    const double k0 = std::ceil(r.min / minor - 1e-9), k1 = std::floor(r.max / minor + 1e-9);
    if (k1 - k0 < 4000)
      for (int j = 0; j <= static_cast<int>(k1 - k0); ++j)
        if (std::fmod(k0 + j, per_major) != 0.0) ticks.push_back({(k0 + j) * minor, {}, false});  // majors are every per_major-th
    std::sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  }
  return ticks;
}

std::vector<Tick> log_ticks_by_decade(const TickSpec& spec, const TextWidth& width);

std::string decade_label(int d, const TickSpec& spec) {
  const double v = std::pow(10.0, d);
  if (spec.format == TickFormat::SI) return si(v, v);
  if (spec.format == TickFormat::Auto && d >= -4 && d <= 5) return fixed(v, std::max(0, -d));
  return scientific(v, v, spec.superscripts);
}

// A log axis always reads with two labels at least (one label gives no scale): where the decades
// and 1-2-5 left fewer, more of m·10ⁿ (m = 1, 5, 2, 3, then 4, 6…9) are labelled where they leave
// room to the labels already there, else the axis' two ends are.
void label_two_at_least(const TickSpec& spec, const TextWidth& width, std::vector<Tick>* ticks) {
  auto labelled = [&] { return std::count_if(ticks->begin(), ticks->end(), [](const Tick& t) { return t.major; }); };
  if (labelled() >= 2) return;
  const double lo = std::log10(spec.range.min), decades = std::log10(spec.range.max) - lo;
  auto pixel = [&](double v) { return spec.length_px * (std::log10(v) - lo) / decades; };
  auto fits = [&](double v, const std::string& label) {
    for (const Tick& t : *ticks) {
      if (!t.major) continue;
      const double need = spec.horizontal ? (width(t.label) + width(label)) * 0.5 + spec.min_gap_px : spec.label_height_px + spec.min_gap_px;
      if (std::abs(pixel(v) - pixel(t.value)) < need) return false;
    }
    return true;
  };
  auto add = [&](double v, std::string label) {
    std::erase_if(*ticks, [&](const Tick& t) { return std::abs(t.value - v) <= 1e-12 * v; });  // a minor there
    ticks->push_back({v, std::move(label), true});
  };
  const int d0 = static_cast<int>(std::floor(lo)), d1 = static_cast<int>(std::ceil(lo + decades));
  for (int m : {1, 5, 2, 3, 4, 6, 7, 8, 9}) {
    for (int d = d0; d <= d1 && labelled() < 2; ++d) {
      const double v = m * std::pow(10.0, d);
      if (!(v >= spec.range.min * (1 - 1e-12) && v <= spec.range.max * (1 + 1e-12))) continue;
      std::string label = format_tick(v, std::pow(10.0, d), v, spec.format, spec.superscripts);
      if (fits(v, label)) add(v, std::move(label));
    }
    if (labelled() >= 2) break;
  }
  if (labelled() < 2) {
    // The ends, with the digits that tell them apart; nothing else labelled between them.
    std::erase_if(*ticks, [](const Tick& t) { return t.major; });
    const double step = nice_step(spec.range.span() / 4.0);
    for (double v : {spec.range.min, spec.range.max}) ticks->push_back({v, format_tick(v, step, spec.range.max, spec.format, spec.superscripts), true});
  }
  std::sort(ticks->begin(), ticks->end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
}

std::vector<Tick> log_ticks(const TickSpec& spec, const TextWidth& width) {
  std::vector<Tick> ticks = log_ticks_by_decade(spec, width);
  if (spec.range.max > spec.range.min && spec.range.min > 0.0 && spec.length_px > 1.0f) label_two_at_least(spec, width, &ticks);
  return ticks;
}

std::vector<Tick> log_ticks_by_decade(const TickSpec& spec, const TextWidth& width) {
  std::vector<Tick> ticks;
  const double lo = std::log10(spec.range.min), hi = std::log10(spec.range.max);
  const double decades = hi - lo;
  if (!(decades > 0.0) || spec.length_px <= 1.0f) return ticks;
  if (decades < 1.0) {
    // Less than a decade: 1-2-5 ticks in value space, spaced for the top of the axis, where a
    // log scale packs values closest (d pixel / d value = length / (decades · ln 10 · value)).
    const double span = spec.range.span();
    const double top_length = spec.length_px * span / (decades * std::log(10.0) * spec.range.max);
    ticks = linear_ticks(spec.range, static_cast<float>(top_length), spec, width);
    std::erase_if(ticks, [](const Tick& t) { return !t.major || t.value <= 0.0; });
    return ticks;
  }
  const double pixels_per_decade = spec.length_px / decades;
  const int d0 = static_cast<int>(std::ceil(lo - 1e-9)), d1 = static_cast<int>(std::floor(hi + 1e-9));
  // Every k-th decade, k the smallest that leaves room for the labels.
  static const int kStrides[] = {1, 2, 3, 5, 10, 20, 25, 50, 100, 200};
  int stride = 1;
  for (int k : kStrides) {
    stride = k;
    float need = spec.label_height_px + spec.min_gap_px;
    if (spec.horizontal) {
      float widest = 0.0f;
      for (int d = d0; d <= d1; ++d)
        if (d % k == 0) widest = std::max(widest, width(decade_label(d, spec)));
      need = widest + spec.min_gap_px;
    }
    if (pixels_per_decade * k >= need) break;
  }
  auto in_range = [&](double v) { return v >= spec.range.min * (1 - 1e-12) && v <= spec.range.max * (1 + 1e-12); };
  for (int d = d0 - 1; d <= d1; ++d) {
    const double v = std::pow(10.0, d);
    if (in_range(v)) {
      if (d % stride == 0) ticks.push_back({v, decade_label(d, spec), true});
      else if (pixels_per_decade >= 4.0) ticks.push_back({v, {}, false});
    }
    if (stride != 1) continue;
    // Within the decade: 2 and 5 labelled when there is plenty of room, 2…9 as minors.
    // (Side by side, 1 and 2 share the first such gap and 5 and the next decade the last; their
    // labels differ in width: "0.1" and "0.2" but "50" and "100".)
    auto tick_width = [&](double m) { return width(format_tick(m * v, v, m * v, spec.format, spec.superscripts)); };
    const float label_need =
        spec.horizontal ? std::max(width(decade_label(d, spec)) + tick_width(2.0), tick_width(5.0) + width(decade_label(d + 1, spec))) * 0.5f + spec.min_gap_px
                        : spec.label_height_px + spec.min_gap_px;
    // The narrowest gap of 1-2-5 labels is between 2 and 5 at the top: log10(5/2) decades... and
    // between 5 and 10: log10(2) ≈ 0.30 decade.
    const bool label_25 = pixels_per_decade * 0.30103 >= label_need;
    const bool minors = pixels_per_decade * std::log10(10.0 / 9.0) >= 2.5;
    for (int m = 2; m <= 9; ++m) {
      const double mv = m * v;
      if (!in_range(mv)) continue;
      if (label_25 && (m == 2 || m == 5)) ticks.push_back({mv, format_tick(mv, v, mv, spec.format, spec.superscripts), true});
      else if (minors) ticks.push_back({mv, {}, false});
    }
  }
  std::sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  return ticks;
}

}  // namespace

std::vector<Tick> make_ticks(const TickSpec& spec, const TextWidth& width) {
  if (spec.scale == PlotScale::Log10) return log_ticks(spec, width);
  return linear_ticks(spec.range, spec.length_px, spec, width);
}

// [SECTION] PlotBuffer

namespace {
constexpr int kFanout = 8;
}

// Noisy data makes every comparison a coin toss: the updates below are selects, not branches
// (a mispredicted branch per comparison made summaries several times slower).
void PlotBuffer::Accumulator::add(int i, double y) {
  if (!std::isfinite(y)) {
    if (std::isnan(y)) ++nan;
    else ++(y > 0 ? pos_inf : neg_inf);
    return;
  }
  // Points arrive in index order: a strict comparison keeps the first of equal values.
  const bool lower = y < min_v, higher = y > max_v;
  min_v = lower ? y : min_v;
  min_i = lower ? i : min_i;
  max_v = higher ? y : max_v;
  max_i = higher ? i : max_i;
  const bool positive = y > 0.0;
  const bool lower_pos = positive && y < minpos_v;
  minpos_v = lower_pos ? y : minpos_v;
  minpos_i = lower_pos ? i : minpos_i;
  nonpositive += positive ? 0 : 1;
}

void PlotBuffer::Accumulator::merge(const Accumulator& p) {
  // Equal values: the smaller index wins, whatever order the parts are merged in (an empty part's
  // index −1 is the largest unsigned, so it never wins a tie).
  auto wins = [](double pv, std::int32_t pi, double bv, std::int32_t bi, bool smaller) {
    return (smaller ? pv < bv : pv > bv) || (pv == bv && static_cast<std::uint32_t>(pi) < static_cast<std::uint32_t>(bi));
  };
  const bool lower = wins(p.min_v, p.min_i, min_v, min_i, true);
  const bool higher = wins(p.max_v, p.max_i, max_v, max_i, false);
  const bool lower_pos = wins(p.minpos_v, p.minpos_i, minpos_v, minpos_i, true);
  min_v = lower ? p.min_v : min_v;
  min_i = lower ? p.min_i : min_i;
  max_v = higher ? p.max_v : max_v;
  max_i = higher ? p.max_i : max_i;
  minpos_v = lower_pos ? p.minpos_v : minpos_v;
  minpos_i = lower_pos ? p.minpos_i : minpos_i;
  nan += p.nan;
  pos_inf += p.pos_inf;
  neg_inf += p.neg_inf;
  nonpositive += p.nonpositive;
}

PlotBuffer::Summary PlotBuffer::Accumulator::summary() const {
  Summary s;
  s.min_index = min_i;
  s.max_index = max_i;
  s.min_positive_index = minpos_i;
  s.nan = nan;
  s.pos_inf = pos_inf;
  s.neg_inf = neg_inf;
  s.nonpositive = nonpositive;
  return s;
}

void PlotBuffer::append(double x, double y) {
  ++revision_;
  ++appended_;
  push_point(x, y);
  if (max_points_ <= 0) return;
  if (++open_count_ == bucket_) close_bucket();
  else if (size() - open_start_ > std::max(8, max_points_ / 8)) reduce_open();  // the open bucket's points stay few
  while (size() > max_points_) compact();
}

void PlotBuffer::push_point(double x, double y) {
  if (!std::isfinite(x) || (!xs_.empty() && x < xs_.back())) sorted_ = false;
  xs_.push_back(x);
  ys_.push_back(y);
  const int n = size();
  if (n % kFanout != 0) return;
  // A block of 8 points is complete; so may be blocks of 8 blocks above it.
  Accumulator b;
  for (int i = n - kFanout; i < n; ++i) b.add(i, ys_[static_cast<std::size_t>(i)]);
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(b);
  for (std::size_t k = 0; levels_[k].size() % kFanout == 0; ++k) {
    Accumulator up;
    for (std::size_t j = levels_[k].size() - kFanout; j < levels_[k].size(); ++j) up.merge(levels_[k][j]);
    if (levels_.size() == k + 1) levels_.emplace_back();
    levels_[k + 1].push_back(up);
  }
}

void PlotBuffer::clear() {
  ++revision_;
  xs_.clear();
  ys_.clear();
  levels_.clear();
  sorted_ = true;
  appended_ = open_count_ = 0;
  bucket_ = 1;
  open_start_ = 0;
  starts_.clear();
}

void PlotBuffer::set_max_points(int max_points) {
  max_points_ = max_points > 0 ? std::max(max_points, 64) : 0;
  clear();
}

void PlotBuffer::truncate(int n) {
  // The pyramid holds whole blocks only: a level keeps the blocks that lie inside the first n.
  xs_.resize(static_cast<std::size_t>(n));
  ys_.resize(static_cast<std::size_t>(n));
  std::size_t block = kFanout;
  for (auto& level : levels_) {
    level.resize(std::min(level.size(), static_cast<std::size_t>(n) / block));
    block *= kFanout;
  }
  while (!levels_.empty() && levels_.back().empty()) levels_.pop_back();
}

int PlotBuffer::bucket_points(int first, int last, int out[5]) const {
  if (first >= last) return 0;
  Accumulator a;
  int non_finite = -1;
  for (int i = first; i < last; ++i) {
    const double y = ys_[static_cast<std::size_t>(i)];
    if (!std::isfinite(y) && non_finite < 0) non_finite = i;
    a.add(i, y);
  }
  int n = 0;
  for (int i : {a.min_i, a.max_i, a.minpos_i, non_finite, last - 1})
    if (i >= 0 && std::find(out, out + n, i) == out + n) out[n++] = i;
  std::sort(out, out + n);
  return n;
}

void PlotBuffer::close_bucket() {
  // The open bucket is full: it is kept as the points that hold its extremes.
  reduce_open();
  starts_.push_back(open_start_);
  open_start_ = size();
  open_count_ = 0;
}

void PlotBuffer::reduce_open() {
  // The extremes of the open bucket's points (the extremes of a union are among those of its
  // parts: reducing early changes nothing that closing it later keeps).
  int keep[5];
  const int n = bucket_points(open_start_, size(), keep);
  if (n < size() - open_start_) {
    double x[5], y[5];
    for (int k = 0; k < n; ++k) x[k] = xs_[static_cast<std::size_t>(keep[k])], y[k] = ys_[static_cast<std::size_t>(keep[k])];
    truncate(open_start_);
    for (int k = 0; k < n; ++k) push_point(x[k], y[k]);
  }
}

void PlotBuffer::compact() {
  // Buckets four times as long: every four closed buckets become one, kept by the extremes of
  // their kept points (the extremes of a union are among the extremes of its parts). Closed
  // buckets left over join the open bucket, which is reduced to its extremes too.
  const std::int64_t old_bucket = bucket_;
  bucket_ *= 4;
  std::vector<double> xs, ys;
  std::vector<int> starts;
  xs.reserve(xs_.size() / 2 + 8);
  ys.reserve(xs_.size() / 2 + 8);
  auto take = [&](int first, int last) {
    int keep[5];
    const int n = bucket_points(first, last, keep);
    for (int k = 0; k < n; ++k) xs.push_back(xs_[static_cast<std::size_t>(keep[k])]), ys.push_back(ys_[static_cast<std::size_t>(keep[k])]);
  };
  const int closed = static_cast<int>(starts_.size()), whole = closed / 4 * 4;
  for (int j = 0; j < whole; j += 4) {
    starts.push_back(static_cast<int>(xs.size()));
    take(starts_[static_cast<std::size_t>(j)], j + 4 < closed ? starts_[static_cast<std::size_t>(j + 4)] : open_start_);
  }
  const int open_from = whole < closed ? starts_[static_cast<std::size_t>(whole)] : open_start_;
  open_count_ += (closed - whole) * old_bucket;
  const int open_start = static_cast<int>(xs.size());
  take(open_from, size());
  // The pyramid again, from the kept points.
  xs_.clear();
  ys_.clear();
  levels_.clear();
  sorted_ = true;
  for (std::size_t i = 0; i < xs.size(); ++i) push_point(xs[i], ys[i]);
  starts_ = std::move(starts);
  open_start_ = open_start;
  if (open_count_ >= bucket_) close_bucket();
}

void PlotBuffer::reserve(int n) {
  xs_.reserve(static_cast<std::size_t>(n));
  ys_.reserve(static_cast<std::size_t>(n));
}

PlotBuffer::Summary PlotBuffer::summarize(int first, int last) const {
  Accumulator b;
  first = std::max(first, 0);
  last = std::min(last, size());
  // Walk up the pyramid: at each level take the units at the two ends that do not fill a whole
  // unit of the level above, and go on with the whole ones one level up.
  int lo = first, hi = last;
  int level = -1;  // −1: single points
  auto take = [&](int lvl, int u) {
    if (lvl < 0) b.add(u, ys_[static_cast<std::size_t>(u)]);
    else b.merge(levels_[static_cast<std::size_t>(lvl)][static_cast<std::size_t>(u)]);
  };
  while (lo < hi) {
    const int above = level + 1 < static_cast<int>(levels_.size()) ? static_cast<int>(levels_[static_cast<std::size_t>(level + 1)].size()) : 0;
    const int lo_up = (lo + kFanout - 1) / kFanout * kFanout;
    const int hi_down = std::min(hi / kFanout * kFanout, above * kFanout);
    if (lo_up >= hi_down) {
      for (int u = lo; u < hi; ++u) take(level, u);
      break;
    }
    for (int u = lo; u < lo_up; ++u) take(level, u);
    for (int u = hi_down; u < hi; ++u) take(level, u);
    lo = lo_up / kFanout;
    hi = hi_down / kFanout;
    ++level;
  }
  return b.summary();
}

// [SECTION] series statistics and lookups

bool bad_kind(double y, bool log_scale, BadKind* kind) {
  if (std::isnan(y)) *kind = BadKind::NaN;
  else if (std::isinf(y)) *kind = y > 0 ? BadKind::PosInf : BadKind::NegInf;
  else if (log_scale && y <= 0.0) *kind = BadKind::NonPositive;
  else return false;
  return true;
}

std::vector<float> UnderlayWidths(const std::vector<std::vector<double>>& series, float step) {
  auto same = [](double a, double b) { return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)); };
  auto coincide = [&](const std::vector<double>& a, const std::vector<double>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    std::size_t equal = 0;
    for (std::size_t i = 0; i < n; ++i) equal += same(a[i], b[i]) ? 1 : 0;
    return equal >= 2 && equal * 20 >= n;
  };
  std::vector<float> widths(series.size(), 1.0f);
  for (std::size_t i = 0; i < series.size(); ++i)
    for (std::size_t j = i + 1; j < series.size(); ++j)
      if (coincide(series[i], series[j])) widths[i] += step;
  return widths;
}

bool is_x_sorted(const SeriesView& s) {
  if (!s.xs) return s.dx > 0.0 && std::isfinite(s.x0) && std::isfinite(s.dx);
  if (s.buffer) return s.buffer->x_sorted();
  double prev = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < s.count; ++i) {
    const double x = s.xs[i];
    if (!(x >= prev) || !std::isfinite(x)) return false;
    prev = x;
  }
  return true;
}

namespace {

// First index in [lo, hi) whose x is ≥ v (pred = false) or > v (pred = true); sorted x only.
int search_x(const SeriesView& s, int lo, int hi, double v, bool strictly_greater) {
  if (!s.xs) {
    // x = x0 + i·dx: solve, then nudge for rounding.
    double k = std::ceil((v - s.x0) / s.dx);
    int i = static_cast<int>(std::clamp(k, static_cast<double>(lo), static_cast<double>(hi)));
    auto ok = [&](int j) { return strictly_greater ? s.x(j) > v : s.x(j) >= v; };
    while (i > lo && ok(i - 1)) --i;
    while (i < hi && !ok(i)) ++i;
    return i;
  }
  const double* b = s.xs + lo;
  const double* e = s.xs + hi;
  return static_cast<int>((strictly_greater ? std::upper_bound(b, e, v) : std::lower_bound(b, e, v)) - s.xs);
}

// search_x for a v at or after lo's x (the next pixel column's edge): a guess by interpolation
// (exact for evenly spaced x), then probes 1, 2, 4, … away from it and a search of the bracket:
// a few reads near the answer instead of a binary search's across the whole array.
int gallop_x(const SeriesView& s, int lo, int hi, double v) {
  if (!s.xs || hi - lo < 16) return search_x(s, lo, hi, v, false);
  const double x0 = s.xs[lo], x1 = s.xs[hi - 1];
  int g = lo;
  if (x1 > x0) g = lo + static_cast<int>(std::clamp((v - x0) / (x1 - x0), 0.0, 1.0) * (hi - 1 - lo));
  // Bracket [a, b) with x(a − 1) < v ≤ x(b) around the guess.
  int a = g, b = g, step = 1;
  if (s.xs[g] < v) {
    while (b < hi && s.xs[b] < v) {
      a = b + 1;
      b += step;
      step *= 2;
    }
    b = std::min(b, hi);
  } else {
    while (a > lo && s.xs[a - 1] >= v) {
      b = a - 1;
      a = std::max(a - step, lo);
      step *= 2;
    }
  }
  return search_x(s, a, b, v, false);
}

PlotBuffer::Summary scan_summary(const SeriesView& s, int first, int last) {
  PlotBuffer::Accumulator a;
  for (int i = first; i < last; ++i) a.add(i, s.ys[i]);
  return a.summary();
}

}  // namespace

SeriesStats series_stats(const SeriesView& s, PlotRange x_view, PlotScale x_scale) {
  SeriesStats st;
  if (s.count <= 0) return st;
  if (s.buffer && s.buffer->x_sorted()) {
    const PlotBuffer& b = *s.buffer;
    st.x_lo = s.x(0);
    st.x_hi = s.x(s.count - 1);
    const int p = search_x(s, 0, s.count, 0.0, true);
    if (p < s.count) st.x_lo_positive = s.x(p);
    const PlotBuffer::Summary all = b.summarize(0, s.count);
    st.nan = all.nan;
    st.pos_inf = all.pos_inf;
    st.neg_inf = all.neg_inf;
    st.nonpositive = all.nonpositive;
    const int first = search_x(s, 0, s.count, x_view.min, false), last = search_x(s, first, s.count, x_view.max, true);
    const PlotBuffer::Summary v = b.summarize(first, last);
    if (v.min_index >= 0) {
      st.y_lo = s.y(v.min_index);
      st.y_hi = s.y(v.max_index);
    }
    if (v.min_positive_index >= 0) {
      st.y_lo_positive = s.y(v.min_positive_index);
      st.y_hi_positive = st.y_hi;
    }
    st.x_sorted = true;
    return st;
  }
  // One pass with selects rather than branches where noisy data would make them coin tosses; the
  // extents start at ±inf, which reads as "none" (lo > hi) when nothing was found.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double x_lo = kInf, x_hi = -kInf, x_lo_pos = kInf, y_lo = kInf, y_hi = -kInf, y_lo_pos = kInf, y_hi_pos = -kInf;
  double prev = -kInf;
  bool sorted = true;
  const bool log_x = x_scale == PlotScale::Log10;
  for (int i = 0; i < s.count; ++i) {
    const double x = s.x(i), y = s.ys[i];
    const bool x_finite = std::isfinite(x);
    sorted = sorted && x_finite && !(x < prev);
    prev = x;
    x_lo = x_finite ? std::min(x_lo, x) : x_lo;
    x_hi = x_finite ? std::max(x_hi, x) : x_hi;
    x_lo_pos = x_finite && x > 0.0 ? std::min(x_lo_pos, x) : x_lo_pos;
    if (!std::isfinite(y)) {
      if (std::isnan(y)) ++st.nan;
      else ++(y > 0 ? st.pos_inf : st.neg_inf);
      continue;
    }
    st.nonpositive += y <= 0.0 ? 1 : 0;
    const bool in_view = x >= x_view.min && x <= x_view.max && (!log_x || x > 0.0);
    y_lo = in_view ? std::min(y_lo, y) : y_lo;
    y_hi = in_view ? std::max(y_hi, y) : y_hi;
    const bool pos = in_view && y > 0.0;
    y_lo_pos = pos ? std::min(y_lo_pos, y) : y_lo_pos;
    y_hi_pos = pos ? std::max(y_hi_pos, y) : y_hi_pos;
  }
  st.x_sorted = sorted;
  if (x_lo <= x_hi) st.x_lo = x_lo, st.x_hi = x_hi;
  if (x_lo_pos < kInf) st.x_lo_positive = x_lo_pos;
  if (y_lo <= y_hi) st.y_lo = y_lo, st.y_hi = y_hi;
  if (y_lo_pos <= y_hi_pos) st.y_lo_positive = y_lo_pos, st.y_hi_positive = y_hi_pos;
  return st;
}

double stairs_end(const SeriesView& s) {
  if (s.count <= 0) return 0.0;
  const double last = s.x(s.count - 1);
  if (s.count == 1) return last + 1.0;
  return last + std::max(last - s.x(s.count - 2), 0.0);
}

int stairs_index_at(const SeriesView& s, double x) {
  if (s.count <= 0 || !std::isfinite(x) || x >= stairs_end(s)) return -1;
  if (s.x_sorted) return search_x(s, 0, s.count, x, true) - 1;
  int best = -1;
  for (int i = 0; i < s.count; ++i)
    if (s.x(i) <= x && (best < 0 || s.x(i) >= s.x(best))) best = i;
  return best;
}

int nearest_index_at(const SeriesView& s, double x) {
  if (s.count <= 0 || std::isnan(x)) return -1;
  if (s.x_sorted) {
    const int i = search_x(s, 0, s.count, x, false);
    if (i >= s.count) return s.count - 1;
    if (i == 0) return 0;
    return std::abs(s.x(i - 1) - x) <= std::abs(s.x(i) - x) ? i - 1 : i;
  }
  int best = -1;
  double best_d = std::numeric_limits<double>::infinity();
  for (int i = 0; i < s.count; ++i) {
    const double d = std::abs(s.x(i) - x);
    if (d < best_d) best_d = d, best = i;
  }
  return best;
}

// [SECTION] decimation

void visible_index_range(const SeriesView& s, const AxisTransform& tx, int* first, int* last) {
  if (!s.x_sorted) {
    *first = 0;
    *last = s.count;
    return;
  }
  const int lo = search_x(s, 0, s.count, tx.range.min, false);
  const int hi = search_x(s, lo, s.count, tx.range.max, true);
  *first = std::max(lo - 1, 0);
  *last = std::min(hi + 1, s.count);
}

namespace {

// Collects kept points, gaps and marks in index order.
struct Keeper {
  const SeriesView& s;
  const AxisTransform& tx;
  bool log_x, log_y;
  Decimated* out;
  bool pending_gap = false;
  double gap_x = 0.0;

  void gap_at(double x) {
    if (!pending_gap) gap_x = x;
    pending_gap = true;
  }
  void mark(double x, BadKind k) {
    // One mark per kind per pixel column.
    const double col = std::floor(tx.pixel_from_value(x));
    for (auto it = out->marks.rbegin(); it != out->marks.rend() && it - out->marks.rbegin() < 4; ++it)
      if (it->kind == k && std::floor(tx.pixel_from_value(it->x)) == col) return;
    out->marks.push_back({x, k});
  }
  void keep(int i, double x, double y) {
    out->points.push_back({x, y, i, pending_gap, gap_x});
    pending_gap = false;
  }
  // One point, kept or turned into a gap (and a mark when its x is known).
  void point(int i) {
    const double x = s.x(i), y = s.y(i);
    if (!std::isfinite(x) || (log_x && x <= 0.0)) {
      gap_at(out->points.empty() ? 0.0 : out->points.back().x);
      return;
    }
    BadKind k;
    if (bad_kind(y, log_y, &k)) {
      gap_at(x);
      mark(x, k);
      return;
    }
    keep(i, x, y);
  }
  void finish() {
    out->gap_after = pending_gap;
    out->gap_after_x = gap_x;
  }
};

}  // namespace

double bin_width(const AxisTransform& tx) {
  const double pixels = std::max(1.0, std::ceil(std::abs(tx.pixel_max - tx.pixel_min)));
  const double raw = std::abs(tx.t_max - tx.t_min) / pixels;
  if (!(raw > 0.0) || !std::isfinite(raw)) return 1.0;
  // Rounded up to a multiple of 2^(e−4) (at most 12.5 % wider): the rounding of a pan (the span's
  // last bits) leaves it as is.
  int e = 0;
  const double m = std::frexp(raw, &e);  // raw = m · 2^e, m in [0.5, 1)
  return std::ldexp(std::ceil(m * 16.0) / 16.0, e);
}

namespace {

// One bin: the points [first, last), which of them to keep (in index order: the first, the last,
// the smallest and the largest that can be drawn) and the kinds of values that cannot be.
Bin summarise_bin(const SeriesView& s, int first, int last, bool log_y) {
  Bin b;
  b.first = first;
  b.last = last;
  if (last <= first) return b;
  const PlotBuffer::Summary m = s.buffer ? s.buffer->summarize(first, last) : scan_summary(s, first, last);
  if (m.nan) b.bad |= 1u << static_cast<unsigned>(BadKind::NaN);
  if (m.pos_inf) b.bad |= 1u << static_cast<unsigned>(BadKind::PosInf);
  if (m.neg_inf) b.bad |= 1u << static_cast<unsigned>(BadKind::NegInf);
  if (log_y && m.nonpositive) b.bad |= 1u << static_cast<unsigned>(BadKind::NonPositive);
  int cand[4] = {first, last - 1, log_y ? m.min_positive_index : m.min_index, m.max_index};
  std::sort(cand, cand + 4);
  int prev = -1;
  for (int idx : cand) {
    if (idx < 0 || idx == prev) continue;
    prev = idx;
    BadKind bk;
    if (!bad_kind(s.y(idx), log_y, &bk)) b.kept[b.kept_count++] = idx;
  }
  return b;
}

}  // namespace

void decimate(const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, Decimated* out, BinCache* cache) {
  out->clear();
  Keeper k{s, tx, tx.scale == PlotScale::Log10, ty.scale == PlotScale::Log10, out};
  if (s.count <= 0) return;
  int first = 0, last = 0;
  visible_index_range(s, tx, &first, &last);
  const int columns = std::max(1, static_cast<int>(std::ceil(std::abs(tx.pixel_max - tx.pixel_min))));

  if (!s.x_sorted) {
    // No columns to reduce by: drop repeats of the same pixel only.
    double last_px = kNaN, last_py = kNaN;
    for (int i = first; i < last; ++i) {
      const double x = s.x(i), y = s.y(i);
      BadKind bk;
      if (std::isfinite(x) && !(k.log_x && x <= 0.0) && !bad_kind(y, k.log_y, &bk)) {
        const double px = std::floor(tx.pixel_from_value(x)), py = std::floor(ty.pixel_from_value(y));
        if (px == last_px && py == last_py && !k.pending_gap) continue;
        last_px = px;
        last_py = py;
      }
      k.point(i);
    }
    k.finish();
    return;
  }
  if (last - first <= 2 * columns) {
    for (int i = first; i < last; ++i) k.point(i);
    k.finish();
    return;
  }

  out->decimated = true;
  // Bins one pixel wide in the scale's space, at multiples of their width: a pan moves whole bins,
  // so that those already summarised (kept in `cache`) are reused.
  const double w = bin_width(tx);
  const double t_lo = std::min(tx.t_min, tx.t_max), t_hi = std::max(tx.t_min, tx.t_max);
  const double k_first = std::floor(t_lo / w), k_end = std::ceil(t_hi / w);
  const bool use_cache = cache && s.buffer;
  if (use_cache && !cache->matches(s.buffer, w, tx.scale, k.log_y)) {
    cache->bins.clear();
    cache->buffer = s.buffer;
    cache->revision = s.buffer->revision();
    cache->width = w;
    cache->x_scale = tx.scale;
    cache->log_y = k.log_y;
  }
  if (use_cache && cache->bins.size() > 16 * static_cast<std::size_t>(k_end - k_first) + 64) cache->bins.clear();
  auto edge = [&](double kk) { return scale_inverse(kk * w, tx.scale); };
  // Bins hold the points between their edges whatever is in view (a cached bin is the same bin in
  // the next frame); the points just outside the first and the last bin carry the line to the border.
  int i = search_x(s, 0, s.count, edge(k_first), false);
  if (i > 0) k.point(i - 1);
  for (double kk = k_first; kk < k_end && i < s.count; kk += 1.0) {
    const long long key = static_cast<long long>(kk);
    Bin bin;
    const Bin* found = nullptr;
    if (use_cache) {
      const auto it = cache->bins.find(key);
      if (it != cache->bins.end() && it->second.first == i) found = &it->second;
    }
    if (!found) {
      bin = summarise_bin(s, i, gallop_x(s, i, s.count, edge(kk + 1.0)), k.log_y);
      if (use_cache) cache->bins[key] = bin;
      found = &bin;
    }
    const Bin& b = *found;
    if (b.last > b.first) {
      if (b.bad) {
        k.gap_at(edge(kk));
        const double mid = scale_inverse((kk + 0.5) * w, tx.scale);
        for (BadKind kind : {BadKind::NaN, BadKind::PosInf, BadKind::NegInf, BadKind::NonPositive})
          if (b.bad & (1u << static_cast<unsigned>(kind))) k.mark(mid, kind);
      }
      for (int n = 0; n < b.kept_count; ++n) k.keep(b.kept[n], s.x(b.kept[n]), s.y(b.kept[n]));
      if (b.bad) k.gap_at(edge(kk + 1.0));
    }
    i = b.last;
  }
  if (i < s.count) k.point(i);
  k.finish();
}

void decimate_scatter(const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, std::vector<std::uint8_t>* seen,
                      Decimated* out) {
  out->clear();
  Keeper k{s, tx, tx.scale == PlotScale::Log10, ty.scale == PlotScale::Log10, out};
  if (s.count <= 0) return;
  int first = 0, last = 0;
  visible_index_range(s, tx, &first, &last);
  const double x0 = std::min(tx.pixel_min, tx.pixel_max), y0 = std::min(ty.pixel_min, ty.pixel_max);
  const int w = std::max(1, static_cast<int>(std::ceil(std::abs(tx.pixel_max - tx.pixel_min)))) + 1;
  const int h = std::max(1, static_cast<int>(std::ceil(std::abs(ty.pixel_max - ty.pixel_min)))) + 1;
  const bool use_seen = last - first > 4 * w;  // few points: keep them all
  if (use_seen) seen->assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
  for (int i = first; i < last; ++i) {
    const double x = s.x(i), y = s.y(i);
    BadKind bk;
    if (use_seen && std::isfinite(x) && !(k.log_x && x <= 0.0) && !bad_kind(y, k.log_y, &bk)) {
      const double px = std::floor(tx.pixel_from_value(x) - x0), py = std::floor(ty.pixel_from_value(y) - y0);
      if (px >= 0 && py >= 0 && px < w && py < h) {
        std::uint8_t& cell = (*seen)[static_cast<std::size_t>(py) * static_cast<std::size_t>(w) + static_cast<std::size_t>(px)];
        if (cell) continue;
        cell = 1;
      }
    }
    k.point(i);
  }
  k.finish();
}

// [SECTION] screen paths

void ScreenPath::reset(PlotRect clip) {
  points.clear();
  starts.clear();
  clip_[0] = clip.min.x;
  clip_[1] = clip.min.y;
  clip_[2] = clip.max.x;
  clip_[3] = clip.max.y;
  has_last_ = open_ = false;
}

int ScreenPath::polyline_size(int k) const {
  const int end = k + 1 < polyline_count() ? starts[static_cast<std::size_t>(k) + 1] : static_cast<int>(points.size());
  return end - starts[static_cast<std::size_t>(k)];
}

void ScreenPath::begin_polyline(double x, double y) {
  starts.push_back(static_cast<int>(points.size()));
  points.emplace_back(static_cast<float>(x), static_cast<float>(y));
  open_ = true;
}

void ScreenPath::move_to(double x, double y) {
  open_ = false;
  has_last_ = std::isfinite(x) && std::isfinite(y);
  if (!has_last_) return;
  last_x_ = x;
  last_y_ = y;
  if (x >= clip_[0] && x <= clip_[2] && y >= clip_[1] && y <= clip_[3]) begin_polyline(x, y);
}

void ScreenPath::line_to(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) {
    has_last_ = open_ = false;
    return;
  }
  if (!has_last_) {
    move_to(x, y);
    return;
  }
  // Liang–Barsky: the part of last → (x, y) inside the clip rectangle is t ∈ [t0, t1].
  const double dx = x - last_x_, dy = y - last_y_;
  double t0 = 0.0, t1 = 1.0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {last_x_ - clip_[0], clip_[2] - last_x_, last_y_ - clip_[1], clip_[3] - last_y_};
  bool visible = true;
  for (int e = 0; e < 4 && visible; ++e) {
    if (p[e] == 0.0) {
      if (q[e] < 0.0) visible = false;
    } else {
      const double t = q[e] / p[e];
      if (p[e] < 0.0) t0 = std::max(t0, t);
      else t1 = std::min(t1, t);
      if (t0 > t1) visible = false;
    }
  }
  const double ox = last_x_, oy = last_y_;
  last_x_ = x;
  last_y_ = y;
  if (!visible) {
    open_ = false;
    return;
  }
  if (!open_ || t0 > 0.0) begin_polyline(ox + t0 * dx, oy + t0 * dy);
  const ImVec2 end(static_cast<float>(ox + t1 * dx), static_cast<float>(oy + t1 * dy));
  if (end.x != points.back().x || end.y != points.back().y || polyline_size(polyline_count() - 1) == 1) points.push_back(end);
  open_ = t1 >= 1.0;
}

void trace_path(const Decimated& d, const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, bool stairs, ScreenPath* p) {
  double prev_sy = 0.0;
  bool have = false;
  for (const KeptPoint& k : d.points) {
    const double sx = tx.pixel_from_value(k.x), sy = ty.pixel_from_value(k.y);
    if (!have || k.gap_before) {
      if (stairs && have) p->line_to(tx.pixel_from_value(k.gap_x), prev_sy);  // the step runs until the gap
      p->move_to(sx, sy);
    } else {
      if (stairs) p->line_to(sx, prev_sy);  // hold the previous value, then the riser
      p->line_to(sx, sy);
    }
    prev_sy = sy;
    have = true;
  }
  if (stairs && have) {
    const KeptPoint& last = d.points.back();
    const double end = d.gap_after ? d.gap_after_x : last.index + 1 < s.count ? s.x(last.index + 1) : stairs_end(s);
    p->line_to(tx.pixel_from_value(end), prev_sy);
  }
}

void dash_path(const ScreenPath& in, float on_px, float off_px, ScreenPath* out) {
  out->points.clear();
  out->starts.clear();
  const float period[2] = {on_px, off_px};
  for (int k = 0; k < in.polyline_count(); ++k) {
    const int s = in.starts[static_cast<std::size_t>(k)], n = in.polyline_size(k);
    int phase = 0;  // 0: drawing, 1: gap
    float left = period[0];
    out->starts.push_back(static_cast<int>(out->points.size()));
    out->points.push_back(in.points[static_cast<std::size_t>(s)]);
    for (int i = s + 1; i < s + n; ++i) {
      ImVec2 a = in.points[static_cast<std::size_t>(i) - 1];
      const ImVec2 b = in.points[static_cast<std::size_t>(i)];
      float len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
      while (len > 0.0f) {
        const float step = std::min(left, len);
        const float t = step / len;
        a = ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        len -= step;
        left -= step;
        if (phase == 0) out->points.push_back(a);
        if (left <= 0.0f) {
          phase ^= 1;
          left = period[phase];
          if (phase == 0) {
            out->starts.push_back(static_cast<int>(out->points.size()));
            out->points.push_back(a);
          }
        }
      }
    }
    // A dash start with nothing after it (the polyline ended at a gap boundary).
    if (out->points.size() - static_cast<std::size_t>(out->starts.back()) < 2) {
      out->points.resize(static_cast<std::size_t>(out->starts.back()));
      out->starts.pop_back();
    }
  }
}

// [SECTION] layout and hit testing

PlotLayout layout_plot(PlotRect frame, const LayoutInput& in) {
  PlotLayout l;
  l.frame = frame;
  const float pad = in.pad;
  float top = frame.min.y + pad;
  if (in.title_h > 0.0f) {
    l.title = {ImVec2(frame.min.x, top), ImVec2(frame.max.x, top + in.title_h)};
    top += in.title_h + pad;
  }
  const float bottom = frame.max.y - pad - in.x_label_h - (in.x_label_h > 0.0f ? pad * 0.5f : 0.0f) - in.x_tick_h - pad;
  float left = frame.min.x + pad + in.y1_label_w + (in.y1_label_w > 0.0f ? pad : 0.0f) + in.y1_tick_w + pad;
  float right = frame.max.x - pad;
  if (in.y2) right -= in.y2_tick_w + pad + in.y2_label_w + (in.y2_label_w > 0.0f ? pad : 0.0f);
  else right -= in.x_overhang;
  left = std::max(left, frame.min.x + in.min_margin_left);
  right = std::min(right, frame.max.x - in.min_margin_right);
  l.area = {ImVec2(left, top), ImVec2(std::max(right, left + 1.0f), std::max(bottom, top + 1.0f))};
  l.x_axis = {ImVec2(l.area.min.x, l.area.max.y), ImVec2(l.area.max.x, frame.max.y)};
  l.y1_axis = {ImVec2(frame.min.x, l.area.min.y), ImVec2(l.area.min.x, l.area.max.y)};
  if (in.y2) l.y2_axis = {ImVec2(l.area.max.x, l.area.min.y), ImVec2(frame.max.x, l.area.max.y)};
  return l;
}

PlotRegion hit_region(const PlotLayout& l, ImVec2 p) {
  if (l.area.contains(p)) return PlotRegion::Area;
  if (l.x_axis.contains(p)) return PlotRegion::XAxis;
  if (l.y1_axis.contains(p)) return PlotRegion::Y1Axis;
  if (l.y2_axis.contains(p)) return PlotRegion::Y2Axis;
  if (l.title.contains(p)) return PlotRegion::Title;
  return PlotRegion::None;
}

LegendLayout layout_legend(const std::vector<float>& text_widths, float row_h, float swatch_w, float pad, PlotRect area,
                           PlotLocation where) {
  LegendLayout l;
  if (text_widths.empty()) return l;
  const float text_w = *std::max_element(text_widths.begin(), text_widths.end());
  const float w = pad + swatch_w + pad + text_w + pad;
  const float h = pad + static_cast<float>(text_widths.size()) * row_h + pad;
  const bool east = where == PlotLocation::NorthEast || where == PlotLocation::SouthEast;
  const bool north = where == PlotLocation::NorthWest || where == PlotLocation::NorthEast;
  const float x0 = east ? area.max.x - pad - w : area.min.x + pad;
  const float y0 = north ? area.min.y + pad : area.max.y - pad - h;
  l.box = {ImVec2(x0, y0), ImVec2(x0 + w, y0 + h)};
  for (std::size_t i = 0; i < text_widths.size(); ++i) {
    const float y = y0 + pad + static_cast<float>(i) * row_h;
    l.entries.push_back({ImVec2(x0, y), ImVec2(x0 + w, y + row_h)});
  }
  return l;
}

std::string ellipsize(const std::string& text, float max_px, const TextWidth& width) {
  if (width(text) <= max_px) return text;
  std::string cut = text;
  while (!cut.empty()) {
    // Drop one UTF-8 character: its continuation bytes (10xxxxxx), then its lead byte.
    while (!cut.empty()) {
      const unsigned char c = static_cast<unsigned char>(cut.back());
      cut.pop_back();
      if ((c & 0xC0) != 0x80) break;
    }
    if (width(cut + "…") <= max_px) return cut + "…";
  }
  return "…";
}

int hit_legend(const LegendLayout& legend, ImVec2 p) {
  for (std::size_t i = 0; i < legend.entries.size(); ++i)
    if (legend.entries[i].contains(p)) return static_cast<int>(i);
  return -1;
}

}  // namespace gs::app::widgets

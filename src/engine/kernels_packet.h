// Float kernels on whole SIMD registers through Eigen's packet math: a packet type with the
// arithmetic and the functions the elementwise rules of ops_elementwise.cpp are written in, so
// that a rule's value and partial adjoint, written once over S, also run 16 floats at a time
// (AVX-512; 8 with AVX, 4 with SSE). Every element, the last partial register's too, goes through
// the same packet code, so a value never depends on its position in a tensor or on its address: the
// training curve stays the same bit for bit. exp and tanh are our own (Cephes' expf and tanhf),
// written in IEEE operations only (+ − × ÷, compare, select, exponent bits; no fused multiply-add):
// each is within a few ulp and gives the same bits on every instruction set and compiler (Eigen's
// pexp/ptanh do not: see exp() and tanh() below). src/engine is compiled with -ffp-contract=off so
// that no compiler fuses this code's products and sums on its own.
// Internal to src/engine. Depends on Eigen only.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>

namespace gs::packet {

namespace ei = Eigen::internal;
using RawF = ei::packet_traits<float>::type;
// A packet type as a class template's argument loses its alignment attribute, which GCC reports
// (-Wignored-attributes) though only the member type is wanted; Eigen's own headers silence it so.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
using RawI = ei::unpacket_traits<RawF>::integer_packet;  // as many int32 lanes
#pragma GCC diagnostic pop
inline constexpr std::ptrdiff_t kLanes = sizeof(RawF) / sizeof(float);

// 16 (8, 4) floats; constants of a rule (`1.0 - y`) are rounded to float.
struct PacketF {
  RawF v;
};
inline PacketF splat(double c) { return {ei::pset1<RawF>(static_cast<float>(c))}; }

inline PacketF operator+(PacketF a, PacketF b) { return {ei::padd(a.v, b.v)}; }
inline PacketF operator-(PacketF a, PacketF b) { return {ei::psub(a.v, b.v)}; }
inline PacketF operator*(PacketF a, PacketF b) { return {ei::pmul(a.v, b.v)}; }
inline PacketF operator/(PacketF a, PacketF b) { return {ei::pdiv(a.v, b.v)}; }
inline PacketF operator-(PacketF a) { return {ei::pnegate(a.v)}; }
inline PacketF operator+(PacketF a, double b) { return a + splat(b); }
inline PacketF operator-(PacketF a, double b) { return a - splat(b); }
inline PacketF operator*(PacketF a, double b) { return a * splat(b); }
inline PacketF operator/(PacketF a, double b) { return a / splat(b); }
inline PacketF operator+(double a, PacketF b) { return splat(a) + b; }
inline PacketF operator-(double a, PacketF b) { return splat(a) - b; }
inline PacketF operator*(double a, PacketF b) { return splat(a) * b; }
inline PacketF operator/(double a, PacketF b) { return splat(a) / b; }

// Lanes where `mask` is set take a, the others b.
inline PacketF select(RawF mask, PacketF a, PacketF b) { return {ei::pselect(mask, a.v, b.v)}; }
inline RawF less(PacketF a, PacketF b) { return ei::pcmp_lt(a.v, b.v); }  // false where either is NaN
inline RawF less_equal(PacketF a, PacketF b) { return ei::pcmp_le(a.v, b.v); }
inline RawF is_number(PacketF a) { return ei::pcmp_eq(a.v, a.v); }      // false where a is NaN

// The functions, with PyTorch's values at the kinks as in sym.h's scalar namespace.
inline PacketF sqrt(PacketF a) { return {ei::psqrt(a.v)}; }
inline PacketF abs(PacketF a) { return {ei::pabs(a.v)}; }

// e^x as Cephes' expf (S. Moshier): x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 in two parts, so that
// n·ln 2 is exact), e^r by its polynomial, then 2^n applied as two factors, so that a result in
// the subnormal range is rounded once, as torch's exp gives it (e^−100 = 3.78e-44; 0 below
// 2^−150). Within 2 ulp for normal results; +∞ above 88.72; NaN stays NaN.
// Why not Eigen's pexp: its float version depends on the instruction set. With AVX-512DQ it
// clamps at −88.38 and builds 2^n from exponent bits (e^−∞ = 0); elsewhere (SSE, so the
// x86-64-v2 package, and AVX2) it clamps at −88.72 and scales with pldexp, so e^−∞ = 2.9e-39;
// and its polynomial uses pmadd, an FMA only where the CPU has one.
inline PacketF exp(PacketF x) {
  PacketF xc = select(less(x, splat(-104.0)), splat(-104.0), select(less(splat(89.0), x), splat(89.0), x));
  xc = select(is_number(x), xc, splat(0));                 // NaN: computed on 0, put back at the end
  const PacketF round = splat(12582912.0);                 // 1.5·2^23: + and − it round to an integer
  const PacketF n = (xc * 1.44269504088896341 + round) - round;  // round(x / ln 2), in [−150, 128]
  const PacketF r = (xc - n * 0.693359375) - n * -2.12194440e-4;
  PacketF p = splat(1.9875691500e-4);
  p = p * r + 1.3981999507e-3;
  p = p * r + 8.3334519073e-3;
  p = p * r + 4.1665795894e-2;
  p = p * r + 1.6666665459e-1;
  p = p * r + 5.0000001201e-1;
  p = (p * (r * r) + r) + 1.0;                             // e^r
  // 2^n = 2^a · 2^b with a = ⌊n/2⌋ and b = n − a in [−75, 64]: both normal floats.
  const RawI ni = ei::pcast<RawF, RawI>(n.v);
  const RawI ai = ei::parithmetic_shift_right<1>(ni);
  const RawI bi = ei::psub(ni, ai);
  const RawI bias = ei::pset1<RawI>(127);
  const PacketF two_a{ei::preinterpret<RawF>(ei::plogical_shift_left<23>(ei::padd(ai, bias)))};
  const PacketF two_b{ei::preinterpret<RawF>(ei::plogical_shift_left<23>(ei::padd(bi, bias)))};
  return select(is_number(x), (p * two_a) * two_b, x);
}

// tanh x as Cephes' tanhf: x + x³·P(x²) below |x| = 0.625 (no cancellation near 0; −0 stays −0),
// 1 − 2/(e^2|x| + 1) with x's sign above (±1 from |x| ≈ 9.01 on, ±1 at ±∞, NaN stays NaN).
// Within 3 ulp.
// Why not Eigen's ptanh: a rational function clamped at ±7.99881 where the CPU has FMA but at
// ±7.90531 where it has not (SSE, so the x86-64-v2 package): there tanh(7.94) came out 1,
// 4.3 ulp from 0.99999975 (torch: 0.99999976).
inline PacketF tanh(PacketF x) {
  const PacketF ax = abs(x);
  const PacketF s = x * x;
  PacketF p = splat(-5.70498872745e-3);
  p = p * s + 2.06390887954e-2;
  p = p * s - 5.37397155531e-2;
  p = p * s + 1.33314422036e-1;
  p = p * s - 3.33332819422e-1;
  const PacketF small = (p * s) * x + x;
  const PacketF large = 1.0 - 2.0 / (exp(ax + ax) + 1.0);
  return select(less(ax, splat(0.625)), small, select(less(x, splat(0)), -large, large));
}

// σ(x) as sym.h's scalar sigmoid: 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below, both sides
// computed and the right one selected (never exp of a large positive number; full relative
// accuracy far into the negative tail, where Eigen's logistic approximation loses it).
inline PacketF sigmoid(PacketF a) {
  const PacketF e = exp(select(less(a, splat(0)), a, -a));  // e^−|x|, NaN stays NaN
  const PacketF one = splat(1);
  return select(less(a, splat(0)), e / (one + e), one / (one + e));
}
// relu: x where x > 0 or x is NaN, else 0.
inline PacketF relu(PacketF a) { return select(less_equal(a, splat(0)), splat(0), a); }
// [x > 0]: relu'(0) = 0.
inline PacketF step(PacketF a) { return select(less(splat(0), a), splat(1), splat(0)); }
inline PacketF sign(PacketF a) {
  return select(less(splat(0), a), splat(1), select(less(a, splat(0)), splat(-1), splat(0)));
}

// y[k] = f(x[k]) for k < n; y may be x. The last, partial register is computed on a zero-padded
// copy, through the same code.
template <class F>
void map(const float* x, float* y, std::ptrdiff_t n, F f) {
  std::ptrdiff_t k = 0;
  for (; k + kLanes <= n; k += kLanes) ei::pstoreu(y + k, f(PacketF{ei::ploadu<RawF>(x + k)}).v);
  if (k == n) return;
  alignas(64) float in[kLanes] = {}, out[kLanes];
  std::copy(x + k, x + n, in);
  ei::pstore(out, f(PacketF{ei::pload<RawF>(in)}).v);
  std::copy(out, out + (n - k), y + k);
}

// out[k] = f(a[k], b[k], c[k]); out may be any of the inputs.
template <class F>
void map3(const float* a, const float* b, const float* c, float* out, std::ptrdiff_t n, F f) {
  std::ptrdiff_t k = 0;
  for (; k + kLanes <= n; k += kLanes)
    ei::pstoreu(out + k, f(PacketF{ei::ploadu<RawF>(a + k)}, PacketF{ei::ploadu<RawF>(b + k)},
                           PacketF{ei::ploadu<RawF>(c + k)}).v);
  if (k == n) return;
  alignas(64) float ta[kLanes] = {}, tb[kLanes] = {}, tc[kLanes] = {}, t[kLanes];
  std::copy(a + k, a + n, ta);
  std::copy(b + k, b + n, tb);
  std::copy(c + k, c + n, tc);
  ei::pstore(t, f(PacketF{ei::pload<RawF>(ta)}, PacketF{ei::pload<RawF>(tb)}, PacketF{ei::pload<RawF>(tc)}).v);
  std::copy(t, t + (n - k), out + k);
}

}  // namespace gs::packet

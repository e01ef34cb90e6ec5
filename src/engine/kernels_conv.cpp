// Convolution, pooling and zero padding on [N×C×H×W] tensors (contract in kernels_conv.h).
// Convolutions are lowered with im2col onto Eigen's matrix product, one image (or a few small
// ones) per product so that the column buffer stays in cache. One thread: training splits its
// batch between threads itself (src/nn/train_step.h).
// Depends on tensor.h and Eigen only: no graph, no ops, no I/O.
#include "kernels_conv.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace gs::kernels {

// [SECTION] shape checks and output sizing
// [SECTION] short copies and parts
// [SECTION] im2col / col2im
// [SECTION] conv2d
// [SECTION] max pooling
// [SECTION] average pooling
// [SECTION] zero padding
// [SECTION] explicit instantiations

namespace {

// -----------------------------------------------------------------------------------------------
// [SECTION] shape checks and output sizing
// -----------------------------------------------------------------------------------------------

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MapRM = Eigen::Map<RowMatrix<T>>;
template <class T>
using ConstMapRM = Eigen::Map<const RowMatrix<T>>;

[[noreturn]] void fail(const char* kernel, const std::string& what) {
  throw std::invalid_argument(std::string(kernel) + ": " + what);
}

void require_nchw(const char* kernel, const char* role, const Shape& s) {
  if (s.rank() != 4) fail(kernel, std::string(role) + " must be [N×C×H×W], got " + s.to_string());
  for (Index d : s)
    if (d < 0) fail(kernel, std::string(role) + " " + s.to_string() + " has a negative extent");
}

void require_at_least(const char* kernel, const char* what, int value, int least) {
  if (value < least)
    fail(kernel, std::string(what) + " must be at least " + std::to_string(least) + ", got " + std::to_string(value));
}

void require_same(const char* kernel, const char* role, const Shape& got, const Shape& expected) {
  if (got != expected)
    fail(kernel, std::string(role) + " " + got.to_string() + " does not match the expected " + expected.to_string());
}

// An output that is also an input would be resized (freed) under the reader's feet.
template <class T>
void require_distinct(const char* kernel, const Tensor<T>& in, const Tensor<T>& out) {
  if (&in == &out) fail(kernel, "the output tensor must not be one of the inputs");
}

// Resize `t` to `s` only when it differs, so that steady-state training reuses the buffer.
template <class T>
void ensure_shape(Tensor<T>& t, const Shape& s) {
  if (t.shape() == s) return;
  if (t.size() == s.size())
    t.reshape_in_place(s);
  else
    t = Tensor<T>::uninitialized(s);
}

// A backward rule's common start: the incoming gradient has the output's shape, and the result
// (neither of the two inputs) is sized.
template <class T>
void prepare_backward(const char* kernel, const Tensor<T>& gy, const Shape& y_shape, const Tensor<T>& other,
                      Tensor<T>& result, const Shape& result_shape) {
  require_same(kernel, "output gradient", gy.shape(), y_shape);
  require_distinct(kernel, gy, result);
  require_distinct(kernel, other, result);
  ensure_shape(result, result_shape);
}

template <class Buffer>
void ensure_size(Buffer& v, Index n) {
  if (static_cast<Index>(v.size()) < n) v.resize(static_cast<std::size_t>(n));
}

// n elements rounded up to whole 64-byte lines: every buffer carved out of the workspace starts
// aligned, so Eigen's alignment-dependent paths round the same way on every call.
template <class T>
Index aligned_count(Index n) {
  constexpr Index kLine = 64 / sizeof(T);
  return (n + kLine - 1) / kLine * kLine;
}

// The geometry shared by the three convolution rules, validated once per call.
struct ConvGeometry {
  Index n, c, h, w;  // input (N, C, H, W)
  Index f, kh, kw;   // weight (F, C, KH, KW)
  Index oh, ow;      // output (N, F, OH, OW)
  Index stride, pad;
  Index hp() const { return h + 2 * pad; }  // zero-padded input
  Index wp() const { return w + 2 * pad; }
  Index k() const { return c * kh * kw; }   // rows of the column matrix
  Index p() const { return oh * ow; }       // its columns, per image
  Shape y_shape() const { return Shape{n, f, oh, ow}; }
};

ConvGeometry conv_geometry(const char* kernel, const Shape& x, const Shape& w, int stride, int pad) {
  require_nchw(kernel, "input", x);
  if (w.rank() != 4) fail(kernel, "weight must be [F×C×KH×KW], got " + w.to_string());
  require_at_least(kernel, "stride", stride, 1);
  require_at_least(kernel, "padding", pad, 0);
  if (w[0] < 1 || w[1] < 1 || w[2] < 1 || w[3] < 1) fail(kernel, "weight " + w.to_string() + " has an empty axis");
  if (x[1] != w[1])
    fail(kernel, "input " + x.to_string() + " has " + std::to_string(x[1]) + " channels but weight " + w.to_string() +
                     " expects " + std::to_string(w[1]));
  if (x[2] + 2 * pad < w[2] || x[3] + 2 * pad < w[3])
    fail(kernel, "weight " + w.to_string() + " is larger than input " + x.to_string() + " padded by " +
                     std::to_string(pad));
  ConvGeometry g{x[0], x[1], x[2], x[3], w[0], w[2], w[3], 0, 0, stride, pad};
  g.oh = conv_out_size(g.h, g.kh, stride, pad);
  g.ow = conv_out_size(g.w, g.kw, stride, pad);
  return g;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] short copies and parts
// -----------------------------------------------------------------------------------------------

// Image rows are short (10 to 32 elements): a library call per row costs more than the work,
// and a loop over vector blocks ends in a scalar tail. Rows are moved as whole blocks instead,
// the last block ending at n and overlapping the one before it.
template <class T>
inline constexpr Index kBlock = 32 / sizeof(T);  // one AVX register

template <class T>
inline void copy_row(const T* src, Index n, T* dst) {
  if (n < kBlock<T>) {
    for (Index i = 0; i < n; ++i) dst[i] = src[i];
    return;
  }
  Index i = 0;
  for (; i + kBlock<T> <= n; i += kBlock<T>) std::memcpy(dst + i, src + i, sizeof(T) * kBlock<T>);
  if (i < n) std::memcpy(dst + n - kBlock<T>, src + n - kBlock<T>, sizeof(T) * kBlock<T>);
}

// dst += src for one row. Overlapping blocks work for += too when every block is read before
// any is written; that holds for rows of up to four blocks, which covers the usual image widths.
template <class T>
inline void add_row(const T* src, Index n, T* dst) {
  constexpr Index kB = kBlock<T>;
  struct Block {
    T v[kB];
  };
  const auto sum_at = [=](Index at) {
    Block a, b;
    std::memcpy(a.v, dst + at, sizeof a.v);
    std::memcpy(b.v, src + at, sizeof b.v);
    for (Index j = 0; j < kB; ++j) a.v[j] += b.v[j];
    return a;
  };
  const auto store_at = [=](Index at, const Block& a) { std::memcpy(dst + at, a.v, sizeof a.v); };
  const Index last = n - kB;
  if (n >= kB && n <= 2 * kB) {
    const Block s0 = sum_at(0), s1 = sum_at(last);
    store_at(0, s0);
    store_at(last, s1);
  } else if (n > 2 * kB && n <= 4 * kB) {
    const Index third = std::min(2 * kB, last);
    const Block s0 = sum_at(0), s1 = sum_at(kB), s2 = sum_at(third), s3 = sum_at(last);
    store_at(0, s0);
    store_at(kB, s1);
    store_at(third, s2);
    store_at(last, s3);
  } else {
    for (Index i = 0; i < n; ++i) dst[i] += src[i];
  }
}

// The batch is cut into at most this many contiguous parts, and a weight gradient is summed part
// by part in part order.
constexpr Index kMaxParts = 8;

// body(worker, part) for every part, in order; `worker` names the buffers to use.
template <class Body>
void for_parts(Index parts, const Body& body) {
  for (Index part = 0; part < parts; ++part) body(0, part);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] im2col / col2im
// -----------------------------------------------------------------------------------------------
//
// Column matrix of one image: row r = (c, i, j) of the kernel, column q = (oy, ox) of the output,
//   cols[r][q] = xp[c][oy·s + i][ox·s + j]
// where xp is the image padded with zeros. Images are padded once into a small buffer, so the
// inner loop is a plain row copy. A chunk of G images lays its column blocks side by side (row
// stride ld = G·OH·OW), so that one product covers all of them.

// Zero padding of `planes` planes of H×W: xp (planes, H+2p, W+2p) gets x with a zero border.
// Shared by the pad op and by im2col, which pads one image at a time.
template <class T>
void embed_planes(const T* x, Index planes, Index h, Index w, Index pad, T* xp) {
  const Index hp = h + 2 * pad, wp = w + 2 * pad;
  std::fill(xp, xp + planes * hp * wp, T(0));
  for (Index pl = 0; pl < planes; ++pl)
    for (Index y = 0; y < h; ++y) copy_row(x + (pl * h + y) * w, w, xp + (pl * hp + y + pad) * wp + pad);
}

// Its reverse: x (planes, H, W) = xp (planes, H+2p, W+2p) without the border.
template <class T>
void crop_planes(const T* xp, Index planes, Index h, Index w, Index pad, T* x) {
  const Index hp = h + 2 * pad, wp = w + 2 * pad;
  for (Index pl = 0; pl < planes; ++pl)
    for (Index y = 0; y < h; ++y) copy_row(xp + (pl * hp + y + pad) * wp + pad, w, x + (pl * h + y) * w);
}

// The image (C, H, W) to take columns from: x itself, or its padded copy in `xp`.
template <class T>
const T* padded_image(const ConvGeometry& g, const T* x, T* xp) {
  if (g.pad == 0) return x;
  embed_planes(x, g.c, g.h, g.w, g.pad, xp);
  return xp;
}

template <class T>
void im2col(const ConvGeometry& g, const T* xp, T* cols, Index ld) {
  const Index hp = g.hp(), wp = g.wp(), s = g.stride;
  for (Index c = 0; c < g.c; ++c)
    for (Index i = 0; i < g.kh; ++i)
      for (Index j = 0; j < g.kw; ++j) {
        T* row = cols + ((c * g.kh + i) * g.kw + j) * ld;
        const T* src = xp + (c * hp + i) * wp + j;
        for (Index oy = 0; oy < g.oh; ++oy, src += s * wp, row += g.ow) {
          if (s == 1) {
            copy_row(src, g.ow, row);
          } else {
            for (Index ox = 0; ox < g.ow; ++ox) row[ox] = src[ox * s];
          }
        }
      }
}

// The reverse of im2col: each column entry adds into the padded-input element it was copied from
// (overlapping windows accumulate). gxp must be zero on entry.
template <class T>
void col2im(const ConvGeometry& g, const T* cols, Index ld, T* gxp) {
  const Index hp = g.hp(), wp = g.wp(), s = g.stride;
  for (Index c = 0; c < g.c; ++c)
    for (Index i = 0; i < g.kh; ++i)
      for (Index j = 0; j < g.kw; ++j) {
        const T* row = cols + ((c * g.kh + i) * g.kw + j) * ld;
        T* dst = gxp + (c * hp + i) * wp + j;
        for (Index oy = 0; oy < g.oh; ++oy, dst += s * wp, row += g.ow) {
          if (s == 1) {
            add_row(row, g.ow, dst);
          } else {
            for (Index ox = 0; ox < g.ow; ++ox) dst[ox * s] += row[ox];
          }
        }
      }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] conv2d: the batch plan and per-thread buffers
// -----------------------------------------------------------------------------------------------

// Images per matrix product: one image when its OH·OW columns already make a product wide enough
// for Eigen's kernels (the product then writes straight into y); several small images otherwise,
// at the price of copying into and out of the chunk layout.
constexpr Index kMinColumns = 256;

// How a call cuts its batch, and where each thread's buffers live in the workspace:
//   columns: per worker, the column matrix of one chunk [K × G·P]
//   scratch: per worker, the padded image (C·Hp·Wp) and a chunk of outputs or output gradients
//            [F × G·P]; then, for the weight gradient, one partial sum [F × K] per part.
struct ConvPlan {
  Index chunk = 1, chunks = 0, parts = 1;
  int workers = 1;
  Index columns_per_worker = 0, scratch_per_worker = 0;
  Index chunk_offset = 0;     // within a worker's scratch (the padded image comes first)
  Index partials_offset = 0;  // within the whole scratch
  Index partial_stride = 0;   // from one part's partial sum to the next
  // Images [first, last) of a part: whole chunks, so that splitting never changes a product.
  Index first_image(Index part) const { return chunk * (chunks * part / parts); }
};

template <class T>
ConvPlan plan_conv(const ConvGeometry& g, ConvWorkspace<T>& ws, bool partials) {
  ConvPlan plan;
  const Index p = g.p(), k = g.k();
  plan.chunk = std::clamp<Index>((kMinColumns + p - 1) / p, 1, std::max<Index>(g.n, 1));
  plan.chunks = (g.n + plan.chunk - 1) / plan.chunk;
  plan.parts = std::clamp<Index>(plan.chunks, 1, kMaxParts);
  plan.workers = 1;
  plan.columns_per_worker = aligned_count<T>(k * plan.chunk * p);
  plan.chunk_offset = aligned_count<T>(g.pad > 0 ? g.c * g.hp() * g.wp() : 0);
  plan.scratch_per_worker = plan.chunk_offset + aligned_count<T>(g.f * plan.chunk * p);
  plan.partials_offset = plan.scratch_per_worker * plan.workers;
  plan.partial_stride = aligned_count<T>(g.f * k);
  ensure_size(ws.columns, plan.columns_per_worker * plan.workers);
  ensure_size(ws.scratch, plan.partials_offset + (partials ? plan.parts * plan.partial_stride : 0));
  return plan;
}

// Copy between the tensor layout [G × F × P] and the chunk layout [F × G·P].
template <class T>
void to_chunk_layout(const T* src, Index images, Index f, Index p, T* chunk) {
  for (Index i = 0; i < images; ++i)
    for (Index r = 0; r < f; ++r) copy_row(src + (i * f + r) * p, p, chunk + r * images * p + i * p);
}

// One chunk of work as a worker sees it: images [n0, n0 + images) of a part, and its buffers.
template <class T>
struct ChunkJob {
  Index part = 0, n0 = 0, images = 0;
  Index ld = 0;        // images·P: the row length of the chunk's matrices
  T* cols = nullptr;   // [K × ld]
  T* image = nullptr;  // one padded image (C·Hp·Wp), or the padded gradient of one
  T* chunk = nullptr;  // [F × ld]
};

// Runs body(job) for every chunk of the batch, parts in parallel.
template <class T, class Body>
void for_chunks(const ConvGeometry& g, const ConvPlan& plan, ConvWorkspace<T>& ws, const Body& body) {
  for_parts(plan.parts, [&](int worker, Index part) {
    ChunkJob<T> job;
    job.part = part;
    job.cols = ws.columns.data() + worker * plan.columns_per_worker;
    job.image = ws.scratch.data() + worker * plan.scratch_per_worker;
    job.chunk = job.image + plan.chunk_offset;
    const Index last = std::min(g.n, plan.first_image(part + 1));
    for (job.n0 = plan.first_image(part); job.n0 < last; job.n0 += plan.chunk) {
      job.images = std::min(plan.chunk, last - job.n0);
      job.ld = job.images * g.p();
      body(job);
    }
  });
}

// im2col of the job's images, side by side in job.cols.
template <class T>
void chunk_columns(const ConvGeometry& g, const T* x, const ChunkJob<T>& job) {
  const Index image = g.c * g.h * g.w;
  for (Index i = 0; i < job.images; ++i)
    im2col(g, padded_image(g, x + (job.n0 + i) * image, job.image), job.cols + i * g.p(), job.ld);
}

// [SECTION] small weight gradients in vector lanes
//
// out[f·K + k] gets Σ_q a[f][q]·b[k][q] for F rows of a and K rows of b, given image by image:
// within an image's rows, lane j of a fresh vector sum takes the elements q ≡ j (mod lanes) in
// order (the elements after the last whole vector: a scalar sum); each image's vector and scalar
// sums are added to those of its group of 8 images, each group's to the totals, and the end adds
// the scalar and the lanes in lane order. Chains of roundings stay short (an image's row / lanes,
// 8 images, N / 8 groups), as in a blocked sum, without Eigen's blocked product, which is slow
// for a few long dot products (LeNet's first layer: 6×25 sums of 25 088 terms per part).
template <class T>
using Lanes = Eigen::Array<T, 64 / static_cast<int>(sizeof(T)), 1>;

// acc += a·x lane by lane as one fused multiply-add (one rounding) per lane where the instruction
// set has FMA (x86-64-v3 and up, -march=native here): Eigen's pmadd on whole registers, the same
// bits from every such instruction set and compiler. src/engine is built with -ffp-contract=off,
// which leaves a written `acc += a * x` as a product and a sum: twice the instructions in these
// kernels' inner loops (LeNet's first layer took 15 % longer so).
// Without FMA (x86-64-v2: the Debian package's instruction set) the product and the sum are
// rounded separately, on whole registers. std::fma would keep the bits but is a libm call per
// element there: the package's lenet step took 170–225 ms instead of about 6 ms (2 threads, the
// lead's measurement of 07688d9, load 9). So, as Eigen's own matrix products already do, these
// sums differ from an FMA machine's in the last place on such a build (docs/PERFORMANCE.md).
template <class T>
inline void fused_add(Lanes<T>& acc, const Lanes<T>& a, const Lanes<T>& x) {
#ifdef EIGEN_VECTORIZE_FMA
  namespace ei = Eigen::internal;
  using P = typename ei::packet_traits<T>::type;
  constexpr Index kP = sizeof(P) / sizeof(T);  // lanes (unpacket_traits<P> would drop P's alignment)
  for (Index j = 0; j < Lanes<T>::SizeAtCompileTime; j += kP)
    ei::pstoreu(acc.data() + j,
                ei::pmadd(ei::ploadu<P>(a.data() + j), ei::ploadu<P>(x.data() + j), ei::ploadu<P>(acc.data() + j)));
#else
  acc += a * x;
#endif
}
template <class T>
inline void fused_add(Lanes<T>& acc, T a, const Lanes<T>& x) {
#ifdef EIGEN_VECTORIZE_FMA
  namespace ei = Eigen::internal;
  using P = typename ei::packet_traits<T>::type;
  constexpr Index kP = sizeof(P) / sizeof(T);  // lanes (unpacket_traits<P> would drop P's alignment)
  const P av = ei::pset1<P>(a);
  for (Index j = 0; j < Lanes<T>::SizeAtCompileTime; j += kP)
    ei::pstoreu(acc.data() + j, ei::pmadd(av, ei::ploadu<P>(x.data() + j), ei::ploadu<P>(acc.data() + j)));
#else
  acc += a * x;
#endif
}

// One element's a·b + c as fused_add rounds it: one rounding with FMA in the instruction set, a
// product and a sum without (std::fma would be a libm call there; see fused_add).
template <class T>
inline T fused_mul_add(T a, T b, T c) {
#ifdef EIGEN_VECTORIZE_FMA
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

// The running sums of every (f, k): `lanes`/`rest` over the current group of kGroup images, and
// `total_lanes`/`total_rest` over the groups before it.
template <class T>
struct LaneSums {
  static constexpr Index kGroup = 8;
  using LaneVector = std::vector<Lanes<T>, Eigen::aligned_allocator<Lanes<T>>>;
  LaneVector lanes, total_lanes;
  std::vector<T> rest, total_rest;
  Index k = 0, images = 0;
  LaneSums(Index f, Index k_)
      : lanes(static_cast<std::size_t>(f * k_), Lanes<T>::Zero()),
        total_lanes(lanes),
        rest(static_cast<std::size_t>(f * k_), T(0)),
        total_rest(rest),
        k(k_) {}
  // After each image: every kGroup images, the group's sums join the totals.
  void image_done() {
    if (++images % kGroup == 0) flush();
  }
  void flush() {
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      total_lanes[i] += lanes[i];
      total_rest[i] += rest[i];
      lanes[i] = Lanes<T>::Zero();
      rest[i] = T(0);
    }
  }
};

// Where lane_dots finds its rows: RA rows of a (stride lda) against RB rows of b (row c at
// b + brow[c]), `len` elements each, for `images` images one after the other (image i's rows at
// a + i·a_image and b + i·b_image).
template <class T>
struct LaneRows {
  const T* a;
  Index lda, a_image;
  const T* b;
  const Index* brow;
  Index b_image, len, images;
};

// Adds the rows' dot products into the sums of (f0 + r, k0 + c): one running sum per lane over
// all the images' vectors (`images` > 1 only where len is whole registers), then into the group.
template <class T, int RA, int RB>
void lane_dots(const LaneRows<T>& in, LaneSums<T>& sums, Index f0, Index k0) {
  using L = Lanes<T>;
  constexpr Index kN = L::SizeAtCompileTime;
  L acc[RA][RB];
  for (int r = 0; r < RA; ++r)
    for (int c = 0; c < RB; ++c) acc[r][c] = L::Zero();
  const Index whole = in.len / kN * kN;
  for (Index i = 0; i < in.images; ++i) {
    const T* a = in.a + i * in.a_image;
    const T* b = in.b + i * in.b_image;
    for (Index q = 0; q < whole; q += kN) {
      L av[RA], bv[RB];
      for (int r = 0; r < RA; ++r) av[r] = Eigen::Map<const L>(a + r * in.lda + q);
      for (int c = 0; c < RB; ++c) bv[c] = Eigen::Map<const L>(b + in.brow[c] + q);
      for (int r = 0; r < RA; ++r)
        for (int c = 0; c < RB; ++c) fused_add(acc[r][c], av[r], bv[c]);
    }
  }
  for (int r = 0; r < RA; ++r)
    for (int c = 0; c < RB; ++c) {
      const auto at = static_cast<std::size_t>((f0 + r) * sums.k + k0 + c);
      sums.lanes[at] += acc[r][c];
      T rest = 0;
      for (Index t = whole; t < in.len; ++t) rest = fused_mul_add(in.a[r * in.lda + t], in.b[in.brow[c] + t], rest);
      sums.rest[at] += rest;
    }
}

// Every (f, k) of the rows: F rows of a, K rows of b, in blocks of 3 × 4 running sums.
template <class T>
void lane_dots_all(const LaneRows<T>& in, Index f, Index k, LaneSums<T>& sums) {
  for (Index f0 = 0; f0 < f; f0 += 3) {
    const Index ra = std::min<Index>(3, f - f0);
    for (Index k0 = 0; k0 < k; k0 += 4) {
      const Index rb = std::min<Index>(4, k - k0);
      LaneRows<T> block = in;
      block.a += f0 * in.lda;
      block.brow += k0;
      const auto run = [&]<int RA>(std::integral_constant<int, RA>) {
        switch (rb) {
          case 1: lane_dots<T, RA, 1>(block, sums, f0, k0); break;
          case 2: lane_dots<T, RA, 2>(block, sums, f0, k0); break;
          case 3: lane_dots<T, RA, 3>(block, sums, f0, k0); break;
          default: lane_dots<T, RA, 4>(block, sums, f0, k0); break;
        }
      };
      if (ra == 1) run(std::integral_constant<int, 1>{});
      else if (ra == 2) run(std::integral_constant<int, 2>{});
      else run(std::integral_constant<int, 3>{});
    }
  }
}

// out[i] = rest + lane 0 + lane 1 + …, in that order.
template <class T>
void finish_lane_sums(LaneSums<T>& sums, T* out) {
  if (sums.images % LaneSums<T>::kGroup != 0) sums.flush();
  for (std::size_t i = 0; i < sums.total_rest.size(); ++i) {
    T total = sums.total_rest[i];
    for (Index j = 0; j < Lanes<T>::SizeAtCompileTime; ++j) total += sums.total_lanes[i][j];
    out[i] = total;
  }
}

// [SECTION] convolutions of few filters, in vector lanes
//
// y[f][q] = (Σ_k w[f][k]·cols[k][q], k ascending, from zero) + b[f] for F ≤ kFewFilters filters:
// LeNet's first layer (6 filters of 25 taps). Eigen computes this product as (cols)ᵀ·Wᵀ, whose
// 6 columns fill its 4-column kernel one and a half times; here every 2 × 16 output places of all
// F filters are 2·F running sums in registers, each tap a broadcast of w[f][k] and one fused
// multiply-add per vector. The sum per output is the same chain as Eigen's (k in order, then the
// bias added), and lanes are fixed by index, so nothing depends on alignment.
constexpr Index kFewFilters = 8;

template <class T, int F>
void few_filters(const T* w, Index k, const T* bias, const T* cols, const Index* row, Index len, T* y, Index ldy) {
  using L = Lanes<T>;
  constexpr Index kN = L::SizeAtCompileTime;
  T b[F];
  for (int f = 0; f < F; ++f) b[f] = bias ? bias[f] : T(0);
  Index q = 0;
  for (; q + 2 * kN <= len; q += 2 * kN) {
    L a0[F], a1[F];
    for (int f = 0; f < F; ++f) a0[f] = a1[f] = L::Zero();
    for (Index r = 0; r < k; ++r) {
      const L x0 = Eigen::Map<const L>(cols + row[r] + q), x1 = Eigen::Map<const L>(cols + row[r] + q + kN);
      for (int f = 0; f < F; ++f) {
        const T wf = w[f * k + r];
        fused_add(a0[f], wf, x0);
        fused_add(a1[f], wf, x1);
      }
    }
    for (int f = 0; f < F; ++f) {
      Eigen::Map<L>(y + f * ldy + q) = a0[f] + b[f];
      Eigen::Map<L>(y + f * ldy + q + kN) = a1[f] + b[f];
    }
  }
  for (; q + kN <= len; q += kN) {
    L a0[F];
    for (int f = 0; f < F; ++f) a0[f] = L::Zero();
    for (Index r = 0; r < k; ++r) {
      const L x0 = Eigen::Map<const L>(cols + row[r] + q);
      for (int f = 0; f < F; ++f) fused_add(a0[f], w[f * k + r], x0);
    }
    for (int f = 0; f < F; ++f) Eigen::Map<L>(y + f * ldy + q) = a0[f] + b[f];
  }
  for (; q < len; ++q)
    for (int f = 0; f < F; ++f) {
      T acc = 0;
      for (Index r = 0; r < k; ++r) acc = fused_mul_add(w[f * k + r], cols[row[r] + q], acc);
      y[f * ldy + q] = acc + b[f];
    }
}

// Which stride-1 layers compute their forward in lanes on the padded image (below) instead of
// im2col and Eigen's product: few filters (LeNet's first layer: 6), and up to 32 filters, eight at
// a time, over a small image that stays in the first-level cache while they pass over it
// (LeNet's second layer: 16 filters over 6 × 14 × 14, where Eigen's [16 × 150] · [150 × 300]
// products ran at a third of a core's peak: 0.45 → 0.25 ms per 64 images on one thread).
bool filters_in_lanes(const ConvGeometry& g) {
  constexpr Index kMaxFilters = 4 * kFewFilters, kMaxImage = 4096;  // values of the padded image
  return g.stride == 1 && (g.f <= kFewFilters || (g.f <= kMaxFilters && g.c * g.hp() * g.wp() <= kMaxImage));
}

// few_filters for F = 1 … kFewFilters (the register count is fixed at compile time). Tap r's
// values for the `len` outputs start at cols + row[r].
template <class T>
void few_filters_any(Index f, const T* w, Index k, const T* bias, const T* cols, const Index* row, Index len, T* y,
                     Index ldy) {
  switch (f) {
    case 1: few_filters<T, 1>(w, k, bias, cols, row, len, y, ldy); break;
    case 2: few_filters<T, 2>(w, k, bias, cols, row, len, y, ldy); break;
    case 3: few_filters<T, 3>(w, k, bias, cols, row, len, y, ldy); break;
    case 4: few_filters<T, 4>(w, k, bias, cols, row, len, y, ldy); break;
    case 5: few_filters<T, 5>(w, k, bias, cols, row, len, y, ldy); break;
    case 6: few_filters<T, 6>(w, k, bias, cols, row, len, y, ldy); break;
    case 7: few_filters<T, 7>(w, k, bias, cols, row, len, y, ldy); break;
    default: few_filters<T, 8>(w, k, bias, cols, row, len, y, ldy); break;
  }
}

// Few filters at stride 1 need no column matrix: tap (c, i, j)'s values for output (oy, ox) are
// the padded image's xp[c][oy + i][ox + j], so over the padded width Wp the outputs' taps lie at
// xp + (c·Hp + i)·Wp + j + (oy·Wp + ox): one fixed offset per tap. Each image is padded once, its
// outputs computed on the OH × Wp grid (the last Wp − OW of each row read past the row, their
// values thrown away: only the first OW of each row are copied into y), so each kept output sums
// exactly the taps, in the same order, as from the column matrix: the same bits.
// The grid's length is rounded up to whole registers: the places past OH·Wp are computed and
// thrown away like the row ends, so that no output takes a scalar path (LeNet's second layer:
// 10 × 14 = 140 places, 144 computed; its first: 28 × 32, whole already).
struct PaddedGrid {
  Index len;                // places computed per image and filter
  Index padded;             // elements of the padded image's buffer: zeros after the last plane
  std::vector<Index> rows;  // tap r's offset in the padded image
  template <class T>
  static PaddedGrid of(const ConvGeometry& g) {
    constexpr Index kN = Lanes<T>::SizeAtCompileTime;
    const Index hp = g.hp(), wp = g.wp(), places = g.oh * wp;
    PaddedGrid grid;
    grid.len = (places + kN - 1) / kN * kN;
    // The last tap's reads end KW − 1 + (len − OH·Wp) past the last plane.
    grid.padded = aligned_count<T>(g.c * hp * wp + g.kw + grid.len - places);
    grid.rows.resize(static_cast<std::size_t>(g.k()));
    for (Index c = 0; c < g.c; ++c)
      for (Index i = 0; i < g.kh; ++i)
        for (Index j = 0; j < g.kw; ++j)
          grid.rows[static_cast<std::size_t>((c * g.kh + i) * g.kw + j)] = (c * hp + i) * wp + j;
    return grid;
  }
};

template <class T>
void few_filters_on_padded_images(const ConvGeometry& g, const T* x, const T* w, const T* bias, T* y,
                                  ConvWorkspace<T>& ws) {
  const PaddedGrid grid = PaddedGrid::of<T>(g);
  const Index wp = g.wp(), len = grid.len, k = g.k();
  ensure_size(ws.scratch, grid.padded + aligned_count<T>(g.f * len));
  T* xp = ws.scratch.data();
  T* wide = xp + grid.padded;
  std::fill(xp + g.c * g.hp() * wp, xp + grid.padded, T(0));
  for (Index n = 0; n < g.n; ++n) {
    embed_planes(x + n * g.c * g.h * g.w, g.c, g.h, g.w, g.pad, xp);
    // Eight filters at a time (2 × 16 outputs of each in registers); the image stays in cache.
    for (Index f0 = 0; f0 < g.f; f0 += kFewFilters)
      few_filters_any(std::min(kFewFilters, g.f - f0), w + f0 * k, k, bias ? bias + f0 : nullptr, xp,
                      grid.rows.data(), len, wide + f0 * len, len);
    T* out = y + n * g.f * g.p();
    for (Index f = 0; f < g.f; ++f)
      for (Index oy = 0; oy < g.oh; ++oy) copy_row(wide + f * len + oy * wp, g.ow, out + (f * g.oh + oy) * g.ow);
  }
}

// dW on the same grid, without a column matrix: dW[f][r] = Σ_n Σ_q dY_n[f][q]·xp_n[rows[r] + q],
// dY laid out on the OH × Wp grid with zeros in the places past each row's end (and past OH·Wp).
// The zeros add exact zeros, as long as the image is finite (an infinity there makes the
// forward's outputs and the loss infinite or NaN anyway). Summed in lanes (LaneSums: groups of 8
// images), one running sum per lane over a chain of `per` images where an image's grid is short
// (at most 72 registers per chain: LeNet's first layer, 56 per image, one image a chain; a 8 × 8
// image, 5 per image, 8 images a chain), so that the sums go to memory once per chain.
template <class T>
void weight_grad_on_padded_images(const ConvGeometry& g, const T* x, const T* gy, T* gw, ConvWorkspace<T>& ws) {
  const PaddedGrid grid = PaddedGrid::of<T>(g);
  const Index wp = g.wp(), len = grid.len, k = g.k();
  constexpr Index kMaxChain = 72;  // registers per lane and running sum, at most
  const Index steps = len / Lanes<T>::SizeAtCompileTime;
  Index per = LaneSums<T>::kGroup;
  while (per > 1 && per * steps > kMaxChain) per /= 2;  // a divisor of the group
  const Index image_size = grid.padded + aligned_count<T>(g.f * len);
  ensure_size(ws.scratch, per * image_size);
  for (Index i = 0; i < per; ++i) {
    T* xp = ws.scratch.data() + i * image_size;
    std::fill(xp + g.c * g.hp() * wp, xp + image_size, T(0));  // dY's places past the rows' ends stay zero
  }
  LaneSums<T> sums(g.f, k);
  for (Index n0 = 0; n0 < g.n; n0 += per) {
    const Index images = std::min(per, g.n - n0);
    for (Index i = 0; i < images; ++i) {
      T* xp = ws.scratch.data() + i * image_size;
      T* dy = xp + grid.padded;
      const Index n = n0 + i;
      embed_planes(x + n * g.c * g.h * g.w, g.c, g.h, g.w, g.pad, xp);
      const T* gyn = gy + n * g.f * g.p();
      for (Index f = 0; f < g.f; ++f)
        for (Index oy = 0; oy < g.oh; ++oy) copy_row(gyn + (f * g.oh + oy) * g.ow, g.ow, dy + f * len + oy * wp);
    }
    const T* first = ws.scratch.data();
    lane_dots_all(LaneRows<T>{first + grid.padded, len, image_size, first, grid.rows.data(), image_size, len, images},
                  g.f, k, sums);
    for (Index i = 0; i < images; ++i) sums.image_done();
  }
  finish_lane_sums(sums, gw);
}

// dY of the job's images as one [F × ld] matrix: read in place for a single image unless `copy`.
template <class T>
const T* chunk_output_grad(const ConvGeometry& g, const T* gy, const ChunkJob<T>& job, bool copy) {
  const T* src = gy + job.n0 * g.f * g.p();
  if (job.images == 1 && !copy) return src;
  to_chunk_layout(src, job.images, g.f, g.p(), job.chunk);
  return job.chunk;
}

}  // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] conv2d
// -----------------------------------------------------------------------------------------------

template <class T>
void conv2d_forward(const Tensor<T>& x, const Tensor<T>& w, std::type_identity_t<const Tensor<T>>* b, int stride,
                    int pad, Tensor<T>& y, ConvWorkspace<T>* ws) {
  const char* kName = "conv2d";
  const ConvGeometry g = conv_geometry(kName, x.shape(), w.shape(), stride, pad);
  if (b && (b->rank() != 1 || b->dim(0) != g.f))
    fail(kName, "bias " + b->shape().to_string() + " does not match weight " + w.shape().to_string() + " (expected [" +
                    std::to_string(g.f) + "])");
  require_distinct(kName, x, y);
  require_distinct(kName, w, y);
  if (b) require_distinct(kName, *b, y);
  ensure_shape(y, g.y_shape());
  ConvWorkspace<T> local;
  ConvWorkspace<T>& buf = ws ? *ws : local;
  const Index k = g.k(), p = g.p();
  const T* bias = b ? b->data() : nullptr;
  if (filters_in_lanes(g)) {
    few_filters_on_padded_images(g, x.data(), w.data(), bias, y.data(), buf);
    return;
  }
  const ConvPlan plan = plan_conv(g, buf, false);
  const ConstMapRM<T> wm(w.data(), g.f, k);
  // Where tap r's row starts in a chunk's column matrix of row length ld (few filters only).
  std::vector<Index> rows(g.f <= kFewFilters ? static_cast<std::size_t>(k) : 0);
  const auto rows_of = [&](Index ld) {
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<Index>(r) * ld;
    return rows.data();
  };

  for_chunks(g, plan, buf, [&](const ChunkJob<T>& job) {
    chunk_columns(g, x.data(), job);
    T* out = y.data() + job.n0 * g.f * p;
    if (g.f <= kFewFilters) {  // straight into each image's [F × P] block of y
      for (Index i = 0; i < job.images; ++i)
        few_filters_any(g.f, w.data(), k, bias, job.cols + i * p, rows_of(job.ld), p, out + i * g.f * p, p);
      return;
    }
    // Y = W · cols + b·1ᵀ: start from the bias and let the product accumulate onto it. A single
    // image lands in y directly, unless the product is so small that Eigen computes it coefficient
    // by coefficient: that path rounds according to the destination's alignment, and the
    // workspace's is fixed.
    const bool tiny = k + g.f + job.ld < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD;
    T* dest = job.images == 1 && !tiny ? out : job.chunk;
    for (Index r = 0; r < g.f; ++r) std::fill(dest + r * job.ld, dest + (r + 1) * job.ld, b ? (*b)[r] : T(0));
    MapRM<T>(dest, g.f, job.ld).noalias() += wm * ConstMapRM<T>(job.cols, k, job.ld);
    if (dest != out)
      for (Index i = 0; i < job.images; ++i)
        for (Index r = 0; r < g.f; ++r) copy_row(dest + r * job.ld + i * p, p, out + (i * g.f + r) * p);
  });
}

template <class T>
void conv2d_backward_input(const Tensor<T>& gy, const Tensor<T>& w, const Shape& x_shape, int stride, int pad,
                           Tensor<T>& gx, ConvWorkspace<T>* ws) {
  const char* kName = "conv2d_backward_input";
  const ConvGeometry g = conv_geometry(kName, x_shape, w.shape(), stride, pad);
  prepare_backward(kName, gy, g.y_shape(), w, gx, x_shape);
  ConvWorkspace<T> local;
  ConvWorkspace<T>& buf = ws ? *ws : local;
  const ConvPlan plan = plan_conv(g, buf, false);
  const Index k = g.k(), p = g.p(), image = g.c * g.h * g.w;
  const ConstMapRM<T> wm(w.data(), g.f, k);

  for_chunks(g, plan, buf, [&](const ChunkJob<T>& job) {
    // dcols = Wᵀ · dY; then dX = col2im(dcols), each entry flowing back to where im2col took it.
    const T* dy = chunk_output_grad(g, gy.data(), job, false);
    MapRM<T>(job.cols, k, job.ld).noalias() = wm.transpose() * ConstMapRM<T>(dy, g.f, job.ld);
    for (Index i = 0; i < job.images; ++i) {
      T* gxi = gx.data() + (job.n0 + i) * image;
      T* gxp = g.pad > 0 ? job.image : gxi;
      std::fill(gxp, gxp + g.c * g.hp() * g.wp(), T(0));
      col2im(g, job.cols + i * p, job.ld, gxp);
      if (g.pad > 0) crop_planes(gxp, g.c, g.h, g.w, g.pad, gxi);
    }
  });
}

template <class T>
void conv2d_backward_weight(const Tensor<T>& x, const Tensor<T>& gy, const Shape& w_shape, int stride, int pad,
                            Tensor<T>& gw, ConvWorkspace<T>* ws) {
  const char* kName = "conv2d_backward_weight";
  const ConvGeometry g = conv_geometry(kName, x.shape(), w_shape, stride, pad);
  prepare_backward(kName, gy, g.y_shape(), x, gw, w_shape);
  ConvWorkspace<T> local;
  ConvWorkspace<T>& buf = ws ? *ws : local;
  // A small dW (LeNet's first layer: 6×25) is a few long dot products, which Eigen's blocked
  // product handles poorly: vector lanes (above), on the padded grid where the forward runs
  // there (no column matrix: conv1's dW per 32 images 0.167 → 0.114 ms, CPU time, bench_conv
  // --cpu), else fed image by image from the chunk's columns. For a larger dW the lanes lose
  // (LeNet's second layer, 2400 sums: 0.24 → 0.31 ms; chains of 2 or 4 images, 0.42 ms): each
  // sum goes to memory once per chain, a tenth of its work there.
  constexpr Index kSmallGradient = 256;
  if (g.f * g.k() <= kSmallGradient && filters_in_lanes(g)) {
    weight_grad_on_padded_images(g, x.data(), gy.data(), gw.data(), buf);
    return;
  }
  const ConvPlan plan = plan_conv(g, buf, true);
  const Index k = g.k();
  T* partials = buf.scratch.data() + plan.partials_offset;
  if (g.f * k <= kSmallGradient) {
    const Index p = g.p();
    LaneSums<T> sums(g.f, k);
    std::vector<Index> col_rows(static_cast<std::size_t>(k));
    for_chunks(g, plan, buf, [&](const ChunkJob<T>& job) {
      chunk_columns(g, x.data(), job);
      for (std::size_t r = 0; r < col_rows.size(); ++r) col_rows[r] = static_cast<Index>(r) * job.ld;
      for (Index i = 0; i < job.images; ++i) {
        lane_dots_all(LaneRows<T>{gy.data() + (job.n0 + i) * g.f * p, p, 0, job.cols + i * p, col_rows.data(), 0, p, 1},
                      g.f, k, sums);
        sums.image_done();
      }
    });
    finish_lane_sums(sums, gw.data());
    return;
  }

  // dW = Σ_n dY_n · cols_nᵀ, one partial sum per part.
  std::fill(partials, partials + plan.parts * plan.partial_stride, T(0));
  for_chunks(g, plan, buf, [&](const ChunkJob<T>& job) {
    chunk_columns(g, x.data(), job);
    const ConstMapRM<T> dy(chunk_output_grad(g, gy.data(), job, false), g.f, job.ld);
    const ConstMapRM<T> columns(job.cols, k, job.ld);
    MapRM<T> partial(partials + job.part * plan.partial_stride, g.f, k);
    partial.noalias() += dy * columns.transpose();
  });
  MapRM<T> gwm(gw.data(), g.f, k);
  gwm = ConstMapRM<T>(partials, g.f, k);
  for (Index part = 1; part < plan.parts; ++part) gwm += ConstMapRM<T>(partials + part * plan.partial_stride, g.f, k);
}

template <class T>
void conv2d_backward_bias(const Tensor<T>& gy, Tensor<T>& gb) {
  const char* kName = "conv2d_backward_bias";
  require_nchw(kName, "output gradient", gy.shape());
  require_distinct(kName, gy, gb);
  const Index n = gy.dim(0), f = gy.dim(1), p = gy.dim(2) * gy.dim(3);
  ensure_shape(gb, Shape{f});
  // db_f = Σ_{n,h,w} dY[n, f, h, w], in 4·kBlock running sums per filter (four independent vector
  // additions at a time) that are added up in a fixed order at the end: vector speed without
  // Eigen's general reduction, whose rounding would depend on where the allocator put gy.
  using Lanes = Eigen::Array<T, 4 * kBlock<T>, 1>;
  constexpr Index kLanes = Lanes::SizeAtCompileTime;
  for (Index r = 0; r < f; ++r) {
    Lanes lanes = Lanes::Zero();
    T rest = 0;
    for (Index i = 0; i < n; ++i) {
      const T* row = gy.data() + (i * f + r) * p;
      Index q = 0;
      for (; q + kLanes <= p; q += kLanes) lanes += Eigen::Map<const Lanes>(row + q);
      for (; q < p; ++q) rest += row[q];
    }
    T sum = rest;
    for (Index j = 0; j < kLanes; ++j) sum += lanes[j];
    gb[r] = sum;
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] max pooling
// -----------------------------------------------------------------------------------------------

namespace {

struct PoolGeometry {
  Index planes, h, w;  // N·C planes of H×W
  Index oh, ow;
  Index kernel, stride, pad;
  bool count_include_pad;
  bool inside;  // every window lies wholly inside the input (no padding, no partial window)
  Shape y_shape(const Shape& x) const { return Shape{x[0], x[1], oh, ow}; }
};

// One window along one axis: places [lo, hi) of the input, and its extent clipped to the padded
// input only (avg_pool2d's count_include_pad divisor).
struct WindowSpan {
  Index lo, hi, padded;
};
inline WindowSpan window_span(Index o, Index in, const PoolGeometry& g) {
  const Index start = o * g.stride - g.pad;
  const Index end = start + g.kernel;
  return {std::max<Index>(start, 0), std::min(end, in), std::min(end, in + g.pad) - start};
}

PoolGeometry pool_geometry(const char* kernel_name, const Shape& x, const PoolWindow& p) {
  require_nchw(kernel_name, "input", x);
  require_at_least(kernel_name, "window", p.kernel, 1);
  require_at_least(kernel_name, "stride", p.stride, 1);
  require_at_least(kernel_name, "padding", p.padding, 0);
  const std::string window = std::to_string(p.kernel) + "×" + std::to_string(p.kernel);
  if (p.padding > p.kernel / 2)
    fail(kernel_name, "padding " + std::to_string(p.padding) + " is more than half the " + window + " window (at most " +
                          std::to_string(p.kernel / 2) + ", as in PyTorch)");
  if (x[2] < 1 || x[3] < 1) fail(kernel_name, "input " + x.to_string() + " has an empty plane");
  const Index oh = pool_out_size(x[2], p), ow = pool_out_size(x[3], p);
  if (oh < 1 || ow < 1)
    fail(kernel_name, "window " + window + " is larger than input " + x.to_string() +
                          (p.padding ? " padded by " + std::to_string(p.padding) : std::string()));
  const bool inside = p.padding == 0 && (oh - 1) * p.stride + p.kernel <= x[2] && (ow - 1) * p.stride + p.kernel <= x[3];
  return {x[0] * x[1], x[2], x[3], oh, ow, p.kernel, p.stride, p.padding, p.count_include_pad, inside};
}

// PyTorch's rule, kept exactly: a later element wins if it is larger or NaN. So the first of equal
// maxima is chosen, and a NaN anywhere in the window wins (the last NaN, if there are several).
// Both comparisons are always evaluated (`|`), which keeps the selects below free of branches.
template <class T>
inline bool takes_over(T candidate, T best) {
  return (candidate > best) | (candidate != candidate);
}

// `count` 2×2 windows with stride 2, side by side on rows r0 and r1: the maximum of each and its
// place in the window (0..3, row-major). Selects rather than branches: on real data each
// comparison is a coin flip, and a fixed count lets the compiler turn the loop into vector code.
template <class T, Index kCount>
inline void max_2x2_fixed(const T* r0, const T* r1, T* values, std::int32_t* place) {
  for (Index i = 0; i < kCount; ++i) {
    T m = r0[2 * i];
    std::int32_t at = 0;
    const T b = r0[2 * i + 1], c = r1[2 * i], d = r1[2 * i + 1];
    bool t = takes_over(b, m);
    m = t ? b : m;
    at = t ? 1 : at;
    t = takes_over(c, m);
    m = t ? c : m;
    at = t ? 2 : at;
    t = takes_over(d, m);
    m = t ? d : m;
    at = t ? 3 : at;
    values[i] = m;
    place[i] = at;
  }
}

// n windows in blocks of one vector register; a last partial block is redone as the overlapping
// block that ends at n (recomputing a window gives the same answer).
template <class T>
void max_2x2_windows(const T* r0, const T* r1, Index n, T* values, std::int32_t* place) {
  constexpr Index kWidth = kBlock<T>;
  if (n < kWidth) {
    for (Index i = 0; i < n; ++i) max_2x2_fixed<T, 1>(r0 + 2 * i, r1 + 2 * i, values + i, place + i);
    return;
  }
  for (Index i = 0; i + kWidth <= n; i += kWidth) max_2x2_fixed<T, kWidth>(r0 + 2 * i, r1 + 2 * i, values + i, place + i);
  if (n % kWidth) {
    const Index i = n - kWidth;
    max_2x2_fixed<T, kWidth>(r0 + 2 * i, r1 + 2 * i, values + i, place + i);
  }
}

constexpr Index kRowBlock = 64;  // outputs handled per step, so that the buffers live on the stack

// Any count of 2×2 windows: a row shorter than a register (LeNet's second pool: 5 windows) in one
// fixed-size call, whose loop the compiler lays out for exactly that count.
template <class T>
void max_2x2_any(const T* r0, const T* r1, Index n, T* values, std::int32_t* place) {
  switch (n) {
    case 1: max_2x2_fixed<T, 1>(r0, r1, values, place); break;
    case 2: max_2x2_fixed<T, 2>(r0, r1, values, place); break;
    case 3: max_2x2_fixed<T, 3>(r0, r1, values, place); break;
    case 4: max_2x2_fixed<T, 4>(r0, r1, values, place); break;
    case 5: max_2x2_fixed<T, 5>(r0, r1, values, place); break;
    case 6: max_2x2_fixed<T, 6>(r0, r1, values, place); break;
    case 7: max_2x2_fixed<T, 7>(r0, r1, values, place); break;
    default: max_2x2_windows(r0, r1, n, values, place); break;
  }
}

// 2×2 windows at stride 2 that tile the input exactly (H = 2·OH, W = 2·OW: LeNet's pools): each
// input element lies in exactly one window.
bool tiles_2x2(const PoolGeometry& g) {
  return g.kernel == 2 && g.stride == 2 && g.pad == 0 && g.h == 2 * g.oh && g.w == 2 * g.ow;
}

// The forward of tiled 2×2 windows: maxima straight into y, row by row, and the flat input index
// of each into argmax (optional); the same maxima and indices as scan_max_windows, without its
// buffers and copies.
template <class T>
void max_2x2_tiled_forward(const PoolGeometry& g, const T* x, T* y, Index* argmax) {
  std::int32_t place[kRowBlock];
  for (Index pl = 0; pl < g.planes; ++pl)
    for (Index oy = 0; oy < g.oh; ++oy)
      for (Index ox0 = 0; ox0 < g.ow; ox0 += kRowBlock) {
        const Index n = std::min(kRowBlock, g.ow - ox0), o = (pl * g.oh + oy) * g.ow + ox0;
        const Index top_left = (pl * g.h + 2 * oy) * g.w + 2 * ox0;  // of the first window
        max_2x2_any(x + top_left, x + top_left + g.w, n, y + o, place);
        if (argmax)
          for (Index i = 0; i < n; ++i) argmax[o + i] = top_left + 2 * i + (place[i] >> 1) * g.w + (place[i] & 1);
      }
}

// Calls sink(first output, count, maxima, flat input indices of the maxima) for consecutive runs
// of output elements. The forward pass and the backward pass's mask both come from here.
template <class T, class Sink>
void scan_max_windows(const PoolGeometry& g, const T* x, const Sink& sink) {
  const bool two_by_two = g.kernel == 2 && g.stride == 2 && g.inside;
  // Planes are independent (each one's outputs and mask stay inside it), so parts of the batch
  // can run on several threads without changing a bit.
  const Index parts = std::clamp<Index>(g.planes, 1, kMaxParts);
  for_parts(parts, [&](int, Index part) {
    T values[kRowBlock];
    Index where[kRowBlock];
    std::int32_t place[kRowBlock];
    for (Index pl = g.planes * part / parts; pl < g.planes * (part + 1) / parts; ++pl) {
      const Index base = pl * g.h * g.w;
      const T* plane = x + base;
      Index o = pl * g.oh * g.ow;
      for (Index oy = 0; oy < g.oh; ++oy)
        for (Index ox0 = 0; ox0 < g.ow; ox0 += kRowBlock) {
          const Index n = std::min(kRowBlock, g.ow - ox0);
          if (two_by_two) {
            const Index top_left = oy * g.stride * g.w + ox0 * g.stride;  // of the first window
            max_2x2_any(plane + top_left, plane + top_left + g.w, n, values, place);
            for (Index i = 0; i < n; ++i) where[i] = base + top_left + 2 * i + (place[i] >> 1) * g.w + (place[i] & 1);
          } else {
            // The window's places inside the input; padding is −∞ and never wins, so it is
            // skipped (torch starts from the first place inside, as here).
            const WindowSpan rows = window_span(oy, g.h, g);
            for (Index i = 0; i < n; ++i) {
              const WindowSpan cols = window_span(ox0 + i, g.w, g);
              Index best = rows.lo * g.w + cols.lo;
              for (Index yy = rows.lo; yy < rows.hi; ++yy)
                for (Index xx = cols.lo; xx < cols.hi; ++xx) {
                  const Index at = yy * g.w + xx;
                  if (takes_over(plane[at], plane[best])) best = at;
                }
              values[i] = plane[best];
              where[i] = base + best;
            }
          }
          sink(o, n, values, where);
          o += n;
        }
    }
  });
}

}  // namespace

Index pool_out_size(Index in, const PoolWindow& p) {
  // torch's pooling_output_shape: ⌊(in + 2p − k [+ s − 1]) / s⌋ + 1, rounded towards −∞.
  const Index num = in + 2 * p.padding - p.kernel + (p.ceil_mode ? p.stride - 1 : 0);
  Index out = (num >= 0 ? num / p.stride : -((-num + p.stride - 1) / p.stride)) + 1;
  if (p.ceil_mode && (out - 1) * p.stride >= in + p.padding) --out;  // no window starting in the right padding
  return std::max<Index>(out, 0);
}

template <class T>
void maxpool_forward(const Tensor<T>& x, const PoolWindow& p, Tensor<T>& y, std::vector<Index>* argmax) {
  const char* kName = "maxpool";
  const PoolGeometry g = pool_geometry(kName, x.shape(), p);
  require_distinct(kName, x, y);
  ensure_shape(y, g.y_shape(x.shape()));
  const T* xd = x.data();
  T* yd = y.data();
  if (argmax) argmax->resize(static_cast<std::size_t>(y.size()));
  Index* am = argmax ? argmax->data() : nullptr;
  if (tiles_2x2(g)) {
    max_2x2_tiled_forward(g, xd, yd, am);
    return;
  }
  scan_max_windows(g, xd, [=](Index o, Index n, const T* values, const Index* where) {
    std::copy(values, values + n, yd + o);
    if (am) std::copy(where, where + n, am + o);
  });
}

template <class T>
void maxpool_backward(const Tensor<T>& x, const Tensor<T>& gy, const PoolWindow& p, Tensor<T>& gx,
                      const std::vector<Index>* argmax) {
  const char* kName = "maxpool_backward";
  const PoolGeometry g = pool_geometry(kName, x.shape(), p);
  prepare_backward(kName, gy, g.y_shape(x.shape()), x, gx, x.shape());
  // dX = upsample(dY, mask): each output's gradient goes to its window's maximum (windows that
  // overlap add up).
  gx.fill(T(0));
  T* gxd = gx.data();
  const T* gyd = gy.data();
  if (argmax) {
    if (static_cast<Index>(argmax->size()) != gy.size())
      fail(kName, "argmax has " + std::to_string(argmax->size()) + " entries for output gradient " +
                      gy.shape().to_string());
    const Index limit = x.size();
    for (Index o = 0; o < gy.size(); ++o) {
      const Index at = (*argmax)[static_cast<std::size_t>(o)];
      if (at < 0 || at >= limit)
        fail(kName, "argmax entry " + std::to_string(at) + " is outside input " + x.shape().to_string());
      gxd[at] += gyd[o];
    }
  } else {
    scan_max_windows(g, x.data(), [=](Index o, Index n, const T*, const Index* where) {
      for (Index i = 0; i < n; ++i) gxd[where[i]] += gyd[o + i];
    });
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] average pooling
// -----------------------------------------------------------------------------------------------

namespace {
// Calls visit(output index, window rows, window columns, divisor) for every output of the pool,
// plane after plane: avg_pool2d's divisor is the window clipped to the padded input
// (count_include_pad) or to the input.
template <class Visit>
void scan_avg_windows(const PoolGeometry& g, const Visit& visit) {
  Index o = 0;
  for (Index pl = 0; pl < g.planes; ++pl)
    for (Index oy = 0; oy < g.oh; ++oy) {
      const WindowSpan rows = window_span(oy, g.h, g);
      for (Index ox = 0; ox < g.ow; ++ox, ++o) {
        const WindowSpan cols = window_span(ox, g.w, g);
        const Index divisor = g.count_include_pad ? rows.padded * cols.padded
                                                  : (rows.hi - rows.lo) * (cols.hi - cols.lo);
        visit(o, pl * g.h * g.w, rows, cols, divisor);
      }
    }
}
}  // namespace

template <class T>
void avgpool_forward(const Tensor<T>& x, const PoolWindow& p, Tensor<T>& y) {
  const char* kName = "avgpool";
  const PoolGeometry g = pool_geometry(kName, x.shape(), p);
  require_distinct(kName, x, y);
  ensure_shape(y, g.y_shape(x.shape()));
  const T* xd = x.data();
  T* yd = y.data();
  scan_avg_windows(g, [&](Index o, Index plane, WindowSpan rows, WindowSpan cols, Index divisor) {
    T sum = 0;
    for (Index i = rows.lo; i < rows.hi; ++i)
      for (Index j = cols.lo; j < cols.hi; ++j) sum += xd[plane + i * g.w + j];
    yd[o] = divisor > 0 ? sum / static_cast<T>(divisor) : T(0);
  });
}

template <class T>
void avgpool_backward(const Shape& x_shape, const Tensor<T>& gy, const PoolWindow& p, Tensor<T>& gx) {
  const char* kName = "avgpool_backward";
  const PoolGeometry g = pool_geometry(kName, x_shape, p);
  prepare_backward(kName, gy, g.y_shape(x_shape), gy, gx, x_shape);
  // dX = upsample(dY / divisor): every input element of a window receives an equal share.
  gx.fill(T(0));
  const T* gyd = gy.data();
  T* gxd = gx.data();
  scan_avg_windows(g, [&](Index o, Index plane, WindowSpan rows, WindowSpan cols, Index divisor) {
    if (divisor == 0) return;
    const T share = gyd[o] / static_cast<T>(divisor);
    for (Index i = rows.lo; i < rows.hi; ++i)
      for (Index j = cols.lo; j < cols.hi; ++j) gxd[plane + i * g.w + j] += share;
  });
}

// -----------------------------------------------------------------------------------------------
// [SECTION] zero padding
// -----------------------------------------------------------------------------------------------

template <class T>
void pad_forward(const Tensor<T>& x, int pad, Tensor<T>& y) {
  const char* kName = "pad";
  require_nchw(kName, "input", x.shape());
  require_at_least(kName, "padding", pad, 0);
  require_distinct(kName, x, y);
  ensure_shape(y, Shape{x.dim(0), x.dim(1), x.dim(2) + 2 * pad, x.dim(3) + 2 * pad});
  embed_planes(x.data(), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), pad, y.data());
}

template <class T>
void unpad(const Tensor<T>& gy, int pad, Tensor<T>& gx) {
  const char* kName = "unpad";
  require_nchw(kName, "gradient", gy.shape());
  require_at_least(kName, "padding", pad, 0);
  require_distinct(kName, gy, gx);
  const Index h = gy.dim(2) - 2 * pad, w = gy.dim(3) - 2 * pad;
  if (h < 0 || w < 0)
    fail(kName, "gradient " + gy.shape().to_string() + " is smaller than a padding of " + std::to_string(pad));
  ensure_shape(gx, Shape{gy.dim(0), gy.dim(1), h, w});
  // dX = dY without its border: the padding's zeros do not depend on x.
  crop_planes(gy.data(), gy.dim(0) * gy.dim(1), h, w, pad, gx.data());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] explicit instantiations
// -----------------------------------------------------------------------------------------------

#define GS_CONV_INSTANTIATE(T)                                                                                    \
  template void conv2d_forward<T>(const Tensor<T>&, const Tensor<T>&, std::type_identity_t<const Tensor<T>>*, int, \
                                  int, Tensor<T>&, ConvWorkspace<T>*);                                           \
  template void conv2d_backward_input<T>(const Tensor<T>&, const Tensor<T>&, const Shape&, int, int, Tensor<T>&,  \
                                         ConvWorkspace<T>*);                                                     \
  template void conv2d_backward_weight<T>(const Tensor<T>&, const Tensor<T>&, const Shape&, int, int, Tensor<T>&, \
                                          ConvWorkspace<T>*);                                                    \
  template void conv2d_backward_bias<T>(const Tensor<T>&, Tensor<T>&);                                            \
  template void maxpool_forward<T>(const Tensor<T>&, const PoolWindow&, Tensor<T>&, std::vector<Index>*);          \
  template void maxpool_backward<T>(const Tensor<T>&, const Tensor<T>&, const PoolWindow&, Tensor<T>&,            \
                                    const std::vector<Index>*);                                                  \
  template void avgpool_forward<T>(const Tensor<T>&, const PoolWindow&, Tensor<T>&);                              \
  template void avgpool_backward<T>(const Shape&, const Tensor<T>&, const PoolWindow&, Tensor<T>&);               \
  template void pad_forward<T>(const Tensor<T>&, int, Tensor<T>&);                                                \
  template void unpad<T>(const Tensor<T>&, int, Tensor<T>&);

GS_CONV_INSTANTIATE(float)
GS_CONV_INSTANTIATE(double)
#undef GS_CONV_INSTANTIATE

}  // namespace gs::kernels

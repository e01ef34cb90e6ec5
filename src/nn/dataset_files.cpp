// Readers of data files: MNIST-format IDX through zlib (gzip or plain), and CSV. Every failure is
// one InputError line naming the file (and the line, for CSV).
// Depends on zlib, tensor.h, errors.h.
#include "nn/dataset.h"

#include "nn/errors.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace gs::nn {
namespace {

// ============================================================================================
// IDX: big-endian header {0, 0, type 0x08 (ubyte), rank} then rank u32 extents, then the bytes.
// ============================================================================================

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// Bounds checked before anything is allocated: the header's extents may ask for anything.
constexpr Index kMaxIdxBytes = Index{1} << 32;  // 4 GiB of samples (Fashion-MNIST holds 47 MB)

struct IdxArray {
  std::vector<Index> dims;
  std::vector<unsigned char> bytes;
};

GzFile open_gz(const std::string& path) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    std::string hint = path.rfind(kFashionMnistDir, 0) == 0
                           ? " (install the Debian package dataset-fashion-mnist: apt-get install dataset-fashion-mnist)"
                           : "";
    throw InputError("cannot open data file " + path + hint);
  }
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError("cannot open data file " + path);
  gzbuffer(f.get(), 1 << 17);
  return f;
}

// Reads up to n bytes; returns how many arrived (fewer = truncated). A corrupt gzip stream throws.
std::size_t read_some(gzFile f, unsigned char* out, std::size_t n, const std::string& path) {
  std::size_t got = 0;
  while (got < n) {
    unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
    int r = gzread(f, out + got, chunk);
    if (r < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      throw InputError(path + ": corrupt compressed data (" + std::string(msg ? msg : "zlib error") + ")");
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

IdxArray read_idx_file(const std::string& path, int expected_rank, Index limit, LoadProgress* progress) {
  // This file's share of the progress: from `base` (the files before it) to base + size.
  const std::int64_t base = progress ? progress->done() : 0;
  std::int64_t size = progress ? stored_size(path) : 0;
  GzFile f = open_gz(path);
  unsigned char magic[4];
  if (read_some(f.get(), magic, 4, path) != 4) throw InputError(path + ": truncated IDX file (no header)");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
    throw InputError(path + ": not an IDX file of unsigned bytes (bad magic number)");
  if (magic[3] != expected_rank)
    throw InputError(path + ": expected an IDX file of rank " + std::to_string(expected_rank) + ", got rank " +
                     std::to_string(magic[3]));
  IdxArray a;
  Index count = 1;
  for (int i = 0; i < expected_rank; ++i) {
    unsigned char be[4];
    if (read_some(f.get(), be, 4, path) != 4) throw InputError(path + ": truncated IDX file (header cut short)");
    Index d = (Index(be[0]) << 24) | (Index(be[1]) << 16) | (Index(be[2]) << 8) | Index(be[3]);
    a.dims.push_back(d);
    if (d == 0) throw InputError(path + ": extent " + std::to_string(i + 1) + " of the IDX header is 0 (no data)");
    if (d > kMaxIdxBytes / count)
      throw InputError(path + ": the IDX header asks for more than 4 GiB of data (extents up to " +
                       std::to_string(d) + ")");
    count *= d;
  }
  Index per = count / a.dims[0];
  Index keep = limit > 0 ? std::min(limit, a.dims[0]) : a.dims[0];
  std::size_t want = static_cast<std::size_t>(keep * per);
  const std::int64_t header = 4 + 4 * expected_rank;
  if (progress && size < 0) {  // a pipe: the header says what the file holds
    size = header + static_cast<std::int64_t>(count);
    progress->resolve(size);
  }
  // Bytes of the stored file that `got` bytes of data stand for (compressed: in proportion).
  auto report = [&](std::size_t got) {
    if (!progress) return;
    const double part = static_cast<double>(header + static_cast<std::int64_t>(got)) / static_cast<double>(header + static_cast<std::int64_t>(want));
    progress->set_done(base + static_cast<std::int64_t>(static_cast<double>(size) * part));
  };
  report(0);
  // The data is read in pieces, the buffer growing as bytes arrive: a header may claim up to
  // 4 GiB, but only what the file really holds is allocated (a 40-byte file claiming 4 GiB had
  // it allocated at once before the truncation was found). The first piece is 64 KiB and each
  // next one as large as what arrived so far, at most 1 MiB (the progress moves at least every
  // MiB); the vector's own growth keeps the buffer at most twice the data plus 64 KiB (a fixed
  // 16 MiB first piece kept fuzz_idx at 42–72 inputs a second).
  constexpr std::size_t kFirstPiece = std::size_t{1} << 16, kLargestPiece = std::size_t{1} << 20;
  std::size_t got = 0;
  while (got < want) {
    const std::size_t piece = std::min({std::max(kFirstPiece, got), kLargestPiece, want - got});
    a.bytes.resize(got + piece);
    const std::size_t arrived = read_some(f.get(), a.bytes.data() + got, piece, path);
    got += arrived;
    report(got);
    if (arrived < piece) break;
  }
  a.bytes.resize(got);
  if (got != want)
    throw InputError(path + ": truncated IDX file: expected " + std::to_string(want) + " bytes of data, got " +
                     std::to_string(got));
  a.dims[0] = keep;
  if (progress) progress->set_done(base + size);  // the whole file, though a limit left some unread
  return a;
}

}  // namespace

Dataset read_idx(const std::string& images_path, const std::string& labels_path, Index limit, LoadProgress* progress) {
  IdxArray images = read_idx_file(images_path, 3, limit, progress);
  IdxArray labels = read_idx_file(labels_path, 1, limit, progress);
  if (images.dims[0] != labels.dims[0])
    throw InputError(labels_path + ": holds " + std::to_string(labels.dims[0]) + " labels for " +
                     std::to_string(images.dims[0]) + " images in " + images_path);
  Dataset d;
  const Index n = images.dims[0], h = images.dims[1], w = images.dims[2];
  // Pixels 0…255 → [0, 1], as torchvision's ToTensor; kept as bytes (see Samples).
  Samples::ByteTable pixel_value;
  for (int b = 0; b < 256; ++b) pixel_value[static_cast<std::size_t>(b)] = static_cast<float>(b) / 255.0f;
  d.y.resize(static_cast<std::size_t>(n));
  int max_label = 0;
  for (Index i = 0; i < n; ++i) {
    d.y[static_cast<std::size_t>(i)] = labels.bytes[static_cast<std::size_t>(i)];
    max_label = std::max<int>(max_label, labels.bytes[static_cast<std::size_t>(i)]);
  }
  d.classes = max_label + 1;
  d.x = Samples::of_bytes(Shape{n, 1, h, w}, std::move(images.bytes), pixel_value);
  return d;
}

// ============================================================================================
// CSV
// ============================================================================================

namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::stringstream ss(line);
  while (std::getline(ss, field, ',')) {
    auto b = field.find_first_not_of(" \t\r\"");
    auto e = field.find_last_not_of(" \t\r\"");
    out.push_back(b == std::string::npos ? "" : field.substr(b, e - b + 1));
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

bool parse_number(const std::string& s, double* v) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Dataset read_csv(const std::string& path, const std::string& label_column, LoadProgress* progress) {
  const std::int64_t base = progress ? progress->done() : 0, size = progress ? stored_size(path) : 0;
  std::ifstream in(path);
  if (!in) throw InputError("cannot open data file " + path);
  std::vector<std::vector<std::string>> rows;
  std::vector<int> line_numbers;
  std::string line;
  int line_no = 0;
  std::int64_t read = 0, reported = 0;  // bytes
  while (std::getline(in, line)) {
    ++line_no;
    read += static_cast<std::int64_t>(line.size()) + 1;
    if (progress && size >= 0 && read - reported >= (std::int64_t{1} << 16)) {
      reported = read;
      progress->set_done(base + std::min(read, size));
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rows.push_back(split_fields(line));
    line_numbers.push_back(line_no);
  }
  if (progress) {
    if (size < 0) progress->resolve(read);  // a pipe: its size is what came through it
    progress->set_done(base + (size < 0 ? read : size));
  }
  if (rows.empty()) throw InputError(path + ": the dataset is empty (no rows)");
  const std::size_t columns = rows[0].size();
  if (columns < 2) throw InputError(path + ":" + std::to_string(line_numbers[0]) + ": expected at least 2 columns (features and a label)");
  bool header = false;
  for (const auto& f : rows[0]) {
    double v;
    if (!parse_number(f, &v)) header = true;
  }
  // A first row holding any non-number is a header, unless the label column alone is text.
  long long label_index = -1;
  bool by_name = !label_column.empty() && !(std::isdigit(static_cast<unsigned char>(label_column[0])) || label_column[0] == '-');
  if (by_name) {
    auto it = std::find(rows[0].begin(), rows[0].end(), label_column);
    if (it == rows[0].end()) throw InputError(path + ": no column named '" + label_column + "' in the header");
    label_index = it - rows[0].begin();
    header = true;
  } else {
    auto [end, ec] = std::from_chars(label_column.data(), label_column.data() + label_column.size(), label_index);
    if (ec != std::errc() || end != label_column.data() + label_column.size())
      throw InputError(path + ": label column '" + label_column +
                       "' is neither a column number (0, 1, …, or -1 for the last) nor a name in the header");
    if (label_index < 0) label_index += static_cast<long long>(columns);
    if (label_index < 0 || label_index >= static_cast<long long>(columns))
      throw InputError(path + ": label column " + label_column + " is outside the " + std::to_string(columns) + " columns");
    if (header) {
      int text_fields = 0;
      for (std::size_t c = 0; c < columns; ++c) {
        double v;
        if (!parse_number(rows[0][c], &v)) text_fields += c == static_cast<std::size_t>(label_index) ? 0 : 1;
      }
      header = text_fields > 0;
    }
  }
  const std::size_t first = header ? 1 : 0;
  const Index n = static_cast<Index>(rows.size() - first);
  if (n == 0) throw InputError(path + ": the dataset is empty (a header and no data rows)");
  const Index d = static_cast<Index>(columns - 1);
  Dataset out;
  TensorF x = TensorF::uninitialized(Shape{n, d});
  out.y.resize(static_cast<std::size_t>(n));
  std::map<std::string, int> names;  // text labels in order of first appearance
  bool numeric_labels = true;
  for (std::size_t r = first; r < rows.size(); ++r) {
    double v;
    if (rows[r].size() == columns && !parse_number(rows[r][static_cast<std::size_t>(label_index)], &v)) numeric_labels = false;
  }
  int max_label = -1;
  for (std::size_t r = first; r < rows.size(); ++r) {
    const auto& fields = rows[r];
    const std::string where = path + ":" + std::to_string(line_numbers[r]);
    if (fields.size() != columns)
      throw InputError(where + ": expected " + std::to_string(columns) + " columns, got " + std::to_string(fields.size()));
    Index i = static_cast<Index>(r - first), j = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      if (static_cast<long long>(c) == label_index) continue;
      double v;
      if (!parse_number(fields[c], &v))
        throw InputError(where + ": column " + std::to_string(c + 1) + " '" + fields[c] + "' is not a number");
      x[i * d + j++] = static_cast<float>(v);
    }
    const std::string& l = fields[static_cast<std::size_t>(label_index)];
    int label;
    if (numeric_labels) {
      double v;
      parse_number(l, &v);
      // Compared as doubles first: a NaN or 1e300 must not reach the conversion to int.
      if (!(v >= 0 && v <= kMaxClassLabel && v == std::floor(v)))
        throw InputError(where + ": label '" + l + "' is not a class number (0, 1, 2, …, at most " +
                         std::to_string(kMaxClassLabel) + ")");
      label = static_cast<int>(v);
    } else {
      auto [it, inserted] = names.emplace(l, static_cast<int>(names.size()));
      label = it->second;
    }
    out.y[static_cast<std::size_t>(i)] = label;
    max_label = std::max(max_label, label);
  }
  out.classes = std::max(2, max_label + 1);
  out.x = std::move(x);
  return out;
}

}  // namespace gs::nn

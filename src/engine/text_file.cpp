// Reading and atomically replacing whole files (text_file.h). Depends on text_file.h and POSIX.
#include "text_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

namespace gs {

std::string read_text_file(const std::string& path, std::uintmax_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw FileError("cannot open '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw FileError("'" + path + "' is a directory, not a file");
  if (S_ISREG(st.st_mode) && static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw FileError("'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MB (" +
                    std::to_string(st.st_size) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError("cannot open '" + path + "': " + std::strerror(errno));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    // A pipe or device has no size to check first.
    if (text.size() > max_bytes)
      throw FileError("'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MB");
  }
  if (in.bad()) throw FileError("cannot read '" + path + "': " + std::strerror(errno));
  return text;
}

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  struct stat st {};
  const bool special = ::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  if (special && S_ISDIR(st.st_mode)) throw FileError("cannot write '" + path_ + "': it is a directory");
  if (!special) temp_ = path_ + ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(special ? path_.c_str() : temp_.c_str(), "wb");
  if (!file_) fail(errno);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_) std::fclose(file_);
  if (file_ && !temp_.empty()) std::remove(temp_.c_str());
}

void AtomicFileWriter::fail(int err) {
  if (file_) std::fclose(file_);
  if (!temp_.empty()) std::remove(temp_.c_str());
  file_ = nullptr;
  throw FileError("cannot write '" + path_ + "': " + std::strerror(err));
}

void AtomicFileWriter::write(std::string_view text) {
  if (!file_) throw FileError("cannot write '" + path_ + "': already closed");
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail(errno ? errno : EIO);
}

void AtomicFileWriter::commit() {
  if (!file_) throw FileError("cannot write '" + path_ + "': already closed");
  errno = 0;
  // fsync fails with EINVAL on a pipe or a terminal: only a regular file is synced.
  if (std::fflush(file_) != 0 || (!temp_.empty() && ::fsync(::fileno(file_)) != 0)) fail(errno ? errno : EIO);
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) {
    const int err = errno;
    if (!temp_.empty()) std::remove(temp_.c_str());
    throw FileError("cannot write '" + path_ + "': " + std::strerror(err));
  }
  if (!temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::remove(temp_.c_str());
    throw FileError("cannot write '" + path_ + "': " + std::strerror(err));
  }
}

void write_file_atomically(const std::string& path, std::string_view text) {
  AtomicFileWriter out(path);
  out.write(text);
  out.commit();
}

}  // namespace gs

// Reading and atomically replacing whole files (text_file.h). Depends on text_file.h and POSIX.
#include "text_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

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

void write_file_atomically(const std::string& path, std::string_view text) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  auto fail = [&](int err) {
    std::remove(temp.c_str());
    throw FileError("cannot write '" + path + "': " + std::strerror(err));
  };
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (!f) fail(errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                       ::fsync(::fileno(f)) == 0;
  const int err = errno;
  if (std::fclose(f) != 0 || !written) fail(written ? errno : err);
  if (std::rename(temp.c_str(), path.c_str()) != 0) fail(errno);
}

}  // namespace gs

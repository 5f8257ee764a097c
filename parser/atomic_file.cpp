#include "parser/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace dockit {

std::optional<std::string> WriteFileAtomically(const std::string& path, std::string_view text) {
  std::string temp = path + ".tmp-" + std::to_string(getpid());
  auto fail = [&](const std::string& what) -> std::optional<std::string> {
    std::string message = what + ": " + std::strerror(errno);
    ::unlink(temp.c_str());
    return message;
  };
  // A new file gets 0644 (less the umask); an existing one keeps its mode.
  mode_t mode = 0644;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail("cannot write " + temp);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return fail("cannot write " + temp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    ::close(fd);
    return fail("cannot write " + temp);
  }
  if (::close(fd) != 0) return fail("cannot write " + temp);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return fail("cannot rename " + temp + " to " + path);
  }
  return std::nullopt;
}

}  // namespace dockit

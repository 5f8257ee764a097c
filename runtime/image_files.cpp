#include "runtime/image_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace dockit::runtime {

Diagnostic StoreError(std::string code, std::string message) {
  return Diagnostic{std::move(code), std::move(message), {}, Severity::kError};
}

namespace {

Diagnostic Errno(const std::string& what) {
  return StoreError("store-io", what + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot read " + path);
  std::string out;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Diagnostic d = Errno("cannot read " + path);
      ::close(fd);
      return d;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status WriteSyncedFile(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot write " + path);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Diagnostic d = Errno("cannot write " + path);
      ::close(fd);
      return d;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Diagnostic d = Errno("cannot write " + path);
    ::close(fd);
    return d;
  }
  if (::close(fd) != 0) return Errno("cannot write " + path);
  return OkStatus();
}

Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + path);
  int rc = ::fsync(fd);
  Diagnostic d = Errno("cannot sync " + path);
  ::close(fd);
  if (rc != 0) return d;
  return OkStatus();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + dir);
  ::fsync(fd);  // best effort: some filesystems refuse fsync on directories
  ::close(fd);
  return OkStatus();
}

Status RenamePath(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Errno("cannot rename " + from + " to " + to);
  }
  return OkStatus();
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

int LockFile(const std::string& path, int operation) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  while (::flock(fd, operation) != 0) {
    if (errno == EINTR) continue;
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

bool IsDigest(std::string_view digest) {
  if (digest.size() != 71 || !digest.starts_with("sha256:")) return false;
  for (char c : digest.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string DigestHex(const std::string& digest) {
  return digest.starts_with("sha256:") ? digest.substr(7) : digest;
}

}  // namespace dockit::runtime

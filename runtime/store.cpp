// The store's directories, locks, temporary names and blobs.
#include "runtime/store.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "planner/digest.hpp"
#include "runtime/image_files.hpp"

namespace dockit::runtime {

namespace fs = std::filesystem;

StoreLock& StoreLock::operator=(StoreLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last fd releases the flock
}

Result<Store> Store::Open(const std::string& root, bool clear_debris) {
  std::string dir = (root.empty() ? std::string(".") : root) + "/runtime";
  for (const char* sub : {"", "/blobs/sha256", "/layers", "/tmp"}) {
    std::error_code ec;
    fs::create_directories(dir + sub, ec);
    if (ec) {
      return StoreError("store-open", "cannot create " + dir + sub + ": " + ec.message());
    }
  }
  // Owner only, as /var/lib/docker: layers hold setuid programs and device nodes of images,
  // and cache mounts hold what builds left, none of which other local users may reach.
  if (::chmod(dir.c_str(), 0700) != 0) {
    return StoreError("store-open",
                      "cannot restrict " + dir + " to its owner: " + std::strerror(errno));
  }
  Store store(dir);
  if (!clear_debris) return store;
  // Debris of killed processes is only removed when nobody else is working in the store.
  int fd = LockFile(dir + "/lock", LOCK_EX | LOCK_NB);
  if (fd < 0 && errno != EWOULDBLOCK) {
    return StoreError("store-open", "cannot lock " + dir + "/lock: " + std::strerror(errno));
  }
  if (fd >= 0) {
    store.ClearDebris(nullptr);
    ::close(fd);
  }
  return store;
}

void Store::ClearDebris(CheckReport* report) const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_ + "/tmp", ec)) {
    if (report) report->removed.push_back("tmp/" + entry.path().filename().string());
    RemoveTree(entry.path());
  }
  // WriteFileAtomically's temporaries of images.json and record.json live next to them; they
  // are only ever written under index.lock.
  int index = LockFile(dir_ + "/index.lock", LOCK_EX | LOCK_NB);
  if (index < 0) return;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      if (report) report->removed.push_back(name);
      RemoveTree(entry.path());
    }
  }
  ::close(index);
}

Result<std::string> Store::TempDir(std::string_view purpose) const {
  std::string pattern = dir_ + "/tmp/" + std::string(purpose) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return StoreError("store-io",
                      "cannot create a directory in " + dir_ + "/tmp: " + std::strerror(errno));
  }
  return pattern;
}

namespace {

Result<StoreLock> Take(const std::string& path, int operation) {
  int fd = LockFile(path, operation);
  if (fd < 0) return StoreError("store-lock", "cannot lock " + path + ": " + std::strerror(errno));
  return StoreLock(fd);
}

}  // namespace

Result<StoreLock> Store::LockExclusive() const { return Take(dir_ + "/lock", LOCK_EX); }
Result<StoreLock> Store::LockShared() const { return Take(dir_ + "/lock", LOCK_SH); }
Result<StoreLock> Store::LockIndex() const { return Take(dir_ + "/index.lock", LOCK_EX); }

std::string Store::BlobPath(const std::string& digest) const {
  return dir_ + "/blobs/sha256/" + DigestHex(digest);
}

bool Store::HasBlob(const std::string& digest) const {
  struct stat st {};
  return IsDigest(digest) && ::stat(BlobPath(digest).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<std::string> Store::PutBlobFile(const std::string& temp_path) const {
  std::string error;
  auto digest = plan::Sha256OfFile(temp_path, &error);
  if (!digest) return StoreError("store-io", error);
  if (HasBlob(*digest)) {
    ::unlink(temp_path.c_str());
    return *digest;
  }
  // The data must be on disk before the name says it is complete.
  if (auto s = SyncFile(temp_path); !s) return s.Error();
  ::chmod(temp_path.c_str(), 0644);
  if (auto s = RenamePath(temp_path, BlobPath(*digest)); !s) return s.Error();
  SyncDir(dir_ + "/blobs/sha256");
  return *digest;
}

Result<std::string> Store::PutBlob(std::string_view bytes) const {
  std::string digest = plan::Sha256Of(bytes);
  if (HasBlob(digest)) return digest;
  auto temp = TempDir("blob");
  if (!temp) return temp.Error();
  std::string path = *temp + "/blob";
  if (auto s = WriteSyncedFile(path, bytes); !s) {
    RemoveTree(*temp);
    return s.Error();
  }
  auto stored = PutBlobFile(path);
  RemoveTree(*temp);
  return stored;
}

Result<std::string> Store::ReadBlob(const std::string& digest) const {
  if (!IsDigest(digest)) return StoreError("bad-digest", "not a sha256 digest: " + digest);
  auto bytes = ReadWholeFile(BlobPath(digest));
  if (!bytes) return StoreError("missing-blob", "blob " + digest + " is not in the store");
  // Small JSON blobs are checked on every read: a damaged config must not be trusted.
  if (plan::Sha256Of(*bytes) != digest) {
    return StoreError("corrupt-blob",
                      "blob " + digest + " is corrupt (its content has another digest)");
  }
  return bytes;
}

}  // namespace dockit::runtime

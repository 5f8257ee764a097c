// What the real-build tests share: a store in a temporary ROOT with busybox:latest imported
// from Debian's busybox-static (tests/runtime/make_busybox_rootfs.sh), and a copy of a context
// to edit. Tests that cannot run here (not root, no overlayfs, no busybox) say so visibly.
#pragma once

#include <sys/vfs.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "runtime/oci.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime::testing {

inline int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class BuildFixture {
 public:
  // Why the real build cannot be tested here, or nullopt.
  static std::optional<std::string> Unavailable() {
    if (auto missing = SandboxUnavailable()) return missing;
    if (::access("/bin/busybox", X_OK) != 0) return "no /bin/busybox (busybox-static)";
    return std::nullopt;
  }

  BuildFixture() {
    // overlayfs cannot take an upper directory on overlayfs: in a container whose /tmp is
    // one, the store goes to /dev/shm.
    struct statfs fs {};
    bool tmp_is_overlay = ::statfs("/tmp", &fs) == 0 && fs.f_type == 0x794c7630;
    std::string pattern =
        tmp_is_overlay ? "/dev/shm/dexec-build-test-XXXXXX" : "/tmp/dexec-build-test-XXXXXX";
    dir_ = ::mkdtemp(pattern.data());
    root_ = dir_ + "/root";
    std::string tar = dir_ + "/busybox.tar";
    std::string make =
        std::string(DOCKIT_SOURCE_DIR) + "/tests/runtime/make_busybox_rootfs.sh " + tar;
    made_ = std::system(make.c_str()) == 0;
    Result<Store> store = Store::Open(root_);
    if (store) store_.emplace(std::move(*store));
    if (made_ && store_)
      imported_ = static_cast<bool>(ImportRootfs(*store_, tar, "busybox:latest", Now()));
  }
  ~BuildFixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool Ready() const { return made_ && store_ && imported_; }
  const Store& GetStore() const { return *store_; }
  const std::string& Root() const { return root_; }
  const std::string& Dir() const { return dir_; }
  // A copy of examples/NAME (or an empty folder) to build and edit.
  std::string Context(const std::string& example = "") const {
    std::string ctx = dir_ + "/ctx-" + std::to_string(contexts_++);
    std::filesystem::create_directories(ctx);
    if (!example.empty()) {
      std::filesystem::copy(std::string(DOCKIT_SOURCE_DIR) + "/examples/" + example, ctx,
                            std::filesystem::copy_options::recursive);
    }
    return ctx;
  }

 private:
  std::string dir_, root_;
  bool made_ = false, imported_ = false;
  std::optional<Store> store_;
  mutable int contexts_ = 0;
};

}  // namespace dockit::runtime::testing

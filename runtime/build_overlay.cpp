#include "runtime/build_overlay.hpp"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace dockit::runtime {
namespace {

Diagnostic Error(std::string message) {
  return Diagnostic{"runtime-build", std::move(message), {}, Severity::kError};
}

}  // namespace

TempTree::~TempTree() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Result<StepScratch> StepScratch::Make(const Store& store, std::string_view purpose,
                                      bool with_view) {
  Result<std::string> dir = store.TempDir(purpose);
  if (!dir) return dir.Error();
  TempTree tree(*dir);
  for (const char* sub : {"/upper", "/work", "/merged", "/empty"}) {
    if (!with_view && (sub[1] == 'm' || sub[1] == 'e')) continue;
    std::string path = *dir + sub;
    // 0755: the upper directory becomes the layer's root, which is the image's /.
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return Error("cannot create " + path + ": " + std::strerror(errno));
    }
  }
  return StepScratch(std::move(tree));
}

std::string EscapeOverlayPath(const std::string& path) {
  std::string escaped;
  for (char c : path) {
    if (c == ':' || c == ',' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

Result<OverlayMount> OverlayMount::Mount(const std::vector<std::string>& lower_dirs,
                                         const std::string& upper_dir, const std::string& work_dir,
                                         const std::string& target, const std::string& empty_dir) {
  std::string lower;
  for (auto it = lower_dirs.rbegin(); it != lower_dirs.rend(); ++it) {
    lower += (lower.empty() ? "" : ":") + EscapeOverlayPath(*it);
  }
  if (upper_dir.empty() && lower_dirs.size() < 2) {
    return OverlayMount(lower_dirs.empty() ? empty_dir : lower_dirs[0], false);
  }
  if (lower.empty()) lower = EscapeOverlayPath(empty_dir);
  // redirect_dir, metacopy and index off, as in the sandbox: a renamed lower directory is
  // copied up whole, a chmod copies the data, and the upper directory is not tied to these
  // lower layers, so it is always a complete tar layer.
  std::string options = "redirect_dir=off,metacopy=off,index=off,lowerdir=" + lower;
  if (!upper_dir.empty()) {
    options +=
        ",upperdir=" + EscapeOverlayPath(upper_dir) + ",workdir=" + EscapeOverlayPath(work_dir);
  }
  unsigned long flags = upper_dir.empty() ? MS_RDONLY : 0;
  if (::mount("overlay", target.c_str(), "overlay", flags, options.c_str()) != 0) {
    int e = errno;
    return Error("cannot mount the overlay for the step on " + target + ": " + std::strerror(e) +
                 (options.size() > 4000 ? " (too many layers for one mount)" : ""));
  }
  return OverlayMount(target, true);
}

OverlayMount::~OverlayMount() {
  if (mounted_) ::umount2(target_.c_str(), MNT_DETACH);
}

}  // namespace dockit::runtime

// The scratch space of one build step: a temporary directory with an overlayfs upper and work
// directory, and (for COPY, ADD and WORKDIR, which run in dexec's own process) the overlay
// mounted over the parent's layers, so that the copy sees the image as a container would and
// overlayfs itself records deletions and replaced directories in the upper directory.
#pragma once

#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

// A directory tree removed (recursively) when the object goes away, unless Release()d.
class TempTree {
 public:
  TempTree() = default;
  explicit TempTree(std::string path) : path_(std::move(path)) {}
  TempTree(TempTree&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempTree& operator=(TempTree&&) = delete;
  TempTree(const TempTree&) = delete;
  ~TempTree();
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
};

// A step's temporary directory: `Upper()` is what becomes the layer, `Work()` overlayfs's work
// directory next to it, `Merged()` the mount point of the view.
class StepScratch {
 public:
  // `with_view`: also the mount point and an empty lower directory (COPY, WORKDIR); a RUN's
  // sandbox needs only the upper and work directories, and every directory made here costs
  // an rmdir later (milliseconds each on an ext4 mounted with online discard).
  static Result<StepScratch> Make(const Store& store, std::string_view purpose,
                                  bool with_view = true);
  std::string Upper() const { return tree_.Path() + "/upper"; }
  std::string Work() const { return tree_.Path() + "/work"; }
  std::string Merged() const { return tree_.Path() + "/merged"; }
  std::string Dir() const { return tree_.Path(); }

 private:
  explicit StepScratch(TempTree tree) : tree_(std::move(tree)) {}
  TempTree tree_;
};

// A path as overlayfs's mount options take it: ':' separates layers and ',' options, so both
// (and '\\') are escaped with '\\'. A store under a folder named "a,b" must still work.
std::string EscapeOverlayPath(const std::string& path);

// An overlayfs mount, unmounted (lazily: nothing may hold it open by then) on destruction.
// Needs a private mount namespace (PrivateMountNamespace) so that a killed dexec leaves no mount.
class OverlayMount {
 public:
  // `lower_dirs` bottom first (overlayfs wants them top first: reversed here). With an empty
  // `upper_dir` the view is read-only, and one layer (or none: `empty_dir`) is not mounted
  // at all but read where it is, since overlayfs needs two lower directories without an
  // upper one; `empty_dir` also stands in for no lower directories (FROM scratch, --link).
  static Result<OverlayMount> Mount(const std::vector<std::string>& lower_dirs,
                                    const std::string& upper_dir, const std::string& work_dir,
                                    const std::string& target, const std::string& empty_dir);
  OverlayMount(OverlayMount&& other) noexcept
      : target_(std::move(other.target_)), mounted_(other.mounted_) {
    other.mounted_ = false;
  }
  OverlayMount& operator=(OverlayMount&&) = delete;
  OverlayMount(const OverlayMount&) = delete;
  ~OverlayMount();
  // Where the view is: the mount point, or the one directory read in place.
  const std::string& Root() const { return target_; }

 private:
  OverlayMount(std::string target, bool mounted) : target_(std::move(target)), mounted_(mounted) {}
  std::string target_;
  bool mounted_ = false;
};

}  // namespace dockit::runtime

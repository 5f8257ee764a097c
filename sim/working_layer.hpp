// A container's (or a RUN step's) writable layer: copy-on-write over an image's LayerStack, with
// overlayfs's semantics so that Diff() gives the layer Docker would commit. The upper holds what
// overlayfs's upper directory would: every changed node, the directories above it (copied up
// with their metadata), a whiteout for each removed path that a lower layer still has, and the
// opaque marker on a directory made where a whiteout was (removing and re-creating a
// directory). Directory renames copy and delete, as overlayfs without redirect_dir (Docker's
// default) makes `mv` do.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"
#include "sim/layer_stack.hpp"
#include "sim/tree.hpp"

namespace dockit::sim {

// A regular file's content, as a digest and a size only: a 1 GB file from `head -c 1G` is
// described, never stored.
struct FileContent {
  std::string digest;
  uint64_t size = 0;

  static FileContent Bytes(std::string_view bytes);
  // A deterministic stand-in for content the simulator does not hold, e.g.
  // Synthetic("head -c 1G /dev/urandom", 1 << 30).
  static FileContent Synthetic(std::string_view description, uint64_t size);
};

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

class WorkingLayer {
 public:
  explicit WorkingLayer(LayerStack lower);

  const LayerStack& Lower() const { return lower_; }
  const Tree& View() const { return view_; }  // the merged view: lower plus changes

  // mkdir -m MODE, or mkdir -p -m MODE with `parents` (an existing directory is then fine, and
  // the directories made above the last one get 0755). Symlinks on the way are followed.
  Status Mkdir(std::string_view path, bool parents = false, uint32_t mode = 0755, Owner owner = {});
  // Creates or truncates a file, following symlinks as open(O_CREAT) does; an existing file
  // keeps its mode and owner.
  Status WriteFile(std::string_view path, const FileContent& content, uint32_t mode = 0644,
                   Owner owner = {});
  // A file, a symlink (not its target) or an empty directory; with `recursive`, rm -r.
  Status Remove(std::string_view path, bool recursive = false);
  // rename(2): replaces a file by a file or an empty directory by a directory.
  Status Rename(std::string_view from, std::string_view to);
  Status Chmod(std::string_view path, uint32_t mode);  // follows symlinks
  Status Chown(std::string_view path, Owner owner, bool follow = true);
  Status Symlink(std::string_view target, std::string_view link_path, Owner owner = {});

  // The change set over the lower stack, as a layer (see MakeLayer).
  plan::Layer Diff() const;
  // The working layer whose Diff() is `diff` (a saved container's layer): the diff is applied
  // over `lower` and becomes the upper as it is, so Restore(lower, w.Diff()).Diff() == w.Diff().
  static Result<WorkingLayer> Restore(LayerStack lower, const plan::Layer& diff);

 private:
  struct Upper {
    bool whiteout = false;
    bool opaque = false;  // a directory that hides everything below it in lower layers
    Node node;
  };

  // All take real paths (from Tree::Resolve) and keep view_ and upper_ in step.
  void CopyUpParents(const std::string& path);
  void Create(const std::string& path, Node node);   // nothing is there; the parent is a dir
  void Replace(const std::string& path, Node node);  // new content or metadata for a node
  void Erase(const std::string& path);
  bool LowerVisible(const std::string& path) const;

  LayerStack lower_;
  Tree view_;
  std::map<std::string, Upper, std::less<>> upper_;
};

}  // namespace dockit::sim

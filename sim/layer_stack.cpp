#include "sim/layer_stack.hpp"

#include <algorithm>

#include "planner/digest.hpp"
#include "sim/path.hpp"

namespace dockit::sim {
namespace {

using Kind = plan::FileChange::Kind;

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kFile:
      return "file";
    case Kind::kDirectory:
      return "dir";
    case Kind::kSymlink:
      return "symlink";
    case Kind::kHardlink:
      return "hardlink";
    case Kind::kWhiteout:
      return "whiteout";
    case Kind::kOpaqueDirectory:
      return "opaque";
  }
  return "?";
}

Diagnostic LayerError(const std::string& path, const std::string& why) {
  return FsError("EINVAL", "layer entry " + path + ": " + why);
}

Node NodeOf(const plan::FileChange& c) {
  Node n;
  n.kind = c.kind == Kind::kSymlink                                         ? NodeKind::kSymlink
           : c.kind == Kind::kDirectory || c.kind == Kind::kOpaqueDirectory ? NodeKind::kDirectory
                                                                            : NodeKind::kFile;
  n.mode = c.mode;
  n.uid = c.uid;
  n.gid = c.gid;
  if (n.kind == NodeKind::kFile) {
    n.size = c.size;
    n.digest = c.digest;
  }
  if (n.kind == NodeKind::kSymlink) n.target = c.link_target;
  return n;
}

// Makes the missing parents of `path` (0755 root:root); an ancestor that is not a directory is
// an error, as for a tar applier.
Status MakeParents(Tree& tree, const std::string& path) {
  std::string dir = ParentOf(path);
  std::vector<std::string> missing;
  while (true) {
    const Node* n = tree.Find(dir);
    if (n) {
      if (n->kind != NodeKind::kDirectory) return LayerError(path, dir + " is not a directory");
      break;
    }
    missing.push_back(dir);
    dir = ParentOf(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) tree.Put(*it, DirectoryNode());
  return OkStatus();
}

}  // namespace

uint64_t LayerSize(const std::vector<plan::FileChange>& changes) {
  uint64_t size = 0;
  for (const plan::FileChange& c : changes) {
    if (c.kind == Kind::kFile) size += c.size;  // a hard link's bytes are its target's
    if (c.kind == Kind::kSymlink) size += c.link_target.size();  // lstat size
  }
  return size;
}

std::string LayerDiffId(const std::vector<plan::FileChange>& changes) {
  plan::Sha256 h;
  h.Field("dockit-sim-layer/1");
  for (const plan::FileChange& c : changes) {
    h.Field(KindName(c.kind)).Field(c.path);
    h.Field(std::to_string(c.mode)).Field(std::to_string(c.uid)).Field(std::to_string(c.gid));
    h.Field(std::to_string(c.size)).Field(c.digest).Field(c.link_target);
  }
  return h.Finish();
}

plan::Layer MakeLayer(std::vector<plan::FileChange> changes) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& a, const auto& b) { return a.path < b.path; });
  plan::Layer layer;
  layer.size = LayerSize(changes);
  layer.diff_id = LayerDiffId(changes);
  layer.changes = std::move(changes);
  return layer;
}

Status ApplyLayer(Tree& tree, const plan::Layer& layer) {
  for (const plan::FileChange& c : layer.changes) {
    Result<std::string> clean = CleanPath(c.path);
    if (!clean) return LayerError(c.path, clean.Error().message);
    if (*clean != c.path) return LayerError(c.path, "path is not clean");
    if (c.kind == Kind::kWhiteout && c.path == "/") return LayerError(c.path, "whiteout of /");
  }
  // Whiteouts and opaque markers only hide what lower layers brought.
  for (const plan::FileChange& c : layer.changes) {
    if (c.kind == Kind::kWhiteout) tree.EraseTree(c.path);
    if (c.kind == Kind::kOpaqueDirectory) tree.EraseChildren(c.path);
  }
  for (const plan::FileChange& c : layer.changes) {
    if (c.kind == Kind::kWhiteout) continue;
    Status parents = MakeParents(tree, c.path);
    if (!parents) return parents;
    Node node = NodeOf(c);
    if (c.kind == Kind::kHardlink) {
      const Node* target = tree.Find(c.link_target);
      if (!target || target->kind != NodeKind::kFile) {
        return LayerError(c.path, "hard link target " + c.link_target + " is not a file");
      }
      node = *target;
    }
    const Node* old = tree.Find(c.path);
    if (!(old && old->kind == NodeKind::kDirectory && node.kind == NodeKind::kDirectory)) {
      tree.EraseTree(c.path);
    }
    tree.Put(c.path, std::move(node));
  }
  return OkStatus();
}

LayerStack::LayerStack() : view_(std::make_shared<Tree>()) {}

Result<LayerStack> LayerStack::Push(plan::Layer layer) const {
  return Push(std::make_shared<const plan::Layer>(std::move(layer)));
}

Result<LayerStack> LayerStack::Push(std::shared_ptr<const plan::Layer> layer) const {
  auto view = std::make_shared<Tree>(*view_);
  Status applied = ApplyLayer(*view, *layer);
  if (!applied) return applied.Error();
  LayerStack next = *this;
  next.layers_.push_back(std::move(layer));
  next.view_ = std::move(view);
  return next;
}

Result<LayerStack> LayerStack::Of(std::vector<plan::Layer> layers) {
  LayerStack stack;
  for (plan::Layer& layer : layers) {
    Result<LayerStack> next = stack.Push(std::move(layer));
    if (!next) return next.Error();
    stack = std::move(next).Value();
  }
  return stack;
}

std::vector<std::string> LayerStack::DiffIds() const {
  std::vector<std::string> ids;
  for (const auto& layer : layers_) ids.push_back(layer->diff_id);
  return ids;
}

uint64_t LayerStack::Size() const {
  uint64_t size = 0;
  for (const auto& layer : layers_) size += layer->size;
  return size;
}

}  // namespace dockit::sim

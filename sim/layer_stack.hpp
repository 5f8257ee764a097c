// Images as stacks of immutable change-set layers (planner's plan::Layer, OCI semantics) and
// the merged view they give. plan::Layer fits as is: its FileChange entries carry whiteouts and
// opaque directories as kinds. In this model a kWhiteout entry's path is the hidden path itself
// (the tar form `/a/.wh.x` is only an encoding of "/a/x"), and a kOpaqueDirectory entry is the
// directory itself, with its metadata, plus the marker that hides everything below it in lower
// layers (tar's `/a/.wh..wh..opq` next to the `/a` entry).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"
#include "sim/tree.hpp"

namespace dockit::sim {

// A layer from its changes: sorted by path, its size as `docker history` counts it (regular
// files' sizes and symlink target lengths, each hard-linked file once) and a diff_id that is a
// SHA-256 of every change's kind, path and metadata, in order (there are no timestamps to vary).
plan::Layer MakeLayer(std::vector<plan::FileChange> changes);
uint64_t LayerSize(const std::vector<plan::FileChange>& changes);
std::string LayerDiffId(const std::vector<plan::FileChange>& changes);

// Applies a layer to a merged view as an OCI applier does: first its whiteouts (remove the
// path and everything below) and opaque directories (remove everything below) take away from
// the lower layers, then its entries land in path order. An entry replaces what is there unless
// both are directories (then only the metadata changes); missing parents are made 0755 root:root
// as a tar applier makes them; a hard link copies its target file (which must exist by then).
Status ApplyLayer(Tree& tree, const plan::Layer& layer);

// An image's filesystem: layers bottom first and the merged view, built once per stack. Stacks
// are values; Push gives a new one and leaves this one as it was.
class LayerStack {
 public:
  LayerStack();  // scratch: no layers, only the root directory

  Result<LayerStack> Push(plan::Layer layer) const;
  // The same for a layer already shared (a store's), without copying it.
  Result<LayerStack> Push(std::shared_ptr<const plan::Layer> layer) const;
  static Result<LayerStack> Of(std::vector<plan::Layer> layers);

  const std::vector<std::shared_ptr<const plan::Layer>>& Layers() const { return layers_; }
  std::vector<std::string> DiffIds() const;
  uint64_t Size() const;  // the sum of the layers' sizes, as `docker images` shows it
  const Tree& View() const { return *view_; }

 private:
  std::vector<std::shared_ptr<const plan::Layer>> layers_;
  std::shared_ptr<const Tree> view_;
};

}  // namespace dockit::sim

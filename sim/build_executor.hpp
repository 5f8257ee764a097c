// The simulator's backend for the build driver (planner/build_driver.hpp): each step runs on a
// WorkingLayer over its parent's layers, and the layer it commits goes into the world's layer
// store, where cache hits find it again. Base images come from a resolver (the world's own
// images, then the catalogue).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "planner/declared_sizes.hpp"
#include "planner/executor.hpp"
#include "sim/layer_stack.hpp"
#include "sim/text_store.hpp"

namespace dockit::sim {

// Layers by diff_id: the images' and the build cache's, shared.
using LayerStore = std::map<std::string, std::shared_ptr<const plan::Layer>>;

// Resolves FROM <image>: registers the image's layers in the store and gives their ids.
using BaseResolver = std::function<Result<plan::BaseImage>(const std::string& reference)>;

// Files of the build context up to this size have their text kept in the TextStore, so that
// RUN can read them (requirements.txt, package.json, a program's `# dexec:` declarations).
inline constexpr uint64_t kMaxContextText = 64 * 1024;

class BuildExecutor : public plan::Executor {
 public:
  BuildExecutor(LayerStore& layers, TextStore& texts, BaseResolver resolve_base,
                std::string context_dir);

  // Declared sizes (planner/declared_sizes.hpp), as the planner's prediction used them: RUN
  // sizes declared commands and downloads of declared URLs with them. Optional; not owned.
  void SetDeclared(const plan::DeclaredSizes* declared) { declared_ = declared; }

  std::string Backend() const override { return "sim"; }
  Result<plan::BaseImage> Base(const std::string& reference) override;
  bool HasLayer(const std::string& diff_id) const override { return layers_.count(diff_id); }
  Result<plan::StepOutput> Execute(const plan::StepInput& input) override;

 private:
  Result<LayerStack> StackOf(const std::vector<std::string>& diff_ids);
  // Whether the chain of `stage` starts from an image the resolver gave as a stand-in.
  bool StageOnStandIn(const plan::Plan& plan, size_t stage) const;

  LayerStore& layers_;
  TextStore& texts_;
  BaseResolver resolve_base_;
  std::string context_dir_;
  // Merged views already built, by the chain of diff_ids they stack (joined with ' ').
  std::map<std::string, LayerStack> stacks_;
  // Images the resolver gave as stand-ins (BaseImage::contents_known false).
  std::set<std::string> stand_ins_;
  // The cache keys of the RUN steps this executor ran that had opaque commands: a later RUN
  // of their chain may need what they made (RunContext::earlier_opaque). A step taken from the
  // cache of an earlier executor is not in it (its package installs still count, through
  // RunContext::earlier_installs).
  std::set<std::string> opaque_steps_;
  const plan::DeclaredSizes* declared_ = nullptr;
};

// The catalogue as a resolver: FindBaseImage, its layers put in `layers` and the texts of its
// files in `texts`.
BaseResolver CatalogueResolver(LayerStore& layers, TextStore& texts);

// The catalogue, with every image it lacks built on `stand_in`'s layers instead, marked
// BaseImage::contents_known = false (so that what such an image would have had is opaque, not
// missing): for building the real corpus, which names hundreds of images, on the simulator.
BaseResolver StandInResolver(LayerStore& layers, TextStore& texts, std::string stand_in);

}  // namespace dockit::sim

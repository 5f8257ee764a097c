// The real runtime's side of the build driver (planner/build_driver.hpp): FROM resolves images
// in the store (or scratch), RUN runs in a sandbox over the parent's layers, COPY and ADD copy
// from the context (or --from a stage or image) into an overlayfs view of the parent, and each
// step's upper directory becomes a stored layer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "planner/executor.hpp"
#include "runtime/build_overlay.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

class RealExecutor : public plan::Executor {
 public:
  // `context_dir` is the build context; `on_output` receives a RUN's output as it comes.
  RealExecutor(const Store& store, std::string context_dir, NetworkMode network,
               std::function<void(std::string_view)> on_output);
  std::string Backend() const override { return "runtime"; }
  Result<plan::BaseImage> Base(const std::string& reference) override;
  bool HasLayer(const std::string& diff_id) const override;
  Result<plan::StepOutput> Execute(const plan::StepInput& input) override;

 private:
  // The sandbox of a RUN: the parent's layers, the step's environment, user, working
  // directory, network and mounts (cache under ROOT/runtime/cache, tmpfs, read-only binds of
  // the context).
  Result<SandboxSpec> RunSpec(const plan::Step& step, const plan::ImageConfig& config,
                              const StepScratch& scratch,
                              const std::vector<std::string>& lowers) const;
  const Store& store_;
  std::string context_dir_;
  NetworkMode network_;
  std::function<void(std::string_view)> on_output_;
};

}  // namespace dockit::runtime

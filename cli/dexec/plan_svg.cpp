#include "cli/dexec/plan_svg.hpp"

#include <vector>

#include "cli/dexec/common.hpp"
#include "planner/layer_svg.hpp"

namespace dockit::dexec {

std::string PlanSvg(const plan::Plan& plan, const plan::Prediction& prediction,
                    const plan::Waste& waste) {
  std::vector<plan::LayerBar> bars;  // the target chain, newest first (drawn top-down)
  for (std::optional<size_t> s = plan.stage_last[plan.graph.target]; s; s = plan.steps[*s].parent) {
    const plan::Step& step = plan.steps[*s];
    if (step.kind == plan::StepKind::kConfig) continue;
    const plan::StepPrediction& p = prediction.steps[*s];
    bars.push_back({"line " + std::to_string(step.instruction->range.begin.line) + ": " +
                        OneLine(*step.instruction, 60),
                    HumanSize(p.size, "size unknown") + " · " +
                        (p.verdict == plan::CacheVerdict::kHit ? "HIT " : "MISS ") + p.reason,
                    p.size,
                    !p.size                                 ? plan::kFillUnknown
                    : p.verdict == plan::CacheVerdict::kHit ? plan::kFillCached
                                                            : plan::kFillBuilt});
  }
  std::string total = prediction.image_size ? HumanSize(prediction.image_size)
                                            : "at least " + HumanSize(prediction.known_size);
  return plan::LayerBarsSvg(
      "Image layers (top = last instruction): " + total,
      "green: cached, red: rebuilt, grey: size unknown before the build; waste " +
          HumanSize(waste.wasted_bytes),
      bars);
}

}  // namespace dockit::dexec

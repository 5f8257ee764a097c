#include "sim/image_svg.hpp"

#include "planner/layer_svg.hpp"
#include "planner/run_size.hpp"

namespace dockit::sim {

std::string ImageLayersSvg(const Image& image, const std::string& name) {
  const auto& layers = image.layers.Layers();
  std::vector<std::string> made_by;  // per layer, from the history's non-empty entries
  for (const HistoryEntry& h : image.history) {
    if (!h.empty_layer) made_by.push_back(h.created_by);
  }
  std::vector<plan::LayerBar> bars;
  for (size_t i = layers.size(); i-- > 0;) {
    std::string label = i < made_by.size() ? made_by[i] : "(no history)";
    if (label.size() > 90) label = label.substr(0, 87) + "...";
    bars.push_back({label,
                    plan::FormatSize(layers[i]->size) + " · " + layers[i]->diff_id.substr(0, 19),
                    layers[i]->size, plan::kFillBase});
  }
  return plan::LayerBarsSvg(
      name + ": " + std::to_string(layers.size()) + " layers, " + plan::FormatSize(image.Size()),
      "top = the last layer; bar width: size, log scale", bars);
}

std::string BuildTimelineSvg(const plan::Plan& plan, const std::vector<plan::StepReport>& steps,
                             const std::string& name) {
  std::vector<plan::LayerBar> bars;
  size_t cached = 0;
  for (const plan::StepReport& r : steps) {
    const plan::Step& step = plan.steps[r.step];
    std::string text = step.instruction->line.Text();
    for (char& c : text) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    bool hit = r.verdict == plan::CacheVerdict::kHit;
    cached += hit;
    bars.push_back({"step " + std::to_string(r.number) + ": " + text,
                    plan::FormatSize(r.size) + " · " + (hit ? "CACHED" : "rebuilt: " + r.reason),
                    r.size, hit ? plan::kFillCached : plan::kFillBuilt});
  }
  return plan::LayerBarsSvg("Build of " + name + ": " + std::to_string(cached) + " of " +
                                std::to_string(steps.size()) + " steps from the cache",
                            "in the order they ran, top first; green: cached, red: rebuilt", bars);
}

}  // namespace dockit::sim

#include "cli/dexec/plan_svg.hpp"

#include "cli/dexec/common.hpp"
#include "parser/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace dockit::dexec {

std::string PlanSvg(const plan::Plan& plan, const plan::Prediction& prediction,
                    const plan::Waste& waste) {
  std::vector<size_t> layers;  // the target chain, newest first (drawn top-down)
  for (std::optional<size_t> s = plan.stage_last[plan.graph.target]; s; s = plan.steps[*s].parent) {
    if (plan.steps[*s].kind != plan::StepKind::kConfig) layers.push_back(*s);
  }
  const int width = 960, bar_height = 44, gap = 8, top = 70, left = 20;
  const int height = top + static_cast<int>(layers.size()) * (bar_height + gap) + 60;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                    "\" height=\"" + std::to_string(height) +
                    "\" font-family=\"DejaVu Sans, sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  std::string total = prediction.image_size ? HumanSize(prediction.image_size)
                                            : "at least " + HumanSize(prediction.known_size);
  out += "<text x=\"" + std::to_string(left) +
         "\" y=\"34\" font-size=\"22\" font-weight=\"bold\">" +
         text::XmlEscape("Image layers (top = last instruction): " + total) + "</text>\n";
  out +=
      "<text x=\"" + std::to_string(left) + "\" y=\"56\" font-size=\"14\" fill=\"#555\">" +
      text::XmlEscape("green: cached, red: rebuilt, grey: size unknown before the build; waste " +
                      HumanSize(waste.wasted_bytes)) +
      "</text>\n";
  for (size_t row = 0; row < layers.size(); ++row) {
    const plan::Step& step = plan.steps[layers[row]];
    const plan::StepPrediction& p = prediction.steps[layers[row]];
    int y = top + static_cast<int>(row) * (bar_height + gap);
    // Width: log scale from 1 B (a sliver) to 10 GB (the full width).
    double fraction = 0.08;
    if (p.size)
      fraction = std::clamp(std::log10(1.0 + static_cast<double>(*p.size)) / 10.0, 0.04, 1.0);
    int bar = static_cast<int>(fraction * (width - 2 * left));
    const char* fill = !p.size                                 ? "#b0b0b0"
                       : p.verdict == plan::CacheVerdict::kHit ? "#6cc070"
                                                               : "#e06c5a";
    out += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(bar) + "\" height=\"" + std::to_string(bar_height) +
           "\" rx=\"4\" fill=\"" + fill + "\"/>\n";
    std::string label = "line " + std::to_string(step.instruction->range.begin.line) + ": " +
                        OneLine(*step.instruction, 60);
    std::string detail = HumanSize(p.size, "size unknown") + " · " +
                         (p.verdict == plan::CacheVerdict::kHit ? "HIT " : "MISS ") + p.reason;
    out += "<text x=\"" + std::to_string(left + 8) + "\" y=\"" + std::to_string(y + 19) +
           "\" font-size=\"15\">" + text::XmlEscape(label) + "</text>\n";
    out += "<text x=\"" + std::to_string(left + 8) + "\" y=\"" + std::to_string(y + 37) +
           "\" font-size=\"13\" fill=\"#333\">" + text::XmlEscape(detail) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace dockit::dexec

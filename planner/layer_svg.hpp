// A picture of a layer stack a teacher can project: one bar per layer, newest on top, its width
// on a log scale of its size, its colour saying what happened to it. `dexec plan --format svg`
// draws a prediction with it, the simulator an image's layers and a build's cache timeline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockit::plan {

struct LayerBar {
  std::string label;              // "line 4: RUN pip install -r requirements.txt"
  std::string detail;             // "13B · MISS requirements.txt changed (content)"
  std::optional<uint64_t> bytes;  // nullopt: unknown (a grey sliver)
  std::string fill;               // a CSS colour; see the kFill constants
};

inline constexpr const char* kFillCached = "#6cc070";
inline constexpr const char* kFillBuilt = "#e06c5a";
inline constexpr const char* kFillUnknown = "#b0b0b0";
inline constexpr const char* kFillBase = "#7aa7d8";

// The SVG document: a title, a subtitle (the legend), then the bars in the order given (top
// first).
std::string LayerBarsSvg(const std::string& title, const std::string& subtitle,
                         const std::vector<LayerBar>& bars);

}  // namespace dockit::plan

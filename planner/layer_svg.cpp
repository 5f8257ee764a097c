#include "planner/layer_svg.hpp"

#include <algorithm>
#include <cmath>

#include "parser/text.hpp"

namespace dockit::plan {

std::string LayerBarsSvg(const std::string& title, const std::string& subtitle,
                         const std::vector<LayerBar>& bars) {
  const int width = 960, bar_height = 44, gap = 8, top = 70, left = 20;
  const int height = top + static_cast<int>(bars.size()) * (bar_height + gap) + 60;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                    "\" height=\"" + std::to_string(height) +
                    "\" font-family=\"DejaVu Sans, sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"" + std::to_string(left) +
         "\" y=\"34\" font-size=\"22\" font-weight=\"bold\">" + text::XmlEscape(title) +
         "</text>\n";
  out += "<text x=\"" + std::to_string(left) + "\" y=\"56\" font-size=\"14\" fill=\"#555\">" +
         text::XmlEscape(subtitle) + "</text>\n";
  for (size_t row = 0; row < bars.size(); ++row) {
    const LayerBar& b = bars[row];
    int y = top + static_cast<int>(row) * (bar_height + gap);
    // Width: log scale from 1 B (a sliver) to 10 GB (the full width).
    double fraction = 0.08;
    if (b.bytes) {
      fraction = std::clamp(std::log10(1.0 + static_cast<double>(*b.bytes)) / 10.0, 0.04, 1.0);
    }
    int bar = static_cast<int>(fraction * (width - 2 * left));
    out += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(bar) + "\" height=\"" + std::to_string(bar_height) +
           "\" rx=\"4\" fill=\"" + text::XmlEscape(b.fill) + "\"/>\n";
    out += "<text x=\"" + std::to_string(left + 8) + "\" y=\"" + std::to_string(y + 19) +
           "\" font-size=\"15\">" + text::XmlEscape(b.label) + "</text>\n";
    out += "<text x=\"" + std::to_string(left + 8) + "\" y=\"" + std::to_string(y + 37) +
           "\" font-size=\"13\" fill=\"#333\">" + text::XmlEscape(b.detail) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace dockit::plan

#include "parser/diagnostic.hpp"

#include <algorithm>

namespace dockit {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
    case Severity::kStyle:
      return "style";
  }
  return "error";
}

std::string Render(const SourceFile& file, const Diagnostic& d) {
  const SourcePos& b = d.range.begin;
  std::string out = file.Path() + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                    ": " + SeverityName(d.severity) + ": " + d.message + "\n";
  std::string_view line = file.LineAt(b.offset);
  // Control bytes in the echoed line would garble a terminal; show them as '?'.
  std::string shown(line);
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '?';
  }
  out += shown + "\n";
  std::string caret;
  uint32_t col = std::min<uint32_t>(b.column - 1, static_cast<uint32_t>(line.size()));
  for (uint32_t i = 0; i < col; ++i) caret += line[i] == '\t' ? '\t' : ' ';
  caret += '^';
  if (d.range.end.line == b.line && d.range.end.column > b.column + 1) {
    uint32_t stop = std::min<uint32_t>(d.range.end.column - 1, static_cast<uint32_t>(line.size()));
    for (uint32_t i = col + 1; i < stop; ++i) caret += '~';
  }
  return out + caret + "\n";
}

}  // namespace dockit

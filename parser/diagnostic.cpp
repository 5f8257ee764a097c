#include "parser/diagnostic.hpp"

#include <algorithm>

#include "parser/text.hpp"

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

namespace {

const char* SeverityColor(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "\033[1;31m";
    case Severity::kWarning:
      return "\033[1;35m";
    case Severity::kInfo:
      return "\033[1;36m";
    case Severity::kStyle:
      return "\033[1;34m";
  }
  return "";
}

constexpr const char* kBold = "\033[1m";
constexpr const char* kGreen = "\033[1;32m";
constexpr const char* kReset = "\033[0m";

}  // namespace

std::string Render(const SourceFile& file, const Diagnostic& d, bool color) {
  const SourcePos& b = d.range.begin;
  std::string location =
      file.Path() + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ":";
  std::string out = color ? kBold + location + kReset + " " + SeverityColor(d.severity) +
                                SeverityName(d.severity) + ":" + kReset + " " + kBold + d.message +
                                kReset + "\n"
                          : location + " " + SeverityName(d.severity) + ": " + d.message + "\n";
  std::string_view line = file.LineAt(b.offset);
  // Control bytes and invalid UTF-8 in the echoed line would garble a terminal: show '?'.
  // The caret line advances one column per character (not per byte) so it stays aligned.
  std::string shown;
  std::string caret;
  uint32_t col = std::min<uint32_t>(b.column - 1, static_cast<uint32_t>(line.size()));
  uint32_t stop = col + 1;
  if (d.range.end.line == b.line && d.range.end.column > b.column + 1) {
    stop = std::min<uint32_t>(d.range.end.column - 1, static_cast<uint32_t>(line.size()));
  }
  for (uint32_t i = 0; i < line.size();) {
    unsigned char c = line[i];
    uint32_t width = 1;
    if (c >= 0x80) {
      text::Rune r = text::DecodeRune(line, i);
      width = r.width;
      if (r.value == 0xFFFD && r.width == 1) {
        shown += '?';
      } else {
        shown.append(line.substr(i, width));
      }
    } else {
      shown += (c < 0x20 && c != '\t') || c == 0x7F ? '?' : static_cast<char>(c);
    }
    if (i < col) {
      caret += c == '\t' ? '\t' : ' ';
    } else if (i == col) {
      caret += '^';
    } else if (i < stop) {
      caret += '~';
    }
    i += width;
  }
  if (col >= line.size()) caret += '^';
  if (color) caret = kGreen + caret + kReset;
  return out + shown + "\n" + caret + "\n";
}

}  // namespace dockit

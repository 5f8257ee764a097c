#include "parser/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dockit {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

SourcePos SourceFile::PosAt(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return SourcePos{offset, line, offset - line_starts_[line - 1] + 1};
}

SourceRange SourceFile::RangeOf(uint32_t begin, uint32_t end) const {
  return SourceRange{PosAt(begin), PosAt(end)};
}

std::string_view SourceFile::LineAt(uint32_t offset) const {
  SourcePos pos = PosAt(offset);
  uint32_t start = line_starts_[pos.line - 1];
  uint32_t stop = pos.line < line_starts_.size() ? line_starts_[pos.line] : text_.size();
  std::string_view line(text_.data() + start, stop - start);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

uint32_t SourceFile::Utf16Column(const SourcePos& pos) const {
  uint32_t units = 1;
  for (uint32_t i = line_starts_[pos.line - 1]; i < pos.offset && i < text_.size();) {
    auto lead = static_cast<unsigned char>(text_[i]);
    uint32_t length = lead < 0x80           ? 1
                      : (lead >> 5) == 0x6  ? 2
                      : (lead >> 4) == 0xE  ? 3
                      : (lead >> 3) == 0x1E ? 4
                                            : 1;
    bool valid = i + length <= text_.size();
    for (uint32_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text_[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) length = 1;
    units += valid && length == 4 ? 2 : 1;  // a supplementary character is a surrogate pair
    i += length;
  }
  return units;
}

std::shared_ptr<const SourceFile> ReadSourceFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::make_shared<const SourceFile>(path, text.str());
}

}  // namespace dockit

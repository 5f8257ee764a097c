// Source text, positions and ranges shared by every stage of dockit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dockit {

// A position in a source file. Lines and columns are 1-based; a column counts bytes,
// as compilers do, so that a caret printed under the source line lands on the right byte.
struct SourcePos {
  uint32_t offset = 0;
  uint32_t line = 1;
  uint32_t column = 1;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// A half-open byte range [begin, end) with the line:column of both ends.
struct SourceRange {
  SourcePos begin;
  SourcePos end;
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
  uint32_t Size() const { return end.offset - begin.offset; }
};

// The text of one file plus a line index, so offsets turn into line:column in O(log lines).
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& Path() const { return path_; }
  const std::string& Text() const { return text_; }
  SourcePos PosAt(uint32_t offset) const;
  SourceRange RangeOf(uint32_t begin, uint32_t end) const;
  // The physical line holding `offset`, without its line terminator.
  std::string_view LineAt(uint32_t offset) const;
  // The 1-based column of `pos` in UTF-16 code units, as LSP and SARIF count by default. Bytes
  // that are not valid UTF-8 count as one unit each.
  uint32_t Utf16Column(const SourcePos& pos) const;
  uint32_t LineCount() const { return static_cast<uint32_t>(line_starts_.size()); }
  uint32_t LineStart(uint32_t line) const { return line_starts_[line - 1]; }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Reads a whole file. On failure returns nullptr and sets *error to a message such as
// "cannot read Dockerfile: No such file or directory".
std::shared_ptr<const SourceFile> ReadSourceFile(const std::string& path, std::string* error);

}  // namespace dockit

// The Dockerfile syntax tree: what BuildKit's parser produces, plus an exact source range for
// every piece. Built once by ParseDockerfile (parser/dockerfile_parser.hpp) and never changed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit {

// All 18 Dockerfile instructions; kUnknown keeps anything else in the tree for the linter.
enum class InstructionKind {
  kAdd,
  kArg,
  kCmd,
  kCopy,
  kEntrypoint,
  kEnv,
  kExpose,
  kFrom,
  kHealthcheck,
  kLabel,
  kMaintainer,
  kOnbuild,
  kRun,
  kShell,
  kStopsignal,
  kUser,
  kVolume,
  kWorkdir,
  kUnknown,
};

// Case-insensitive lookup of a keyword; kUnknown when it is not an instruction.
InstructionKind KindFromKeyword(std::string_view keyword);
// The canonical upper-case spelling ("RUN"); "" for kUnknown.
std::string_view KeywordOf(InstructionKind kind);

// An instruction's logical line: its physical lines joined after removing line continuations
// and skipping comment and blank lines inside them, as BuildKit does. `pieces` map each byte of
// `text` back to the file, so positions computed on the logical text stay exact.
class LogicalLine {
 public:
  struct Piece {
    uint32_t logical = 0;  // offset in text
    uint32_t source = 0;   // offset in the file
    uint32_t length = 0;
  };

  LogicalLine() = default;
  LogicalLine(std::string text, std::vector<Piece> pieces)
      : text_(std::move(text)), pieces_(std::move(pieces)) {}

  const std::string& Text() const { return text_; }
  const std::vector<Piece>& Pieces() const { return pieces_; }
  // File offset of the byte at `logical`; for logical == size, the end of the last piece.
  uint32_t ToSource(uint32_t logical) const;
  // File range of the logical half-open range [begin, end).
  SourceRange ToSourceRange(const SourceFile& file, uint32_t begin, uint32_t end) const;

 private:
  std::string text_;
  std::vector<Piece> pieces_;
};

// One node of BuildKit's argument chain: its value (JSON-decoded in exec form, quotes and
// escapes kept otherwise, exactly as BuildKit stores it) and where it came from.
struct Word {
  std::string value;
  uint32_t begin = 0;  // [begin, end) in the instruction's logical line
  uint32_t end = 0;
  SourceRange range;  // the same span in the file
};

// A `--name=value` flag before the arguments, as BuildKit stores it: quotes removed, escapes
// applied, `text` starting with "--".
struct Flag {
  std::string text;
  uint32_t begin = 0;
  uint32_t end = 0;
  SourceRange range;
  // "mount" for "--mount=type=cache"; "link" for "--link".
  std::string_view Name() const;
  // The text after the first '='; nullopt when there is no '='.
  std::optional<std::string_view> Value() const;
};

// A here-document of RUN, COPY or ADD.
struct Heredoc {
  std::string name;              // the delimiter with quotes removed
  std::string content;           // the body lines with their newlines, tabs kept even with <<-
  bool expand = true;            // false when any part of the delimiter was quoted
  bool chomp = false;            // <<- : leading tabs are stripped when the body is used
  unsigned fd = 0;               // 3 in `3<<EOF`
  SourceRange word_range;        // `<<EOF` in the instruction line
  SourceRange body_range;        // the body lines (empty range at the terminator when no body)
  SourceRange terminator_range;  // the terminator line, without its newline
};

struct Instruction {
  InstructionKind kind = InstructionKind::kUnknown;
  std::string keyword;  // as written, e.g. "run" or "RUN"
  SourceRange keyword_range;
  std::vector<Flag> flags;
  // BuildKit's argument chain. ENV/LABEL: triples key, value, separator ("=" or "" for the
  // legacy `k v` form). HEALTHCHECK: the type word then its command. ONBUILD: empty (see
  // `onbuild`). Unknown instructions: one empty word, as BuildKit dumps them.
  std::vector<Word> args;
  bool json_form = false;   // exec form: a JSON array of strings
  uint32_t args_begin = 0;  // the argument text (after flags) in the logical line
  uint32_t args_end = 0;
  std::vector<Heredoc> heredocs;
  // The trigger instruction of ONBUILD. It shares the outer instruction's logical line, so its
  // offsets are in the same coordinates.
  std::shared_ptr<const Instruction> onbuild;
  LogicalLine line;
  SourceRange range;                  // first physical line to the last consumed one
  std::vector<std::string> comments;  // comment lines just above, as BuildKit's PrevComment

  // The argument text exactly as BuildKit passed it to the instruction's parser.
  std::string_view ArgsText() const {
    return std::string_view(line.Text()).substr(args_begin, args_end - args_begin);
  }
  const Flag* FindFlag(std::string_view name) const;
};

struct Directive {
  std::string name;  // lower-case: syntax, escape, check
  std::string value;
  SourceRange range;
};

struct Comment {
  std::string text;  // without the leading '#'
  SourceRange range;
};

struct SyntaxTree {
  std::shared_ptr<const SourceFile> file;
  char escape = '\\';
  std::vector<Directive> directives;
  std::vector<Instruction> instructions;
  std::vector<Comment> comments;
  std::vector<Diagnostic> warnings;  // e.g. empty continuation lines (BuildKit warns too)
};

}  // namespace dockit

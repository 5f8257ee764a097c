// Internals shared by shell.cpp (the tree-sitter walk), shell_of.cpp (instructions) and
// shell_query.cpp (wrappers and flags). Not part of the public API.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/shell.hpp"

namespace dockit {

struct ShellScript::Data {
  ShellKind kind = ShellKind::kNone;
  std::string text;
  // Values that differ from their raw text. A deque never moves its elements, so views into
  // them stay valid while it grows.
  std::deque<std::string> arena;
  std::vector<ShellWord> words;
  std::vector<ShellRedirect> redirects;
  std::vector<ShellAssignment> assignments;
  std::vector<ShellCommand> commands;
  std::vector<ShellSegment> segments;
  std::vector<Diagnostic> warnings;
};

namespace shell_internal {

// Maps offsets of a decoded text (unquoted word, JSON string, tab-stripped heredoc) back to the
// text it was decoded from. Runs copied byte for byte map linearly; an escape maps as a unit.
class OffsetMap {
 public:
  // Output [out, out+n) is raw [raw, raw+n) copied.
  void Copy(uint32_t out, uint32_t raw, uint32_t n);
  // Output [out, out+n) was decoded from raw [raw_begin, raw_end) as one unit.
  void Unit(uint32_t out, uint32_t n, uint32_t raw_begin, uint32_t raw_end);
  // Where output ends (raw offset after the last decoded byte), for empty outputs.
  void Finish(uint32_t out_size, uint32_t raw_end);
  // Raw offset where output byte `out` starts.
  uint32_t Begin(uint32_t out) const;
  // Raw offset just after output byte `out - 1`.
  uint32_t End(uint32_t out) const;
  // A range in the output as a raw range; an empty range stays empty.
  std::pair<uint32_t, uint32_t> Range(uint32_t begin, uint32_t end) const {
    if (begin >= end) return {Begin(begin), Begin(begin)};
    return {Begin(begin), End(end)};
  }

 private:
  struct Piece {
    uint32_t out = 0;
    uint32_t out_end = 0;
    uint32_t raw = 0;
    uint32_t raw_end = 0;
    bool copy = true;
  };
  std::vector<Piece> pieces_;
  uint32_t final_raw_ = 0;
};

// Decodes one ANSI-C escape ($'...') starting at s[i] == '\\'. Returns bytes consumed.
size_t DecodeAnsiEscape(std::string_view s, size_t i, std::string* out);

// Removes quotes and escapes from a shell word given as raw text, as the shell would for a word
// without expansions. `raw_base` is the word's offset, recorded in `map` when given.
void UnquoteWord(std::string_view raw, uint32_t raw_base, std::string* out, OffsetMap* map);

// Decodes a JSON string literal (quotes included) with an offset map; false when malformed.
bool DecodeJsonString(std::string_view raw, uint32_t raw_base, std::string* out, OffsetMap* map);

// A word as the query helpers need it, so they run on build-time data as well.
struct WordRef {
  std::string_view value;
  uint16_t flags = 0;
};

// A program that runs another one given after its own options.
struct WrapperSpec {
  std::string_view name;
  std::string_view short_with_value;  // option letters whose value is the next word
  std::string_view stop_letters;      // options meaning it does not run the command
  std::string_view long_with_value;   // " user group " : long options whose value may follow
  std::string_view long_stop;         // " list version "
  uint8_t operands = 0;               // operands before the command (timeout's DURATION)
  bool skip_assignments = false;      // VAR=value words before the command (env, sudo)
};
const WrapperSpec* FindWrapper(std::string_view name);
bool IsAssignmentWord(std::string_view word);
// True when `name` appears as " name " in a space-separated list.
bool InWordList(std::string_view list, std::string_view name);

// Index of the word that really runs after skipping wrappers (sudo, env, ...), starting at
// `first`. Returns the last wrapper when it wraps nothing. `Words` is a span of ShellWord or
// WordRef: anything with .value.
template <typename Words>
size_t UnwrapIndex(const Words& words, size_t first = 0) {
  size_t i = first;
  const size_t n = words.size();
  for (int guard = 0; i < n && guard < 16; ++guard) {
    const WrapperSpec* spec = FindWrapper(Basename(words[i].value));
    if (spec == nullptr) return i;
    size_t j = i + 1;
    bool stop = false;
    while (j < n && !stop) {
      std::string_view v = words[j].value;
      if (v == "--") {
        ++j;
        break;
      }
      if (spec->skip_assignments && IsAssignmentWord(v)) {
        ++j;
        continue;
      }
      if (v == "-" && spec->name == "env") {  // `env -` is `env -i`
        ++j;
        continue;
      }
      if (v.size() < 2 || v[0] != '-') break;
      if (v[1] == '-') {
        size_t eq = v.find('=');
        std::string_view long_name =
            eq == std::string_view::npos ? v.substr(2) : v.substr(2, eq - 2);
        if (InWordList(spec->long_stop, long_name) || long_name == "help" ||
            long_name == "version") {
          stop = true;
          break;
        }
        bool has_value =
            eq == std::string_view::npos && InWordList(spec->long_with_value, long_name);
        j += has_value ? 2 : 1;
        continue;
      }
      bool takes_next = false;
      for (size_t k = 1; k < v.size(); ++k) {
        if (spec->stop_letters.find(v[k]) != std::string_view::npos) {
          stop = true;
          break;
        }
        if (spec->short_with_value.find(v[k]) != std::string_view::npos) {
          takes_next = k + 1 == v.size();
          break;
        }
      }
      j += takes_next ? 2 : 1;
    }
    if (stop) return i;
    j += spec->operands;
    if (j >= n) return i;
    i = j;
  }
  return i;
}

// The index of the -c script operand of a POSIX shell or su/runuser at `first`.
template <typename Words>
std::optional<size_t> ShellScriptOperand(const Words& words, size_t first) {
  const size_t n = words.size();
  if (first >= n) return std::nullopt;
  std::string_view name = Basename(words[first].value);
  if (name == "su" || name == "runuser") {
    for (size_t j = first + 1; j < n; ++j) {
      std::string_view v = words[j].value;
      if (v == "-c" || v == "--command")
        return j + 1 < n ? std::optional<size_t>(j + 1) : std::nullopt;
      if (v == "-s" || v == "--shell" || v == "-g" || v == "--group" || v == "-G" ||
          v == "--supp-group" || v == "-w" || v == "--whitelist-environment") {
        ++j;
        continue;
      }
      // A cluster ending in c (`-lc`) takes the script as the next word.
      if (v.size() > 2 && v[0] == '-' && v[1] != '-' && v.back() == 'c') {
        return j + 1 < n ? std::optional<size_t>(j + 1) : std::nullopt;
      }
    }
    return std::nullopt;
  }
  if (!IsPosixShellName(name)) return std::nullopt;
  bool dash_c = false;
  for (size_t j = first + 1; j < n; ++j) {
    std::string_view v = words[j].value;
    if (v == "--" || v == "-") {
      return dash_c && j + 1 < n ? std::optional<size_t>(j + 1) : std::nullopt;
    }
    if (v.size() > 1 && (v[0] == '-' || v[0] == '+')) {
      if (v[1] == '-') {
        if (v == "--rcfile" || v == "--init-file") ++j;
        continue;
      }
      bool value_next = false;
      for (size_t k = 1; k < v.size(); ++k) {
        if (v[k] == 'c' && v[0] == '-') dash_c = true;
        if (v[k] == 'o' || v[k] == 'O') value_next = true;
      }
      if (value_next) ++j;
      continue;
    }
    return dash_c ? std::optional<size_t>(j) : std::nullopt;
  }
  return std::nullopt;
}

// True when the POSIX shell at `first` reads its script from stdin: no -c and no script file.
template <typename Words>
bool ShellReadsStdin(const Words& words, size_t first) {
  const size_t n = words.size();
  if (first >= n || !IsPosixShellName(Basename(words[first].value))) return false;
  for (size_t j = first + 1; j < n; ++j) {
    std::string_view v = words[j].value;
    if (v == "--" || v == "-") return j + 1 >= n;
    if (v.size() > 1 && (v[0] == '-' || v[0] == '+')) {
      if (v[1] == '-') {
        if (v == "--rcfile" || v == "--init-file") ++j;
        continue;
      }
      bool value_next = false;
      for (size_t k = 1; k < v.size(); ++k) {
        if (v[0] == '-' && v[k] == 'c') return false;
        if (v[0] == '-' && v[k] == 's') return true;  // operands are then arguments
        if (v[k] == 'o' || v[k] == 'O') value_next = true;
      }
      if (value_next) ++j;
      continue;
    }
    return false;  // a script file
  }
  return true;
}

// The -c script word of a command (after unwrapping) when it can be parsed: literal text, or
// text with parameter expansions, but no command substitution, which is parsed already.
template <typename Words>
std::optional<size_t> NestedScriptIndex(const Words& words) {
  if (words.size() < 2) return std::nullopt;
  size_t first = UnwrapIndex(words, 0);
  std::optional<size_t> script = ShellScriptOperand(words, first);
  if (!script) return std::nullopt;
  if ((words[*script].flags & ShellWordFlags::kCommandSubstitution) != 0) return std::nullopt;
  return script;
}

// A `<<EOF` word of a RUN line (blanked for tree-sitter), to attach to the command around it.
struct HeredocMarker {
  uint32_t begin = 0;  // segment-local
  uint32_t end = 0;
  uint32_t delimiter_begin = 0;  // the delimiter after << or <<-
  int32_t fd = -1;
  bool chomp = false;
  std::string name;
  int32_t heredoc = -1;
  int32_t command = -1;  // filled by the parse: the command it feeds
};

struct SegmentSpec {
  std::string_view text;        // stored in Text()
  std::string_view parse_text;  // what tree-sitter sees (same length); empty = text
  ShellMapping mapping;         // segment-local offsets to the file
  ShellSegment::Origin origin = ShellSegment::Origin::kScript;
  uint32_t context = 0;
  int32_t heredoc = -1;
  int32_t command = -1;
  std::vector<HeredocMarker>* heredocs = nullptr;
};

class Builder;

// Builds a ShellScript from segments. Defined in shell.cpp.
class ShellBuilder {
 public:
  ShellBuilder();
  ~ShellBuilder();
  ShellBuilder(const ShellBuilder&) = delete;
  ShellBuilder& operator=(const ShellBuilder&) = delete;

  // Parses a shell segment; returns its index.
  uint32_t ParseSegment(const SegmentSpec& spec);
  // Adds an unparsed segment (a non-shell heredoc body).
  uint32_t AddTextSegment(std::string_view text, ShellSegment::Origin origin,
                          std::string interpreter, int32_t heredoc, int32_t command);
  struct ExecWord {
    uint32_t begin = 0;  // segment-local raw range
    uint32_t end = 0;
    std::string_view value;
  };
  // An exec-form argv as one command.
  void AddExecCommand(std::string_view text, const std::vector<ExecWord>& words,
                      const ShellMapping& mapping);
  // The argv of a built command (views valid until the next Parse/Add call).
  std::vector<WordRef> ArgvOf(int32_t command) const;
  void SetKind(ShellKind kind);
  ShellScript Finish();

 private:
  std::unique_ptr<Builder> impl_;
};

}  // namespace shell_internal
}  // namespace dockit

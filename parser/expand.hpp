// BuildKit's shell-word expansion (the Dockerfile frontend's shell.Lex, frontend/dockerfile/shell/
// lex.go): `$V`, `${V}`, `${V-w}` `${V:-w}` `${V+w}` `${V:+w}` `${V?m}` `${V:?m}`, `${V#p}`
// `${V##p}` `${V%p}` `${V%%p}`, `${V/p/r}` `${V//p/r}`, single and double quotes and the escape
// character of the `# escape=` directive, with BuildKit's quirks kept (see expand.cpp).
//
// Positions are byte offsets into the string passed in, not file positions: the caller knows
// where that string came from (usually a Word of a LogicalLine) and maps them back to the file.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit {

// Where variable values come from (ARG and ENV in scope, build args, ...).
class VarLookup {
 public:
  virtual ~VarLookup() = default;
  // nullopt when `name` is not set; an empty string when it is set but empty.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

// A VarLookup over a fixed set of variables. Names are case-sensitive, as on Linux.
class MapLookup : public VarLookup {
 public:
  MapLookup() = default;
  explicit MapLookup(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  MapLookup(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  // From BuildKit's `KEY=VALUE` list form: a later entry wins; `KEY` alone sets KEY to "".
  static MapLookup FromEnvList(const std::vector<std::string>& env);

  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

struct ExpandOptions {
  char escape = '\\';        // the `# escape=` character: '\\' or '`'
  bool raw_quotes = false;   // BuildKit's RawQuotes: keep the quote characters in the result
  bool raw_escapes = false;  // BuildKit's RawEscapes: keep escape characters in the result
  bool skip_unset = false;   // BuildKit's SkipUnsetEnv: keep `$V`, `${V...}` as is when V is unset
  bool skip_quotes = false;  // BuildKit's SkipProcessQuotes: quotes are ordinary characters
};

// A lookup of a variable that is not set. BuildKit's UndefinedVar check reports every such
// lookup (its lexer records all of them, lex_test.go lists BAZ as unmatched for `${BAZ:-ccc}`),
// including ones guarded by an operator and ones in a word part that ends up unused; the two
// flags let a caller be stricter or looser than BuildKit.
struct UndefinedVar {
  std::string name;
  uint32_t begin = 0;  // `$NAME`, or the whole `${...}`, in the input
  uint32_t end = 0;
  // The subject of `-`, `:-`, `+`, `:+`, `?` or `:?`, which handle the unset case on purpose.
  bool guarded = false;
  // Inside the word of such an operator whose value was dropped, e.g. `$W` in `${V:-$W}` with V
  // set: BuildKit expands the word (and records W) before it looks at V.
  bool discarded = false;
  friend bool operator==(const UndefinedVar&, const UndefinedVar&) = default;
};

// Why an expansion failed. `message` is BuildKit's text without its `failed to process "<word>": `
// prefix (lowercase, no final period); [begin, end) is the offending part of the input.
struct ExpandError {
  std::string code;  // e.g. "missing-brace", "bad-substitution", "unsupported-modifier"
  std::string message;
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const ExpandError&, const ExpandError&) = default;
};

struct Expansion {
  std::string value;                       // ProcessWord's result: quotes removed, no splitting
  std::vector<std::string> words;          // ProcessWords' result (ExpandWords only)
  std::vector<UndefinedVar> undefined;     // in input order
  std::vector<std::string> matched_names;  // variables that were set, first use first, no repeats
};

// An Expansion or the ExpandError that stopped it (the shape of Result<T>, with input offsets).
template <typename T>
class ExpandResult {
 public:
  ExpandResult(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  ExpandResult(ExpandError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool Ok() const { return state_.index() == 0; }
  explicit operator bool() const { return Ok(); }
  const T& Value() const& { return std::get<0>(state_); }
  T&& Value() && { return std::get<0>(std::move(state_)); }
  const T& operator*() const& { return Value(); }
  const T* operator->() const { return &Value(); }
  const ExpandError& Error() const { return std::get<1>(state_); }

 private:
  std::variant<T, ExpandError> state_;
};

// BuildKit's ProcessWord: expands `word` into one string.
ExpandResult<Expansion> ExpandWord(std::string_view word, const VarLookup& env,
                                   const ExpandOptions& options = {});

// BuildKit's ProcessWords: as ExpandWord, and also splits the result into `words` on whitespace
// that is neither quoted nor escaped (whitespace coming from a variable's value splits too, and
// empty words, even quoted ones like '', are dropped).
ExpandResult<Expansion> ExpandWords(std::string_view text, const VarLookup& env,
                                    const ExpandOptions& options = {});

// The error as a Diagnostic at `range`, the file range the caller mapped [begin, end) to.
Diagnostic ToDiagnostic(const ExpandError& error, const SourceRange& range);

}  // namespace dockit

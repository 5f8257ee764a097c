// Errors and warnings as values: a code, a message and a range. Nothing in dockit throws
// across a module boundary; functions that can fail return Result<T>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "parser/source.hpp"

namespace dockit {

enum class Severity { kError, kWarning, kInfo, kStyle };

const char* SeverityName(Severity severity);

struct Diagnostic {
  std::string code;     // stable machine-readable id, e.g. "unterminated-heredoc"
  std::string message;  // lowercase, no final period
  SourceRange range;
  Severity severity = Severity::kError;
};

// `file:line:col: error: message`, then the source line and a caret under the range
// (tildes over the rest of the range when it stays on that line). With `color`, ANSI colours as
// clang uses them: bold location and message, the severity in its colour, a green caret.
std::string Render(const SourceFile& file, const Diagnostic& diagnostic, bool color = false);

// A value or the error that stopped it from being produced.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Diagnostic error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool Ok() const { return state_.index() == 0; }
  explicit operator bool() const { return Ok(); }
  const T& Value() const& { return std::get<0>(state_); }
  T& Value() & { return std::get<0>(state_); }
  T&& Value() && { return std::get<0>(std::move(state_)); }
  const T& operator*() const& { return Value(); }
  const T* operator->() const { return &Value(); }
  const Diagnostic& Error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Diagnostic> state_;
};

// Result<void>: success or an error.
struct Unit {};
using Status = Result<Unit>;
inline Status OkStatus() { return Unit{}; }

}  // namespace dockit

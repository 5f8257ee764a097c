// ShellCheck on the shell code of a Dockerfile: every shell-form RUN (with the bodies of its
// heredocs, as the shell receives them) and every heredoc body that a POSIX shell runs
// (`RUN <<EOF`, `RUN bash <<EOF`). All scripts of one file go to one shellcheck process, each as
// its own input file (an in-memory file passed as /dev/fd/N), so findings of one RUN never leak
// into another (unreachable code after `exit`, variables, `cd`) and each script keeps its own
// dialect. Each input starts with a fixed two-line header: a shebang naming the dialect (from the
// stage's SHELL, or the body's own shebang) and an `export` of the ARG and ENV names in scope,
// without values (nothing is assumed about them), so they are not "referenced but not assigned"
// (SC2154). Findings map back through the script's pieces to exact Dockerfile ranges, across
// removed line continuations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/instructions.hpp"
#include "parser/shell.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {

// The dialects ShellCheck knows (`--shell`).
enum class ShellDialect : uint8_t { kSh, kBash, kDash, kKsh };
std::string_view DialectName(ShellDialect dialect);
// The dialect of a shell program ("/bin/bash", "ash", "mksh"); nullopt for shells ShellCheck
// does not check (zsh, fish, pwsh, cmd).
std::optional<ShellDialect> DialectOf(std::string_view program);

// One script as ShellCheck reads it, and how its bytes map back to the Dockerfile.
struct ShellCheckScript {
  // Bytes [script, script+length) of `text` are file bytes [file, file+length).
  struct Piece {
    uint32_t script = 0;
    uint32_t file = 0;
    uint32_t length = 0;
  };
  static constexpr uint32_t kHeaderLines = 2;

  const Instruction* instruction = nullptr;
  ShellDialect dialect = ShellDialect::kSh;
  std::vector<std::string> predeclared;  // ARG and ENV names in scope
  std::string text;                      // the script as the shell runs it
  std::vector<Piece> pieces;             // sorted; bytes outside them were inserted (newlines)

  // The header, then `text`.
  std::string Input() const;
  // The file range of script bytes [begin, end).
  SourceRange Map(const SourceFile& file, uint32_t begin, uint32_t end) const;
  // The script offset of ShellCheck's json1 position: 1-based line of Input(), 1-based column in
  // code points with a tab counting as one. nullopt for positions in the header.
  std::optional<uint32_t> OffsetOf(uint32_t line, uint32_t column) const;
};

// The scripts of a file, in file order.
std::vector<ShellCheckScript> ShellCheckScripts(const SyntaxTree& tree, const Analysis& analysis,
                                                const std::vector<ShellScript>& shells);

// The findings in ShellCheck's json1 output for `scripts`, given to it as `paths`. Errors: the
// output is not json1.
Result<std::vector<Finding>> ParseShellCheckJson(std::string_view json,
                                                 const std::vector<ShellCheckScript>& scripts,
                                                 const std::vector<std::string>& paths,
                                                 const SourceFile& file);

struct ShellCheckOptions {
  bool enabled = false;  // the library spawns no process unless asked; dlint turns it on
  std::string program = "shellcheck";
  int timeout_ms = 30000;
};

// Runs ShellCheck once over all scripts (nothing at all when there are none). Errors: it could
// not be started, timed out, crashed or printed something that is not json1.
Result<std::vector<Finding>> RunShellCheck(const ShellCheckOptions& options,
                                           const std::vector<ShellCheckScript>& scripts,
                                           const SourceFile& file);

}  // namespace dockit::lint

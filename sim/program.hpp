// What a program does inside a simulated container: a small declared behaviour on the virtual
// clock (print lines, listen on a port and answer, become healthy, exit with a code, ignore
// SIGTERM), never real execution. The servers of the catalogue images and common commands have
// built-in behaviours; user programs (`python app.py`) declare theirs, either in a comment block
// of their own file (`# dexec: listen $PORT`) or through World::DeclareProgram. Anything else is
// an undeclared program: it runs, prints nothing and keeps running, and says so in `inspect` and
// `logs`. The declaration syntax is in sim/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "sim/text_store.hpp"
#include "sim/tree.hpp"

namespace dockit::sim {

using Env = std::vector<std::pair<std::string, std::string>>;

struct TimedLine {
  int64_t at = 0;  // seconds after the start
  std::string text;
  bool stderr_stream = false;
};

struct Behaviour {
  std::string origin;             // "built-in nginx", "declared in /app/app.py", "undeclared", ...
  bool declared = true;           // false: an undeclared program (runs silently forever)
  std::vector<TimedLine> prints;  // sorted by time
  std::optional<int> listen_port;
  int64_t listen_at = 0;
  std::string response;  // what a request gets (the path is not looked at)
  std::optional<int64_t> healthy_after;
  std::optional<int64_t> exit_after;
  int exit_code = 0;
  bool ignore_sigterm = false;  // PID 1 without a handler: stop waits and kills (137)
  int sigterm_exit_code = 143;  // when it exits on SIGTERM
};

// Parses a declaration, one directive per line (see sim/README.md); `$VAR`, `${VAR}` and
// `${VAR:-default}` expand from `env`. Blank lines and lines starting with `#` are skipped.
Result<Behaviour> ParseDeclaration(std::string_view text, const Env& env, std::string origin);

// The directive lines of a program file: the text after `# dexec:` or `// dexec:` on each line.
std::optional<std::string> DeclarationInFile(std::string_view file_text);

// Sets a variable, in place when it is there (its first definition's position is kept).
void SetEnv(Env& env, const std::string& name, const std::string& value);

// Expands `$VAR`, `${VAR}` and `${VAR:-default}` from env (unset variables expand to nothing).
std::string ExpandVars(std::string_view text, const Env& env);

struct ProgramContext {
  const Tree* view = nullptr;                                    // the container's filesystem
  const TextStore* texts = nullptr;                              // the text of its files
  const std::map<std::string, std::string>* declared = nullptr;  // command prefix -> declaration
  Env env;
  std::string workdir = "/";
  int64_t now = 0;           // the start time (for the timestamps servers print themselves)
  bool interactive = false;  // -i: stdin stays open (a shell or `cat` then waits)
};

// The behaviour of `argv` (entrypoint + cmd) in a container: a lesson's declaration
// (the longest matching command prefix), a built-in, the `dexec:` block of the program file
// named by an interpreter's first argument, else undeclared. A program that is not in the
// image is an error with Docker's message (`exec: "foo": executable file not found in $PATH`);
// its exit code is 127 (126 for "permission denied"-style problems is not modelled).
Result<Behaviour> ResolveProgram(const std::vector<std::string>& argv, const ProgramContext& ctx);

// The nginx welcome page, as nginx's default index.html.
std::string NginxWelcomePage();

}  // namespace dockit::sim

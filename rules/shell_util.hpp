// Shared questions about RUN scripts for the rules that look at what RUN commands do
// (cache-ordering, file-deleted-later, caches-left, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/instructions.hpp"
#include "parser/shell.hpp"

namespace dockit::lint {

// Every command of a script seen through its wrappers (sudo, env, ...), skipping function bodies:
// a function is only defined there, not run.
std::vector<CommandView> RunCommands(const ShellScript& script);

// `pip install` also spelled `pip3 install`, `python3 -m pip install`: the view starts at the
// pip word so Subcommand() and Args() work unchanged. false when the command is not pip.
bool AsPip(const CommandView& view, CommandView* pip);

// FlagValue that also reads a short flag at the end of a cluster: `curl -fsSLo out`,
// `wget -qO out`, `wget -qO-` (value "-"). `letter` is the short flag without its dash.
std::optional<std::string_view> ClusterFlagValue(const CommandView& view, char letter,
                                                 std::initializer_list<std::string_view> spellings);

// "npm ci", "mvn dependency:go-offline": the program and its first non-flag argument.
std::string CommandSummary(const CommandView& view);

// True when the RUN has a --mount=type=cache.
bool HasCacheMount(const RunCmd& run);

// A static word's value, or "" when the shell substitutes something in it.
std::string_view StaticValue(const ShellWord& word);

// Lexically cleaned absolute path; relative paths are joined to `cwd` ("" = unknown, then "").
std::string AbsolutePath(std::string_view path, std::string_view cwd);

}  // namespace dockit::lint

// dexec's global options, accepted before or after the verb: `dexec --sim build .` and
// `dexec build --sim .` mean the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockit::dexec {

struct Globals {
  bool sim = false;   // --sim: the simulator instead of the real runtime
  std::string root;   // --root DIR (else DefaultRoot())
  std::string state;  // --state FILE: the simulated world (else <root>/sim/state.json)

  std::string StatePath() const;
};

// Which of a verb's options take a value (`-p 80:80`, `--name web`), so that their value is
// not mistaken for the verb's first operand.
using TakesValue = bool (*)(std::string_view option);

// Takes the global options out of `args` (a verb's arguments). For verbs that pass what
// follows their first operand to a program (`run IMAGE CMD...`, `exec CONTAINER CMD...`),
// `takes_value` is given and only the arguments before that operand are looked at, so
// `dexec run alpine ls --root` keeps `--root` for ls. Returns an error message for a global
// option without its value.
std::optional<std::string> TakeGlobals(std::vector<std::string_view>& args, TakesValue takes_value,
                                       Globals& globals);

}  // namespace dockit::dexec

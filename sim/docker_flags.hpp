// The docker CLI's flag syntax (cobra and pflag), for the simulator's commands: `-p 80:80`,
// `-p80:80`, `--publish=80:80`, `-itd`, repeated flags, `--` and, for `run` and `exec`, flags
// only before the first operand (what follows is the container's command). Errors are worded as
// docker prints them, so a student sees the same message.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::sim {

struct FlagSpec {
  std::string_view name;  // long name without dashes: "publish"
  char shorthand = 0;     // 'p', or 0
  bool takes_value = false;
};

class ParsedFlags {
 public:
  bool Has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  // The last value given (`--name a --name b` is b), or `fallback`.
  std::string Value(std::string_view name, std::string_view fallback = "") const;
  // Every value, in order (`-e A=1 -e B=2`).
  std::vector<std::string> Values(std::string_view name) const;
  const std::vector<std::string>& Operands() const { return operands_; }

 private:
  friend Result<ParsedFlags> ParseFlags(const std::vector<std::string>&, std::span<const FlagSpec>,
                                        bool, std::string_view);
  std::map<std::string, std::vector<std::string>> values_;  // bool flags hold "true"/"false"
  std::vector<std::string> operands_;
};

// `command` names the command in errors ("docker run"). With `stop_at_operand`, everything
// from the first operand on is an operand (docker run IMAGE CMD...). A bool flag takes
// `--flag=false`. Errors: "unknown flag: --foo", "unknown shorthand flag: 'z' in -z",
// "flag needs an argument: --name", "flag needs an argument: 'p' in -p", each followed by
// "\nSee 'docker run --help'.".
Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, std::span<const FlagSpec> spec,
                               bool stop_at_operand, std::string_view command);

}  // namespace dockit::sim

#include "cli/dexec/globals.hpp"

#include <filesystem>

#include "cli/dexec/root.hpp"

namespace dockit::dexec {

std::string Globals::StatePath() const {
  if (!state.empty()) return state;
  return (std::filesystem::path(root.empty() ? DefaultRoot() : root) / "sim" / "state.json")
      .string();
}

std::optional<std::string> TakeGlobals(std::vector<std::string_view>& args, TakesValue takes_value,
                                       Globals& globals) {
  std::vector<std::string_view> kept;
  bool passing = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (passing) {
      kept.push_back(a);
      continue;
    }
    auto value = [&](std::string& into) -> bool {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    if (a == "--sim") {
      globals.sim = true;
    } else if (a == "--root") {
      if (!value(globals.root)) return "--root needs a directory";
    } else if (a.starts_with("--root=")) {
      globals.root = a.substr(7);
    } else if (a == "--state") {
      if (!value(globals.state)) return "--state needs a file";
    } else if (a.starts_with("--state=")) {
      globals.state = a.substr(8);
    } else if (takes_value && a.starts_with('-') && a.find('=') == std::string_view::npos &&
               takes_value(a) && i + 1 < args.size()) {
      kept.push_back(a);
      kept.push_back(args[++i]);
    } else {
      kept.push_back(a);
      // `--` or the verb's first operand: the rest is the program's.
      if (a == "--" || (takes_value && !a.starts_with('-'))) passing = true;
    }
  }
  args = std::move(kept);
  return std::nullopt;
}

}  // namespace dockit::dexec

#include "rules/shell_util.hpp"

#include "parser/dockerignore.hpp"

namespace dockit::lint {

std::vector<CommandView> RunCommands(const ShellScript& script) {
  std::vector<CommandView> out;
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty() || cmd.In(ShellContext::kFunction)) continue;
    CommandView view = Unwrap(cmd);
    if (!view.argv.empty()) out.push_back(view);
  }
  return out;
}

bool AsPip(const CommandView& view, CommandView* pip) {
  std::string_view name = view.Name();
  if (name == "pip" || name.starts_with("pip3") || name.starts_with("pip2")) {
    *pip = view;
    return true;
  }
  // python -m pip ...: the module runs with the remaining words as its argv.
  if (name.starts_with("python") && view.argv.size() >= 3 && view.argv[1].value == "-m" &&
      view.argv[2].value == "pip") {
    *pip = view;
    pip->argv = view.argv.subspan(2);
    return true;
  }
  return false;
}

std::optional<std::string_view> ClusterFlagValue(
    const CommandView& view, char letter, std::initializer_list<std::string_view> spellings) {
  if (auto v = FlagValue(view, spellings)) return v;
  for (size_t i = 1; i < view.argv.size(); ++i) {
    std::string_view w = view.argv[i].value;
    if (w == "--") break;
    if (w.size() < 3 || w[0] != '-' || w[1] == '-') continue;
    size_t at = w.find(letter, 1);
    if (at == std::string_view::npos) continue;
    if (at + 1 < w.size()) return w.substr(at + 1);  // -qOfile
    if (i + 1 < view.argv.size()) return view.argv[i + 1].value;
  }
  return std::nullopt;
}

std::string CommandSummary(const CommandView& view) {
  std::string out(view.argv[0].value);
  if (const ShellWord* sub = Subcommand(view)) out += " " + std::string(sub->value);
  return out;
}

bool HasCacheMount(const RunCmd& run) {
  for (const Mount& m : run.mounts) {
    if (m.type == "cache") return true;
  }
  return false;
}

std::string_view StaticValue(const ShellWord& word) {
  return word.HasExpansion() || word.Has(ShellWordFlags::kTilde) ? std::string_view() : word.value;
}

std::string AbsolutePath(std::string_view path, std::string_view cwd) {
  if (path.empty()) return "";
  if (path.front() == '/') return gopath::Clean(path);
  if (cwd.empty() || cwd.front() != '/') return "";
  return gopath::Clean(std::string(cwd) + "/" + std::string(path));
}

}  // namespace dockit::lint

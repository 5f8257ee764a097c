// Questions rules ask of a shell view: which program really runs (through sudo, env, ...),
// its subcommand, its flags.
#include <algorithm>
#include <array>

#include "parser/shell.hpp"
#include "parser/shell_internal.hpp"

namespace dockit {
namespace shell_internal {
namespace {

// Sorted by name for binary search. Option tables follow each program's manual (GNU coreutils,
// sudo 1.9, util-linux, findutils); options that only print information stop the unwrapping.
constexpr std::array<WrapperSpec, 20> kWrappers{{
    {"busybox", "", "", "", " list ", 0, false},
    {"chroot", "", "", " userspec groups ", "", 1, false},
    {"command", "", "vV", "", "", 0, false},
    {"doas", "uC", "L", "", "", 0, false},
    {"dumb-init", "r", "", " rewrite ", "", 0, false},
    {"eatmydata", "", "", "", "", 0, false},
    {"env", "uCS", "", " unset chdir split-string ", "", 0, true},
    {"exec", "a", "", "", "", 0, false},
    {"fakeroot", "lisb", "", " lib faked ", "", 0, false},
    {"gosu", "", "", "", "", 1, false},
    {"ionice", "cnpP", "", " class classdata pid pgid uid ", "", 0, false},
    {"nice", "n", "", " adjustment ", "", 0, false},
    {"nohup", "", "", "", "", 0, false},
    {"stdbuf", "ioe", "", " input output error ", "", 0, false},
    {"su-exec", "", "", "", "", 1, false},
    {"sudo", "ugpCDrtTUah", "lveKV",
     " user group prompt close-from chdir role type command-timeout other-user host auth-type ",
     " list validate edit remove-timestamp reset-timestamp ", 0, true},
    {"time", "fo", "", " format output ", "", 0, false},
    {"timeout", "sk", "", " signal kill-after ", "", 1, false},
    {"tini", "pe", "", "", "", 0, false},
    {"xargs", "adEILnPs", "",
     " arg-file delimiter max-lines max-args max-procs max-chars "
     "process-slot-var ",
     " show-limits ", 0, false},
}};

}  // namespace

const WrapperSpec* FindWrapper(std::string_view name) {
  auto it = std::lower_bound(kWrappers.begin(), kWrappers.end(), name,
                             [](const WrapperSpec& w, std::string_view n) { return w.name < n; });
  if (it != kWrappers.end() && it->name == name) return &*it;
  return nullptr;
}

bool IsAssignmentWord(std::string_view word) {
  size_t eq = word.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  for (size_t i = 0; i < eq; ++i) {
    char c = word[i];
    bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool InWordList(std::string_view list, std::string_view name) {
  if (name.empty() || list.empty()) return false;
  for (size_t pos = list.find(name); pos != std::string_view::npos;
       pos = list.find(name, pos + 1)) {
    bool left = pos > 0 && list[pos - 1] == ' ';
    bool right = pos + name.size() < list.size() && list[pos + name.size()] == ' ';
    if (left && right) return true;
  }
  return false;
}

}  // namespace shell_internal

std::string_view OperatorText(ShellOperator op) {
  switch (op) {
    case ShellOperator::kEnd:
      return "";
    case ShellOperator::kAnd:
      return "&&";
    case ShellOperator::kOr:
      return "||";
    case ShellOperator::kSemicolon:
      return ";";
    case ShellOperator::kBackground:
      return "&";
    case ShellOperator::kPipe:
      return "|";
    case ShellOperator::kPipeAll:
      return "|&";
    case ShellOperator::kNewline:
      return "\n";
    case ShellOperator::kCaseBreak:
      return ";;";
  }
  return "";
}

bool IsPosixShellName(std::string_view name) {
  return name == "sh" || name == "bash" || name == "dash" || name == "ash" || name == "ksh" ||
         name == "mksh" || name == "zsh";
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view ShellCommand::Name() const {
  return argv.empty() ? std::string_view() : Basename(argv[0].value);
}

std::string_view CommandView::Name() const {
  return argv.empty() ? std::string_view() : Basename(argv[0].value);
}

bool CommandView::WrappedBy(std::string_view wrapper) const {
  for (const ShellWord& w : wrappers) {
    if (Basename(w.value) == wrapper && shell_internal::FindWrapper(wrapper) != nullptr)
      return true;
  }
  return false;
}

CommandView Unwrap(const ShellCommand& command) {
  CommandView view;
  view.command = &command;
  size_t first = shell_internal::UnwrapIndex(command.argv, 0);
  view.argv = command.argv.subspan(first);
  view.wrappers = command.argv.first(first);
  return view;
}

std::vector<CommandView> FindCommands(const ShellScript& script, std::string_view name) {
  std::vector<CommandView> out;
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty()) continue;
    CommandView view = Unwrap(cmd);
    if (view.Name() == name) out.push_back(view);
  }
  return out;
}

namespace {

bool IsFlag(std::string_view v) { return v.size() > 1 && v[0] == '-'; }

bool Listed(std::initializer_list<std::string_view> list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

std::vector<const ShellWord*> Args(const CommandView& view,
                                   std::initializer_list<std::string_view> flags_with_value) {
  std::vector<const ShellWord*> out;
  bool only_args = false;
  for (size_t i = 1; i < view.argv.size(); ++i) {
    const ShellWord& w = view.argv[i];
    if (!only_args) {
      if (w.value == "--") {
        only_args = true;
        continue;
      }
      if (IsFlag(w.value)) {
        if (Listed(flags_with_value, w.value)) ++i;  // its value is the next word
        continue;
      }
    }
    out.push_back(&w);
  }
  return out;
}

const ShellWord* Subcommand(const CommandView& view,
                            std::initializer_list<std::string_view> flags_with_value) {
  // The first argument that is not a flag (nor a flag's value).
  std::vector<const ShellWord*> args = Args(view, flags_with_value);
  return args.empty() ? nullptr : args.front();
}

bool HasCommand(const ShellScript& script, std::string_view name, std::string_view subcommand,
                std::initializer_list<std::string_view> flags_with_value) {
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty()) continue;
    CommandView view = Unwrap(cmd);
    if (view.Name() != name) continue;
    if (subcommand.empty()) return true;
    const ShellWord* sub = Subcommand(view, flags_with_value);
    if (sub != nullptr && sub->value == subcommand) return true;
  }
  return false;
}

namespace {

bool FlagMatches(std::string_view word, std::string_view spelling) {
  if (word == spelling) return true;
  if (word.size() > 2 && word[0] == '-' && word[1] == '-') {
    // --name=value
    size_t eq = word.find('=');
    return eq != std::string_view::npos && word.substr(0, eq) == spelling;
  }
  if (spelling.size() == 2 && spelling[0] == '-' && spelling[1] != '-' && word.size() > 2 &&
      word[0] == '-' && word[1] != '-') {
    return word.find(spelling[1], 1) != std::string_view::npos;  // -qy holds -y
  }
  return false;
}

}  // namespace

bool HasFlag(const CommandView& view, std::initializer_list<std::string_view> spellings) {
  for (size_t i = 1; i < view.argv.size(); ++i) {
    std::string_view v = view.argv[i].value;
    if (v == "--") return false;
    if (!IsFlag(v)) continue;
    for (std::string_view s : spellings) {
      if (FlagMatches(v, s)) return true;
    }
  }
  return false;
}

bool HasFlag(const CommandView& view, std::string_view spelling) {
  return HasFlag(view, {spelling});
}

std::optional<std::string_view> FlagValue(const CommandView& view,
                                          std::initializer_list<std::string_view> spellings) {
  for (size_t i = 1; i < view.argv.size(); ++i) {
    std::string_view v = view.argv[i].value;
    if (v == "--") return std::nullopt;
    if (!IsFlag(v)) continue;
    for (std::string_view s : spellings) {
      if (v == s) {
        if (i + 1 < view.argv.size()) return view.argv[i + 1].value;
        return std::nullopt;
      }
      if (v.size() > s.size() && v.substr(0, s.size()) == s) {
        if (v[s.size()] == '=') return v.substr(s.size() + 1);  // --out=x, -o=x
        if (s.size() == 2 && s[1] != '-') return v.substr(2);   // -ox
      }
    }
  }
  return std::nullopt;
}

}  // namespace dockit

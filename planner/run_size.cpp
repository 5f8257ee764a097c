#include "planner/run_size.hpp"

#include <cctype>
#include <cstdio>
#include <map>
#include <vector>

#include "planner/apt_catalogue.hpp"

namespace dockit::plan {
namespace {

// Commands that write nothing to the image's filesystem (unless redirected, checked apart).
bool Harmless(std::string_view name) {
  for (std::string_view n : {"true", "false", ":", "echo", "printf", "set", "export", "cd", "test",
                             "[", "sleep", "ls", "cat", "id", "whoami", "uname", "env"}) {
    if (name == n) return true;
  }
  return false;
}

// Contexts whose commands may run any number of times, or not at all, or in a child.
constexpr uint32_t kNotLinear = ShellContext::kFunction | ShellContext::kCommandSubstitution |
                                ShellContext::kProcessSubstitution | ShellContext::kSubshell |
                                ShellContext::kIf | ShellContext::kCondition | ShellContext::kLoop |
                                ShellContext::kCase | ShellContext::kBraceGroup |
                                ShellContext::kNegated;

// Where a command's stdout goes: a file (`>` or `>>`), or nowhere known.
struct Output {
  std::optional<std::string> file;  // nullopt: /dev/null, or a redirection not understood
  bool append = false;
};

// The target of the command's stdout redirections; nullopt when it has none. Redirections of
// stderr to /dev/null are fine; any other one makes the command's effect unknown (file empty).
std::optional<Output> OutputFile(const ShellCommand& command) {
  std::optional<Output> out;
  for (const ShellRedirect& r : command.redirects) {
    if (r.op == ">" || r.op == ">>" || r.op == ">|") {
      if (r.fd == 2 && r.target.Static() && r.target.value == "/dev/null") continue;
      if (r.fd > 1 || !r.target.Static() || r.target.value.starts_with("/dev/")) return Output{};
      out = Output{std::string(r.target.value), r.op == ">>"};
    } else {
      return Output{};
    }
  }
  return out;
}

bool IsDevice(std::string_view path) {
  return path == "/dev/zero" || path == "/dev/urandom" || path == "/dev/random";
}

// `path` as a key relative to `cwd` ("" is WORKDIR), cleaned lexically; nullopt when `..`
// leaves WORKDIR, whose place is not known.
std::optional<std::string> Key(const std::string& cwd, std::string_view path) {
  std::string base = path.starts_with('/') ? "/" : cwd;
  std::vector<std::string> parts;
  bool absolute = base.starts_with('/');
  for (std::string_view text : {std::string_view(base), path}) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t slash = text.find('/', start);
      if (slash == std::string_view::npos) slash = text.size();
      std::string_view part = text.substr(start, slash - start);
      if (part == "..") {
        if (!parts.empty()) {
          parts.pop_back();
        } else if (!absolute) {
          return std::nullopt;
        }
      } else if (!part.empty() && part != ".") {
        parts.emplace_back(part);
      }
      start = slash + 1;
    }
  }
  std::string key = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) key += (i ? "/" : "") + parts[i];
  return key;
}

std::optional<std::string_view> Operand(const CommandView& view, std::string_view prefix) {
  for (const ShellWord& w : view.argv) {
    if (w.value.starts_with(prefix)) return w.value.substr(prefix.size());
  }
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> ParseSize(std::string_view text) {
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (UINT64_MAX - 9) / 10) return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(text[i++] - '0');
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  if (unit.empty() || unit == "c") return n;  // dd's "c" is bytes
  static constexpr char kUnits[] = "KMGTPE";
  char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  if (u == 'W' && unit.size() == 1) return n * 2;    // dd: two-byte words
  if (u == 'B' && unit.size() == 1) return n * 512;  // dd: blocks
  const char* at = std::char_traits<char>::find(kUnits, 6, u);
  if (!at) return std::nullopt;
  uint64_t base = 1024;
  std::string_view rest = unit.substr(1);
  if (rest == "B") {
    base = 1000;
  } else if (!rest.empty() && rest != "iB") {
    return std::nullopt;
  }
  for (const char* k = kUnits; k <= at; ++k) {
    if (n > UINT64_MAX / base) return std::nullopt;
    n *= base;
  }
  return n;
}

std::optional<RunSize> KnownRunSize(const ShellScript& script, std::string_view workdir) {
  if (!script.IsShell() || script.Commands().empty()) return std::nullopt;
  // The bytes each file ends with, keyed by its path as far as the script says it (relative
  // paths after the last `cd`, under the unknown WORKDIR ""): writing a file twice counts once,
  // as the layer does.
  std::map<std::string, uint64_t> files;
  std::map<std::string, std::string> writers;  // the last command that wrote each file
  std::vector<std::string> order;
  std::string cwd;  // "" is WORKDIR when it is not known
  if (workdir.starts_with('/')) {
    std::optional<std::string> clean = Key("/", workdir);
    if (clean) cwd = *clean;
  }
  for (const ShellCommand& command : script.Commands()) {
    if (command.context & kNotLinear) return std::nullopt;
    if (command.next == ShellOperator::kOr || command.next == ShellOperator::kBackground) {
      return std::nullopt;  // which side runs is not known
    }
    CommandView view = Unwrap(command);
    if (view.argv.empty()) return std::nullopt;
    for (const ShellWord& w : view.argv) {
      if (!w.Static()) return std::nullopt;
    }
    std::string_view name = view.Name();
    std::optional<Output> out = OutputFile(command);
    std::optional<uint64_t> bytes;
    std::string file;
    enum class Mode { kSet, kAppend, kAtLeast } mode = Mode::kSet;
    if (name == "cd") {
      std::vector<const ShellWord*> args = Args(view);
      if (args.size() != 1 || args[0]->value == "-") return std::nullopt;
      std::optional<std::string> next = Key(cwd, args[0]->value);
      if (!next) return std::nullopt;
      cwd = *next;
      continue;
    } else if (name == "head" && out && out->file) {
      // Only a device's bytes are known: head -c N /dev/zero (or /dev/urandom).
      std::vector<const ShellWord*> args = Args(view, {"-c", "--bytes", "-n", "--lines"});
      if (args.size() == 1 && IsDevice(args[0]->value)) {
        if (auto c = FlagValue(view, {"-c", "--bytes"})) bytes = ParseSize(*c);
      }
      file = *out->file;
      if (out->append) mode = Mode::kAppend;
    } else if (name == "dd") {
      auto input = Operand(view, "if=");
      auto bs = Operand(view, "bs=");
      auto count = Operand(view, "count=");
      auto of = Operand(view, "of=");
      bool plain = view.argv.size() == 4u + (of ? 1 : 0);  // dd if= bs= count= [of=]
      if (input && IsDevice(*input) && bs && count && plain && (of || (out && out->file))) {
        auto b = ParseSize(*bs);
        auto c = ParseSize(*count);
        if (b && c && *b > 0 && (*c == 0 || *b <= UINT64_MAX / *c)) bytes = *b * *c;
        file = of ? std::string(*of) : *out->file;
        if (!of && out->append) mode = Mode::kAppend;
      }
    } else if (name == "fallocate" || name == "truncate") {
      auto size = FlagValue(
          view, {name == "fallocate" ? "-l" : "-s", name == "fallocate" ? "--length" : "--size"});
      std::vector<const ShellWord*> args =
          Args(view, {"-l", "--length", "-s", "--size", "-o", "--offset", "-r", "--reference"});
      bool other_flags =
          HasFlag(view, {"-o", "--offset", "-r", "--reference", "-c", "--no-create", "-k",
                         "--keep-size", "-p", "--punch-hole", "-d", "--dig-holes"});
      if (size && args.size() == 1 && !other_flags) {
        bytes = ParseSize(*size);
        file = std::string(args[0]->value);
        // fallocate never shrinks a file.
        if (name == "fallocate") mode = Mode::kAtLeast;
      }
    } else if (Harmless(name) && !out) {
      continue;
    }
    if (!bytes) return std::nullopt;
    std::optional<std::string> key = Key(cwd, file);
    if (!key) return std::nullopt;
    auto [it, fresh] = files.try_emplace(*key, 0);
    if (fresh) order.push_back(*key);
    writers[*key] = std::string(name);
    switch (mode) {
      case Mode::kSet:
        it->second = *bytes;
        break;
      case Mode::kAppend:
        it->second += *bytes;
        break;
      case Mode::kAtLeast:
        it->second = std::max(it->second, *bytes);
        break;
    }
  }
  RunSize total;
  for (const std::string& key : order) {
    total.bytes += files[key];
    total.how += (total.how.empty() ? "" : ", ") + writers[key] + " " + std::to_string(files[key]) +
                 " bytes to " +
                 (key.starts_with('/') ? key
                  : key == ""          ? "WORKDIR"
                                       : "WORKDIR/" + key);
  }
  return total;
}

std::optional<RunSize> AptRunSize(const ShellScript& script) {
  if (!script.IsShell() || script.Commands().empty()) return std::nullopt;
  std::vector<std::string> packages;
  bool recommends = true;
  bool updated = false;
  bool lists_removed = false;
  for (const ShellCommand& command : script.Commands()) {
    if (command.context & kNotLinear) return std::nullopt;
    if (command.next == ShellOperator::kOr || command.next == ShellOperator::kBackground) {
      return std::nullopt;  // which side runs is not known
    }
    CommandView view = Unwrap(command);
    if (view.argv.empty()) return std::nullopt;
    // `rm -rf /var/lib/apt/lists/*` has a glob; expansions are never judged.
    for (const ShellWord& w : view.argv) {
      if (w.HasExpansion()) return std::nullopt;
    }
    std::string_view name = view.Name();
    if (name == "apt-get") {
      const ShellWord* sub = Subcommand(view, {"-o", "-c", "-t"});
      if (!sub) return std::nullopt;
      if (sub->value == "update") {
        updated = true;
      } else if (sub->value == "install") {
        if (HasFlag(view, "--no-install-recommends")) recommends = false;
        std::vector<const ShellWord*> args = Args(view, {"-o", "-c", "-t"});
        for (size_t i = 1; i < args.size(); ++i) {
          if (!args[i]->Static()) return std::nullopt;  // a glob names no known set
          packages.emplace_back(args[i]->value);
        }
      } else if (sub->value != "clean") {
        return std::nullopt;
      }
    } else if (name == "rm") {
      for (const ShellWord* w : Args(view)) {
        std::string_view v = w->value;
        if (v != "/var/lib/apt/lists/*" && v != "/var/lib/apt/lists" &&
            v != "/var/lib/apt/lists/") {
          return std::nullopt;
        }
        lists_removed = true;
      }
    } else if (!Harmless(name) || OutputFile(command)) {
      return std::nullopt;
    }
  }
  if (packages.empty() || (updated && !lists_removed)) return std::nullopt;
  auto estimate = AptInstallSize(packages, recommends);
  if (!estimate) return std::nullopt;
  char mb[32];
  std::snprintf(mb, sizeof mb, "%.1f MB", static_cast<double>(estimate->bytes) / 1e6);
  return RunSize{estimate->bytes, std::string("about ") + mb + " for " +
                                      std::to_string(estimate->packages) +
                                      " Debian 12 packages (catalogue" +
                                      (recommends ? ", recommends included" : "") + ")"};
}

}  // namespace dockit::plan

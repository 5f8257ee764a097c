#include "planner/run_size.hpp"

#include <cctype>
#include <cstdio>
#include <iomanip>
#include <sstream>

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

// The target of a `>` or `>>` redirection of the command, if it has exactly one.
std::optional<std::string> OutputFile(const ShellCommand& command) {
  std::optional<std::string> out;
  for (const ShellRedirect& r : command.redirects) {
    if (r.op == ">" || r.op == ">>" || r.op == ">|") {
      if (r.fd > 1 || !r.target.Static()) return std::nullopt;
      out = std::string(r.target.value);
    }
  }
  return out;
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

std::optional<RunSize> KnownRunSize(const ShellScript& script) {
  if (!script.IsShell() || script.Commands().empty()) return std::nullopt;
  RunSize total;
  for (const ShellCommand& command : script.Commands()) {
    if (command.context & (ShellContext::kFunction | ShellContext::kCommandSubstitution)) {
      return std::nullopt;
    }
    CommandView view = Unwrap(command);
    if (view.argv.empty()) return std::nullopt;
    for (const ShellWord& w : view.argv) {
      if (!w.Static()) return std::nullopt;
    }
    std::string_view name = view.Name();
    std::optional<std::string> out = OutputFile(command);
    std::optional<uint64_t> bytes;
    std::string file;
    if (name == "head" && out) {
      if (auto c = FlagValue(view, {"-c", "--bytes"})) bytes = ParseSize(*c);
      file = *out;
    } else if (name == "dd") {
      auto bs = Operand(view, "bs=");
      auto count = Operand(view, "count=");
      auto of = Operand(view, "of=");
      if (bs && count && (of || out)) {
        auto b = ParseSize(*bs);
        auto c = ParseSize(*count);
        if (b && c && (*c == 0 || *b <= UINT64_MAX / *c)) bytes = *b * *c;
        file = of ? std::string(*of) : *out;
      }
    } else if (name == "fallocate" || name == "truncate") {
      auto size = FlagValue(
          view, {name == "fallocate" ? "-l" : "-s", name == "fallocate" ? "--length" : "--size"});
      std::vector<const ShellWord*> args =
          Args(view, {"-l", "--length", "-s", "--size", "-o", "--offset", "-r", "--reference"});
      if (size && args.size() == 1) {
        bytes = ParseSize(*size);
        file = std::string(args[0]->value);
      }
    } else if (Harmless(name) && !out) {
      continue;
    }
    if (!bytes) return std::nullopt;
    total.bytes += *bytes;
    total.how += (total.how.empty() ? "" : ", ") + std::string(name) + " " +
                 std::to_string(*bytes) + " bytes to " + file;
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
    if (command.context & (ShellContext::kFunction | ShellContext::kCommandSubstitution)) {
      return std::nullopt;
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

std::string FormatSize(uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  std::ostringstream out;
  out << std::setprecision(v < 10 && u > 0 ? 2 : 3) << v << units[u];
  return out.str();
}

}  // namespace dockit::plan

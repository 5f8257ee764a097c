#include "planner/run_size.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <vector>

#include "planner/apk_catalogue.hpp"
#include "planner/apt_catalogue.hpp"
#include "planner/npm_catalogue.hpp"
#include "planner/pip_catalogue.hpp"

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

// Whether the command may not run, or run other than once, depending on what another command
// does: inside if, loops, subshells and the like, or before `||` or `&`. A size is never claimed
// for such a script (the simulator's RUN model does not run those commands either).
bool MayNotRun(const ShellCommand& command) {
  return (command.context & kNotLinear) || command.next == ShellOperator::kOr ||
         command.next == ShellOperator::kBackground;
}

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

// The bytes a command writes when its arguments say (head -c, dd, fallocate, truncate).
struct Stated {
  uint64_t bytes = 0;
  std::string how;
};
// The same rules as KnownRunSize: only a device's bytes are known to head and dd.
std::optional<Stated> StatedSize(const ShellCommand& command, const CommandView& view) {
  std::string_view name = view.Name();
  std::optional<Output> output = OutputFile(command);
  std::optional<std::string> out = output ? output->file : std::nullopt;
  std::optional<uint64_t> bytes;
  std::string file;
  if (name == "head" && out) {
    std::vector<const ShellWord*> args = Args(view, {"-c", "--bytes", "-n", "--lines"});
    if (args.size() == 1 && IsDevice(args[0]->value)) {
      if (auto c = FlagValue(view, {"-c", "--bytes"})) bytes = ParseSize(*c);
    }
    file = *out;
  } else if (name == "dd") {
    auto input = Operand(view, "if=");
    auto bs = Operand(view, "bs=");
    auto count = Operand(view, "count=");
    auto of = Operand(view, "of=");
    if (input && IsDevice(*input) && bs && count && (of || out)) {
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
  }
  if (!bytes) return std::nullopt;
  return Stated{*bytes, std::string(name) + " " + std::to_string(*bytes) + " bytes to " + file};
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
    if (MayNotRun(command)) return std::nullopt;
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
    if (MayNotRun(command)) return std::nullopt;
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
        lists_removed = false;  // a removal before the update removed nothing
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
  RunSize out;
  out.bytes = estimate->bytes;
  out.how = std::string("about ") + mb + " for " + std::to_string(estimate->packages) +
            " Debian 12 packages (catalogue" + (recommends ? ", recommends included" : "") + ")";
  out.source = "catalogue";
  return out;
}

namespace {

// "3.3 MB", "34.2 kB" (decimal units, as the reasons print them).
std::string Mb(uint64_t bytes) {
  char mb[32];
  if (bytes < 1'000'000) {
    std::snprintf(mb, sizeof mb, "%.1f kB", static_cast<double>(bytes) / 1e3);
  } else {
    std::snprintf(mb, sizeof mb, "%.1f MB", static_cast<double>(bytes) / 1e6);
  }
  return mb;
}

// `path` made absolute against `workdir`, with `.` and `..` segments resolved.
std::string Absolute(std::string_view path, std::string_view workdir) {
  std::string joined =
      path.starts_with('/') ? std::string(path) : std::string(workdir) + "/" + std::string(path);
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= joined.size()) {
    size_t end = joined.find('/', at);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(at, end - at);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

// The last path segment of a URL, without its query or fragment.
std::string UrlFileName(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  size_t slash = url.rfind('/');
  if (slash == std::string_view::npos) return "";
  return std::string(url.substr(slash + 1));
}

bool UnderAny(const std::string& path, const std::vector<std::string>& roots) {
  for (const std::string& r : roots) {
    std::string root = r.size() > 1 && r.back() == '/' ? r.substr(0, r.size() - 1) : r;
    if (path == root || path.starts_with(root + "/") || root == "/") return true;
  }
  return false;
}

// The walk over a RUN's commands.
struct Walk {
  explicit Walk(const RunSizeContext& context) : ctx(context), cwd(context.workdir) {}
  const RunSizeContext& ctx;
  std::string cwd;     // the WORKDIR, then where `cd` went
  uint64_t bytes = 0;  // stated, declared and downloaded parts
  std::vector<std::string> how;
  int rank = 0;  // 0 command, 1 declared, 2 catalogue
  // apt-get
  std::vector<std::string> apt;
  bool apt_recommends = true, apt_updated = false, apt_lists_removed = false;
  // pip
  std::vector<std::string> pip, pip_cached;  // every requirement; those installed with a cache
  bool pip_used = false;
  std::string pip_site;  // "user" or "system": where this RUN's pip installs went
  // npm
  std::map<std::pair<std::string, std::string>, PackageBytes> npm;
  bool npm_used = false, npm_cache_removed = false;
  std::string npm_dir;        // the folder whose node_modules the installs fill ("-g": global)
  bool npm_cli_used = false;  // npm itself ran an install (not only yarn)
  bool yarn_used = false,
       yarn_cache_removed = false;  // yarn 1's cache: /usr/local/share/.cache/yarn
  // apk
  bool apk_cache_left = false, apk_cache_removed = false;
  // downloads: file -> bytes
  std::map<std::string, uint64_t> downloads;
  std::vector<PackageBytes> packages;  // every manager's, in the order they are added

  void Add(uint64_t n, std::string what, int r) {
    bytes += n;
    how.push_back(std::move(what));
    rank = std::max(rank, r);
  }
  bool Pip(const std::vector<std::string_view>& words);
  bool Npm(const std::vector<std::string_view>& words);
  bool Yarn(const std::vector<std::string_view>& words);
  bool Download(const ShellCommand& command, const std::vector<std::string_view>& words);
  bool Remove(const CommandView& view);
};

bool Walk::Pip(const std::vector<std::string_view>& w) {
  std::optional<ManagerCommand> command = PipCommand(w, ctx, cwd);
  if (!command) return false;
  if (command->cache_removed) {
    pip_cached.clear();  // what was cached so far is gone; later installs cache again
    return true;
  }
  // Installs into two places (--user and not) lay the same package down twice: not summed here.
  std::string site = command->user ? "user" : "system";
  if (!pip_site.empty() && pip_site != site) return false;
  pip_site = site;
  pip_used = true;
  const std::vector<std::string>& reqs = command->requirements;
  pip.insert(pip.end(), reqs.begin(), reqs.end());
  if (command->cached) pip_cached.insert(pip_cached.end(), reqs.begin(), reqs.end());
  return true;
}

bool Walk::Npm(const std::vector<std::string_view>& w) {
  std::optional<ManagerCommand> command = NpmCommand(w, ctx, cwd);
  if (!command) return false;
  if (command->cache_removed) {
    npm_cache_removed = true;
    return true;
  }
  // node_modules in two folders holds a package twice: not summed here.
  std::string dir = command->global ? "-g" : cwd;
  if (!npm_dir.empty() && npm_dir != dir) return false;
  npm_dir = dir;
  npm_used = npm_cli_used = true;
  npm_cache_removed = false;  // this install fills the cache again
  for (const PackageBytes& p : command->set.packages) npm[{p.name, p.version}] = p;
  return true;
}

// A curl or wget command line: its URLs and where it writes. Short options may be clustered
// (`-fsSLo FILE`, `-qO-`); an option the tables do not know makes the command unknown.
struct Fetch {
  std::vector<std::string> urls;
  std::optional<std::string> output;  // -o / -O FILE (wget), "-" for stdout
  std::optional<std::string> prefix;  // wget -P DIR
  bool remote_name = false;           // curl -O
};

std::optional<Fetch> ParseFetch(const std::vector<std::string_view>& w, bool curl) {
  // Options that take a value, short and long; the value options that name the output file.
  std::string_view short_valued = curl ? "oHAuXmwebxrdFKTEYyzCcDQt" : "OPUtTeoaiBdwlQ";
  static constexpr std::string_view kCurlLong[] = {
      "--output",         "--header",   "--user-agent", "--user",
      "--request",        "--max-time", "--retry",      "--connect-timeout",
      "--write-out",      "--referer",  "--cacert",     "--retry-delay",
      "--retry-max-time", "--proxy",    "--data",       "--range",
      "--limit-rate",     "--proto"};
  static constexpr std::string_view kWgetLong[] = {"--output-document",
                                                   "--directory-prefix",
                                                   "--user-agent",
                                                   "--header",
                                                   "--tries",
                                                   "--timeout",
                                                   "--output-file",
                                                   "--append-output",
                                                   "--ca-certificate",
                                                   "--wait",
                                                   "--user",
                                                   "--password"};
  std::span<const std::string_view> long_valued(curl
                                                    ? std::span<const std::string_view>(kCurlLong)
                                                    : std::span<const std::string_view>(kWgetLong));
  Fetch out;
  auto set = [&](std::string_view option, std::string_view value) {
    if (option == "--output" || (curl && option == "o") || option == "--output-document" ||
        (!curl && option == "O")) {
      out.output = std::string(value);
    } else if (option == "--directory-prefix" || (!curl && option == "P")) {
      out.prefix = std::string(value);
    }
  };
  bool options = true;
  for (size_t i = 1; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (options && a == "--") {
      options = false;
    } else if (options && a.starts_with("--")) {
      size_t eq = a.find('=');
      std::string_view name = a.substr(0, eq);
      bool valued = false;
      for (std::string_view v : long_valued) valued = valued || v == name;
      if (valued) {
        if (eq != std::string_view::npos) {
          set(name, a.substr(eq + 1));
        } else {
          if (++i >= w.size()) return std::nullopt;
          set(name, w[i]);
        }
      } else if (curl && name == "--remote-name") {
        out.remote_name = true;
      } else if (eq != std::string_view::npos ||
                 (name != "--fail" && name != "--silent" && name != "--show-error" &&
                  name != "--location" && name != "--insecure" && name != "--compressed" &&
                  name != "--quiet" && name != "--no-verbose" && name != "--no-check-certificate" &&
                  name != "--progress-bar" && name != "--retry-all-errors" &&
                  name != "--retry-connrefused" && name != "--continue")) {
        return std::nullopt;  // an option that may change what is written (-J, -N, -r, ...)
      }
    } else if (options && a.size() > 1 && a.starts_with('-')) {
      for (size_t k = 1; k < a.size(); ++k) {
        char c = a[k];
        if (short_valued.find(c) != std::string_view::npos) {
          std::string_view value = a.substr(k + 1);
          if (value.empty()) {
            if (++i >= w.size()) return std::nullopt;
            value = w[i];
          }
          set(std::string_view(&a[k], 1), value);
          break;
        }
        if (curl && c == 'O') {
          out.remote_name = true;
        } else if (std::string_view(curl ? "fsSLkv#" : "qvnc").find(c) == std::string_view::npos) {
          return std::nullopt;
        }
      }
    } else {
      out.urls.emplace_back(a);
    }
  }
  return out;
}

bool Walk::Yarn(const std::vector<std::string_view>& w) {
  std::optional<ManagerCommand> command = YarnCommand(w, ctx, cwd);
  if (!command) return false;
  if (command->cache_removed) {
    yarn_cache_removed = true;
    return true;
  }
  if (!npm_dir.empty() && npm_dir != cwd) return false;
  npm_dir = cwd;
  npm_used = yarn_used = true;
  yarn_cache_removed = false;  // this install fills the cache again
  for (const PackageBytes& p : command->set.packages) npm[{p.name, p.version}] = p;
  return true;
}

bool Walk::Download(const ShellCommand& command, const std::vector<std::string_view>& words) {
  if (!ctx.declared || command.In(ShellContext::kPipeline)) return false;
  bool curl = Basename(words[0]) == "curl";
  std::optional<Fetch> fetch = ParseFetch(words, curl);
  if (!fetch || fetch->urls.size() != 1) return false;
  const std::string& url = fetch->urls[0];
  auto size = ctx.declared->Url(url);
  if (!size) return false;
  std::optional<Output> output = OutputFile(command);
  std::optional<std::string> redirect = output ? output->file : std::nullopt;
  std::string file;
  if (fetch->output && *fetch->output != "-") {
    file = *fetch->output;
  } else if (fetch->output || (curl && !fetch->remote_name)) {
    file = redirect.value_or("");  // to stdout: the build log, unless redirected
  } else {
    file = UrlFileName(url);  // curl -O, wget without -O
    if (file.empty()) return false;
    if (fetch->prefix) file = *fetch->prefix + "/" + file;
  }
  if (file.empty()) return true;
  downloads[Absolute(file, cwd)] = *size;
  rank = std::max(rank, 1);
  return true;
}

bool Walk::Remove(const CommandView& view) {
  for (const ShellWord* w : Args(view)) {
    std::string_view v = w->value;
    if (w->HasExpansion()) return false;
    std::string path = Absolute(v.ends_with("/*") ? v.substr(0, v.size() - 2) : v, cwd);
    if (path == "/var/lib/apt/lists") {
      apt_lists_removed = true;
    } else if (path == "/root/.cache/pip" || path == "/root/.cache") {
      pip_cached.clear();
    } else if (path == "/root/.npm" || path == "/root/.npm/_cacache") {
      npm_cache_removed = true;
    } else if (path == "/usr/local/share/.cache/yarn") {
      yarn_cache_removed = true;
    } else if (path == "/var/cache/apk") {
      apk_cache_removed = true;
    } else if (w->Static() && downloads.count(path)) {
      downloads[path] = 0;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<ManagerCommand> PipCommand(const std::vector<std::string_view>& w,
                                         const RunSizeContext& ctx, std::string_view cwd) {
  ManagerCommand out;
  size_t i = 0;
  bool no_cache = false;
  while (i < w.size() && w[i].starts_with('-')) {
    if (w[i] == "--no-cache-dir") {
      no_cache = true;
    } else if (w[i] != "-q" && w[i] != "--quiet" && w[i] != "--disable-pip-version-check" &&
               !w[i].starts_with("--root-user-action")) {
      return std::nullopt;
    }
    ++i;
  }
  if (i >= w.size()) return std::nullopt;
  if (w[i] == "cache" && i + 1 < w.size() && w[i + 1] == "purge") {
    out.cache_removed = true;
    return out;
  }
  if (w[i] != "install") return std::nullopt;
  std::vector<std::string>& reqs = out.requirements;
  bool from_file = false;
  for (++i; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (a == "--no-cache-dir") {
      no_cache = true;
    } else if (a == "--user") {
      out.user = true;
    } else if (a == "-U" || a == "--upgrade" || a == "-q" || a == "--quiet" ||
               a == "--break-system-packages" || a == "--no-compile" ||
               a == "--disable-pip-version-check" || a.starts_with("--root-user-action=") ||
               a == "--no-warn-script-location") {
      continue;
    } else if (a == "-r" || a == "--requirement" || a.starts_with("--requirement=") ||
               (a.starts_with("-r") && a.size() > 2)) {
      std::string file;
      if (a == "-r" || a == "--requirement") {
        if (++i >= w.size()) return std::nullopt;
        file = std::string(w[i]);
      } else {
        file = std::string(a.substr(a.starts_with("--") ? 14 : 2));
      }
      if (!ctx.read_file) return std::nullopt;
      auto text = ctx.read_file(Absolute(file, cwd));
      if (!text) return std::nullopt;
      auto listed = ParseRequirementsFile(*text);
      if (!listed) return std::nullopt;
      reqs.insert(reqs.end(), listed->begin(), listed->end());
      from_file = true;
    } else if (a.starts_with('-')) {
      return std::nullopt;  // --no-deps, -e, --index-url, --target ...: not what the catalogue says
    } else {
      reqs.emplace_back(a);
    }
  }
  if (reqs.empty() && !from_file) return std::nullopt;  // pip refuses to run without requirements
  for (const auto& [k, v] : ctx.env) {
    if (k == "PIP_NO_CACHE_DIR" && !v.empty()) no_cache = true;
  }
  if (UnderAny("/root/.cache/pip", ctx.cache_mounts)) no_cache = true;
  out.cached = !no_cache;
  if (!reqs.empty()) {
    std::optional<PackageSet> set = PipInstall(reqs);
    if (!set) return std::nullopt;
    out.set = std::move(*set);
  }
  return out;
}

std::optional<ManagerCommand> NpmCommand(const std::vector<std::string_view>& w,
                                         const RunSizeContext& ctx, std::string_view cwd) {
  if (w.empty()) return std::nullopt;
  ManagerCommand out;
  std::string_view sub = w[0];
  if (sub == "cache") {
    // npm 5 and later refuse `cache clean` without --force: the build would fail.
    if (w.size() == 3 && w[1] == "clean" && (w[2] == "--force" || w[2] == "-f")) {
      out.cache_removed = true;
      return out;
    }
    return std::nullopt;
  }
  if (sub != "install" && sub != "i" && sub != "ci" && sub != "add") return std::nullopt;
  bool omit_dev = false;
  std::vector<std::string> names;
  for (size_t i = 1; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (a == "--omit=dev" || a == "--production" || a == "--only=production" ||
        a == "--only=prod") {
      omit_dev = true;
    } else if (a == "--omit" && i + 1 < w.size() && w[i + 1] == "dev") {
      omit_dev = true;
      ++i;
    } else if (a == "-g" || a == "--global") {
      out.global = true;
    } else if (a == "--no-audit" || a == "--no-fund" || a == "--ignore-scripts" || a == "--save" ||
               a == "-S" || a == "--save-exact" || a == "-E" || a == "--no-save" ||
               a == "--quiet" || a == "-q" || a == "--silent" || a == "--no-progress" ||
               a.starts_with("--loglevel")) {
      continue;
    } else if (a.starts_with('-')) {
      return std::nullopt;
    } else {
      names.emplace_back(a);
    }
  }
  std::optional<PackageSet> set;
  if (names.empty()) {
    if (!ctx.read_file) return std::nullopt;
    auto lock = ctx.read_file(Absolute("package-lock.json", cwd));
    if (!lock) return std::nullopt;
    set = NpmLockInstall(*lock, omit_dev);
  } else {
    if (sub == "ci") return std::nullopt;
    set = NpmInstall(names);
  }
  if (!set) return std::nullopt;
  out.set = std::move(*set);
  return out;
}

std::optional<ManagerCommand> YarnCommand(const std::vector<std::string_view>& w,
                                          const RunSizeContext& ctx, std::string_view cwd) {
  // Yarn 1 only: `yarn [install] [--frozen-lockfile] ...`, `yarn cache clean`.
  ManagerCommand out;
  size_t i = 0;
  if (!w.empty() && w[0] == "cache") {
    if (w.size() == 2 && w[1] == "clean") {
      out.cache_removed = true;
      return out;
    }
    return std::nullopt;
  }
  if (!w.empty() && w[0] == "install") i = 1;
  for (; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (a == "--network-timeout" && i + 1 < w.size()) {
      ++i;
    } else if (a != "--frozen-lockfile" && a != "--pure-lockfile" && a != "--non-interactive" &&
               a != "--silent" && a != "--no-progress" && a != "--ignore-scripts" &&
               !a.starts_with("--network-timeout=")) {
      return std::nullopt;  // --production (the lock does not say what is dev), yarn add, berry
    }
  }
  if (!ctx.read_file) return std::nullopt;
  auto lock = ctx.read_file(Absolute("yarn.lock", cwd));
  if (!lock) return std::nullopt;
  auto set = YarnLockInstall(*lock);
  if (!set) return std::nullopt;
  out.set = std::move(*set);
  return out;
}

std::optional<RunSize> PackageRunSize(const ShellScript& script, const RunSizeContext& ctx) {
  if (!script.IsShell() || script.Commands().empty()) return std::nullopt;
  Walk walk(ctx);
  for (const ShellCommand& command : script.Commands()) {
    if (MayNotRun(command)) return std::nullopt;
    CommandView view = Unwrap(command);
    if (view.argv.empty()) return std::nullopt;
    std::string_view name = view.Name();
    if (name == "rm") {
      if (OutputFile(command) || !walk.Remove(view)) return std::nullopt;
      continue;
    }
    std::vector<std::string_view> words;
    for (const ShellWord& w : view.argv) {
      if (!w.Static()) return std::nullopt;
      words.push_back(w.value);
    }
    if (ctx.declared) {
      // As written: wrappers (sudo, env ...) included, when every word is static.
      std::vector<std::string_view> as_run;
      for (const ShellWord& w : command.argv) {
        if (w.Static()) as_run.push_back(w.value);
      }
      if (as_run.size() != command.argv.size()) as_run.clear();
      if (auto n = ctx.declared->Command(as_run)) {
        walk.Add(*n, "declared " + std::to_string(*n) + " bytes for `" + std::string(name) + "`",
                 1);
        continue;
      }
    }
    if (name == "cd" && !OutputFile(command)) {
      // Only a plain `cd DIR` in the main list is followed; anything else makes the paths moot.
      if (words.size() > 2 || command.In(ShellContext::kSubshell | ShellContext::kPipeline |
                                         ShellContext::kIf | ShellContext::kLoop)) {
        return std::nullopt;
      }
      walk.cwd = words.size() == 2 ? Absolute(words[1], walk.cwd) : "/root";
      continue;
    }
    if (Harmless(name) && !OutputFile(command)) continue;
    if (auto stated = StatedSize(command, view)) {
      walk.Add(stated->bytes, stated->how, 0);
      continue;
    }
    if (OutputFile(command) && name != "curl" && name != "wget") return std::nullopt;
    bool python_m = (name == "python" || name == "python3" || name.starts_with("python3.")) &&
                    words.size() > 2 && words[1] == "-m" && words[2] == "pip";
    if (name == "pip" || name == "pip3" || name.starts_with("pip3.") || python_m) {
      std::vector<std::string_view> rest(words.begin() + (python_m ? 3 : 1), words.end());
      if (!walk.Pip(rest)) return std::nullopt;
    } else if (name == "npm") {
      if (!walk.Npm(std::vector<std::string_view>(words.begin() + 1, words.end()))) {
        return std::nullopt;
      }
    } else if (name == "yarn") {
      if (!walk.Yarn(std::vector<std::string_view>(words.begin() + 1, words.end()))) {
        return std::nullopt;
      }
    } else if (name == "apt-get" && IsDebianBookworm(ctx.base)) {
      const ShellWord* sub = Subcommand(view, {"-o", "-c", "-t"});
      if (!sub) return std::nullopt;
      if (sub->value == "update") {
        walk.apt_updated = true;
        walk.apt_lists_removed = false;  // a removal before the update removed nothing
      } else if (sub->value == "install") {
        if (HasFlag(view, "--no-install-recommends")) walk.apt_recommends = false;
        std::vector<const ShellWord*> args = Args(view, {"-o", "-c", "-t"});
        for (size_t i = 1; i < args.size(); ++i) walk.apt.emplace_back(args[i]->value);
      } else if (sub->value != "clean") {
        return std::nullopt;
      }
    } else if (name == "apk" && IsAlpine(ctx.base)) {
      auto add = ParseApkAdd(view);
      if (!add || !ApkAdd(add->packages)) return std::nullopt;  // no Alpine data: unknown
      if (!add->no_cache) walk.apk_cache_left = true;
    } else if (name == "curl" || name == "wget") {
      if (!walk.Download(command, words)) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (walk.apt_updated && !walk.apt_lists_removed) return std::nullopt;
  if (walk.apk_cache_left && !walk.apk_cache_removed) return std::nullopt;
  if (!walk.apt.empty()) {
    auto set = AptInstall(walk.apt, walk.apt_recommends);
    if (!set) return std::nullopt;
    walk.packages.insert(walk.packages.end(), set->packages.begin(), set->packages.end());
    walk.Add(set->Bytes(),
             "about " + Mb(set->Bytes()) + " for " + std::to_string(set->packages.size()) +
                 " Debian 12 packages" + (walk.apt_recommends ? " (recommends included)" : ""),
             2);
  }
  if (walk.pip_used && walk.pip.empty()) {
    walk.Add(0, "pip: empty requirements", 0);
  } else if (walk.pip_used) {
    auto set = PipInstall(walk.pip);
    if (!set) return std::nullopt;
    std::vector<std::string> roots;
    std::string named;
    for (const std::string& r : walk.pip) {
      std::string debian = PipDebianPackage(r.substr(0, r.find_first_of("=<>!~ ")));
      if (std::find(roots.begin(), roots.end(), debian) != roots.end()) continue;
      roots.push_back(debian);
      named += (named.empty() ? "" : ", ") + debian;
      for (const PackageBytes& p : set->packages) {
        if (p.name == debian) named += " " + p.version;
      }
    }
    walk.packages.insert(walk.packages.end(), set->packages.begin(), set->packages.end());
    walk.Add(set->Bytes(),
             "pip: estimate from Debian's " + named + " (" + std::to_string(set->packages.size()) +
                 " packages, about " + Mb(set->Bytes()) + ")",
             2);
    if (!walk.pip_cached.empty()) {
      uint64_t cache = PipInstall(walk.pip_cached)->Downloads();
      walk.Add(cache, "pip cache about " + Mb(cache) + " (the .debs' sizes for the wheels)", 2);
    }
  }
  if (walk.npm_used) {
    if (walk.npm_cli_used && !walk.npm_cache_removed && !UnderAny("/root/.npm", ctx.cache_mounts)) {
      return std::nullopt;  // npm's cache in /root/.npm: no figure for it
    }
    if (walk.yarn_used && !walk.yarn_cache_removed &&
        !UnderAny("/usr/local/share/.cache/yarn", ctx.cache_mounts)) {
      return std::nullopt;  // nor yarn's
    }
    PackageSet set;
    for (const auto& [key, p] : walk.npm) set.packages.push_back(p);
    walk.packages.insert(walk.packages.end(), set.packages.begin(), set.packages.end());
    walk.Add(set.Bytes(),
             "npm: " + std::to_string(set.packages.size()) +
                 " packages from the catalogue, about " + Mb(set.Bytes()),
             2);
  }
  for (const auto& [file, n] : walk.downloads) {
    walk.Add(n,
             n ? "declared " + std::to_string(n) + " bytes downloaded to " + file
               : "download to " + file + " removed",
             1);
  }
  if (walk.how.empty()) return std::nullopt;  // nothing sized: KnownRunSize's business
  RunSize out;
  out.bytes = walk.bytes;
  out.packages = std::move(walk.packages);
  for (const std::string& h : walk.how) out.how += (out.how.empty() ? "" : ", ") + h;
  out.source = walk.rank == 2 ? "catalogue" : walk.rank == 1 ? "declared" : "command";
  return out;
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

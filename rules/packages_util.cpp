#include "rules/packages_util.hpp"

#include <algorithm>

namespace dockit::lint::packages {
namespace {

bool IsFlagWord(std::string_view v) { return v.size() > 1 && v[0] == '-'; }

bool Listed(std::initializer_list<std::string_view> list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string_view TrimDirSuffix(std::string_view path) {
  if (path.ends_with("/*")) path.remove_suffix(2);
  while (path.size() > 1 && path.ends_with('/')) path.remove_suffix(1);
  return path;
}

// `dir` is `path` or lies below it.
bool Covers(std::string_view path, std::string_view dir) {
  path = TrimDirSuffix(path);
  dir = TrimDirSuffix(dir);
  if (path.empty() || path == "/") return false;
  return dir == path || (dir.starts_with(path) && dir[path.size()] == '/');
}

}  // namespace

void ForEachRunSite(const RuleContext& ctx, const std::function<void(const RunSite&)>& fn) {
  ctx.ForEachRun([&](const Stage& stage, const TypedInstruction& ins, const ShellScript& script) {
    fn(RunSite{&stage, ins.syntax, &script});
  });
  for (const Instruction& ins : ctx.Tree().instructions) {
    if (ins.kind != InstructionKind::kOnbuild || !ins.onbuild) continue;
    if (ins.onbuild->kind != InstructionKind::kRun) continue;
    fn(RunSite{nullptr, ins.onbuild.get(), &ctx.Shell(ins)});
  }
}

std::vector<ManagerCall> FindCalls(const ShellScript& script, std::string_view manager,
                                   std::initializer_list<std::string_view> subcommands,
                                   std::initializer_list<std::string_view> flags_with_value) {
  std::vector<ManagerCall> out;
  for (const CommandView& view : FindCommands(script, manager)) {
    // A function body is only a definition; it may never run here.
    if (view.command->In(ShellContext::kFunction)) continue;
    const ShellWord* sub = Subcommand(view, flags_with_value);
    if (sub == nullptr || !Listed(subcommands, sub->value)) continue;
    out.push_back(ManagerCall{view, sub});
  }
  return out;
}

std::vector<const ShellWord*> Operands(const ManagerCall& call,
                                       std::initializer_list<std::string_view> flags_with_value) {
  std::vector<const ShellWord*> out;
  bool only_args = false;
  bool past_subcommand = false;
  for (size_t i = 1; i < call.view.argv.size(); ++i) {
    const ShellWord& w = call.view.argv[i];
    if (&w == call.subcommand) {
      past_subcommand = true;
      continue;
    }
    if (!only_args) {
      if (w.value == "--") {
        only_args = true;
        continue;
      }
      if (IsFlagWord(w.value)) {
        if (Listed(flags_with_value, w.value)) ++i;  // its value is the next word
        continue;
      }
    }
    if (past_subcommand) out.push_back(&w);
  }
  return out;
}

SourceRange CallRange(const ManagerCall& call) {
  SourceRange range = call.view.argv.front().range;
  if (call.subcommand) range.end = call.subcommand->range.end;
  return range;
}

std::optional<Fix> InsertAfter(const SourceFile& file, const ShellWord& word, std::string_view text,
                               std::string description) {
  const std::string& source = file.Text();
  uint32_t begin = word.range.begin.offset;
  uint32_t end = word.range.end.offset;
  if (end < begin || end > source.size()) return std::nullopt;
  if (std::string_view(source).substr(begin, end - begin) != word.value) return std::nullopt;
  return Fix{std::move(description), {{end, end, std::string(text)}}};
}

std::vector<std::string_view> CacheMountTargets(const Instruction& run) {
  std::vector<std::string_view> out;
  for (const Flag& flag : run.flags) {
    if (flag.Name() != "mount") continue;
    std::optional<std::string_view> value = flag.Value();
    if (!value) continue;
    std::string_view type = "bind";
    std::string_view target;
    // BuildKit's --mount is a comma-separated list of key=value fields.
    std::string_view rest = *value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view field = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      size_t eq = field.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = field.substr(0, eq);
      std::string_view val = field.substr(eq + 1);
      if (key == "type") type = val;
      if (key == "target" || key == "dst" || key == "destination") target = val;
    }
    if (type == "cache" || type == "tmpfs") out.push_back(target);
  }
  return out;
}

bool HasCacheMountOver(const Instruction& run, std::string_view dir) {
  for (std::string_view target : CacheMountTargets(run)) {
    if (Covers(target, dir)) return true;
  }
  return false;
}

namespace {

// pip, pip3, pip3.12.
bool IsPipName(std::string_view name) {
  if (!name.starts_with("pip")) return false;
  for (char c : name.substr(3)) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// python, python3, python3.12.
bool IsPythonName(std::string_view name) {
  if (!name.starts_with("python")) return false;
  for (char c : name.substr(6)) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

SourceRange PipCall::Range() const {
  SourceRange range = CallRange(call);
  if (runner) range.begin = runner->range.begin;
  return range;
}

std::vector<PipCall> FindPipInstalls(const ShellScript& script) {
  std::vector<PipCall> out;
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty() || cmd.In(ShellContext::kFunction)) continue;
    CommandView view = Unwrap(cmd);
    PipCall pip;
    if (IsPythonName(view.Name())) {
      // python -m pip install: only the simple spelling, options before -m are rare.
      if (view.argv.size() < 3 || view.argv[1].value != "-m" || view.argv[2].value != "pip")
        continue;
      pip.runner = &view.argv[0];
      view.argv = view.argv.subspan(2);
    } else if (!IsPipName(view.Name())) {
      continue;
    }
    const ShellWord* sub = Subcommand(view, DOCKIT_PIP_FLAGS_WITH_VALUE);
    if (sub == nullptr || sub->value != "install") continue;
    pip.call = ManagerCall{view, sub};
    out.push_back(pip);
  }
  return out;
}

bool RemovesDir(const ShellScript& script, uint32_t after, std::string_view dir) {
  for (const CommandView& view : FindCommands(script, "rm")) {
    if (view.command->begin < after) continue;
    for (const ShellWord* w : Args(view)) {
      if (!w->HasExpansion() && Covers(w->value, dir)) return true;
    }
  }
  return false;
}

std::optional<Fix> AppendToChain(const Instruction& run, const ShellScript& script,
                                 std::string_view text, std::string description) {
  if (run.json_form || !run.heredocs.empty() || !script.IsShell()) return std::nullopt;
  auto commands = script.Commands();
  if (commands.empty()) return std::nullopt;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].context != 0) return std::nullopt;
    ShellOperator want = i + 1 == commands.size() ? ShellOperator::kEnd : ShellOperator::kAnd;
    if (commands[i].next != want) return std::nullopt;
  }
  uint32_t at = commands.back().range.end.offset;
  return Fix{std::move(description), {{at, at, std::string(text)}}};
}

bool RunsAfter(const ShellScript& script, uint32_t after, std::string_view manager,
               std::initializer_list<std::string_view> subcommands) {
  for (const ManagerCall& call : FindCalls(script, manager, subcommands)) {
    if (call.view.command->begin > after) return true;
  }
  return false;
}

void ForEachUncleanInstall(const RuleContext& ctx, const CleanSpec& spec,
                           const std::function<void(const RunSite&, const ManagerCall&)>& report) {
  ForEachRunSite(ctx, [&](const RunSite& site) {
    std::optional<ManagerCall> last;
    for (std::string_view manager : spec.managers) {
      for (const ManagerCall& call : FindCalls(*site.script, manager, spec.installing)) {
        if (!last || call.view.command->begin > last->view.command->begin) last = call;
      }
    }
    if (!last) return;
    uint32_t after = last->view.command->begin;
    for (std::string_view dir : spec.cache_dirs) {
      if (HasCacheMountOver(*site.run, dir) || RemovesDir(*site.script, after, dir)) return;
    }
    // The clean must be the installing tool's own: microdnf keeps its cache apart from dnf's
    // (dnf5 is the same tool as dnf).
    auto tool = [](std::string_view name) -> std::string_view {
      return name == "dnf5" ? "dnf" : name;
    };
    for (std::string_view manager : spec.managers) {
      if (tool(manager) != tool(last->view.Name())) continue;
      for (const ManagerCall& call : FindCalls(*site.script, manager, spec.clean)) {
        if (call.view.command->begin <= after) continue;
        if (!spec.clean_needs_all) return;
        for (const ShellWord* w : Operands(call, {})) {
          if (w->value == "all") return;
        }
      }
    }
    report(site, *last);
  });
}

bool RpmPinned(const ShellWord& word) {
  std::string_view v = word.value;
  if (!word.Static() || v.starts_with('@')) return true;  // groups cannot be pinned
  if (v.ends_with(".rpm") || v.find_first_of("/:") != std::string_view::npos) return true;
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] == '-' && v[i + 1] >= '0' && v[i + 1] <= '9') return true;
  }
  return false;
}

void ReportUnpinnedRpmPackages(RuleContext& ctx, std::initializer_list<std::string_view> managers) {
  // Options of yum and dnf that take a value, so that it is not read as a package.
#define DOCKIT_RPM_VALUED_OPTIONS                                                               \
  {"-c",           "--config",      "-d",      "-e", "--installroot", "--releasever", "--repo", \
   "--enablerepo", "--disablerepo", "--setopt"}
  ForEachRunSite(ctx, [&](const RunSite& site) {
    for (std::string_view manager : managers) {
      for (const ManagerCall& call :
           FindCalls(*site.script, manager, {"install", "localinstall", "reinstall", "downgrade"},
                     DOCKIT_RPM_VALUED_OPTIONS)) {
        for (const ShellWord* pkg : Operands(call, DOCKIT_RPM_VALUED_OPTIONS)) {
          if (RpmPinned(*pkg)) continue;
          ctx.Report(pkg->range, "pin the version of " + std::string(pkg->value) + ": " +
                                     std::string(manager) + " install " + std::string(pkg->value) +
                                     "-<version>");
        }
      }
      // `dnf module install nodejs`: a module is pinned by its stream (nodejs:18).
      for (const ManagerCall& call :
           FindCalls(*site.script, manager, {"module"}, DOCKIT_RPM_VALUED_OPTIONS)) {
        std::vector<const ShellWord*> words = Operands(call, DOCKIT_RPM_VALUED_OPTIONS);
        if (words.empty() || words.front()->value != "install") continue;
        for (size_t i = 1; i < words.size(); ++i) {
          const ShellWord& module = *words[i];
          if (!module.Static() || module.value.find(':') != std::string_view::npos) continue;
          ctx.Report(module.range, "pin the stream of module " + std::string(module.value) + ": " +
                                       std::string(manager) + " module install " +
                                       std::string(module.value) + ":<stream>");
        }
      }
    }
  });
#undef DOCKIT_RPM_VALUED_OPTIONS
}

}  // namespace dockit::lint::packages

// A file written in one RUN and removed by rm in a later RUN: each RUN is a layer, so the bytes
// stay in the earlier layer and the image is as big as before; only a marker hiding the file is
// added. Removing it in the same RUN that created it keeps it out of the image.
#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "parser/dockerignore.hpp"
#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

struct Created {
  std::string path;     // absolute, cleaned
  uint32_t line = 0;    // of the instruction that created it
  std::string_view by;  // "RUN", "COPY", "ADD"
};

// A path the shell passes literally; nullopt for expansions, "-" (stdout) and devices.
std::optional<std::string_view> LiteralPath(std::string_view value) {
  if (value.empty() || value == "-" || value.find_first_of("$`") != std::string_view::npos ||
      value.starts_with("/dev/") || value.starts_with("/proc/"))
    return std::nullopt;
  return value;
}

// The paths a command writes whose bytes are worth removing later.
std::vector<std::string> PathsWritten(const CommandView& view, const std::string& cwd) {
  std::vector<std::string> raw;
  std::string_view name = view.Name();
  auto add = [&](std::optional<std::string_view> p) {
    if (p) raw.emplace_back(*p);
  };
  if (name == "curl") {
    if (auto v = ClusterFlagValue(view, 'o', {"-o", "--output"})) add(LiteralPath(*v));
  } else if (name == "wget") {
    if (auto v = ClusterFlagValue(view, 'O', {"-O", "--output-document"})) add(LiteralPath(*v));
  } else if (name == "cp" || name == "mv") {
    if (auto t = FlagValue(view, {"-t", "--target-directory"})) {
      add(LiteralPath(*t));
    } else {
      std::vector<const ShellWord*> args = Args(view, {"-S", "--suffix"});
      if (args.size() >= 2) {
        std::string_view dest = args.back()->value;
        if (!args.back()->HasExpansion() && LiteralPath(dest)) {
          // `cp a b /dir/`: each source lands inside the directory.
          if (dest.ends_with('/')) {
            for (size_t i = 0; i + 1 < args.size(); ++i) {
              if (args[i]->Static())
                raw.push_back(std::string(dest) + std::string(Basename(args[i]->value)));
            }
          } else {
            raw.emplace_back(dest);
          }
        }
      }
    }
  } else if (name == "tar") {
    // `tar -cf out.tar ...` writes the archive; `tar -x -C dir` fills dir.
    bool create = HasFlag(view, {"-c", "--create"});
    const ShellWord* first = Subcommand(view, {"-f", "--file", "-C", "--directory"});
    if (!create && first && !first->value.starts_with('-') &&
        first->value.find('c') != std::string_view::npos &&
        first->value.find('x') == std::string_view::npos && first == &view.argv[1])
      create = true;  // old-style `tar czf out.tgz dir`
    if (create) {
      if (auto f = FlagValue(view, {"-f", "--file"})) add(LiteralPath(*f));
    } else if (HasFlag(view, {"-x", "--extract", "--get"})) {
      if (auto d = FlagValue(view, {"-C", "--directory"})) add(LiteralPath(*d));
    }
  } else if (name == "unzip") {
    if (auto d = FlagValue(view, {"-d"})) add(LiteralPath(*d));
  } else if (name == "git") {
    std::vector<const ShellWord*> args =
        Args(view, {"-C", "-c", "-b", "--branch", "--depth", "-o", "--origin", "--config",
                    "--reference", "--separate-git-dir", "--filter", "-j", "--jobs"});
    if (args.size() >= 2 && args[0]->value == "clone") {
      if (args.size() >= 3) {
        if (!args[2]->HasExpansion()) add(LiteralPath(args[2]->value));
      } else if (!args[1]->HasExpansion()) {
        std::string_view repo = Basename(args[1]->value);
        if (repo.ends_with(".git")) repo.remove_suffix(4);
        if (!repo.empty()) raw.emplace_back(repo);
      }
    }
  }
  std::vector<std::string> out;
  for (const std::string& p : raw) {
    std::string abs = AbsolutePath(p, cwd);
    // Writing to / or a top-level system directory is not "a file" that can be dropped.
    if (abs.empty() || std::count(abs.begin(), abs.end(), '/') < 2) continue;
    out.push_back(abs);
  }
  return out;
}

// `> file` and friends.
void AddRedirectTargets(const ShellCommand& cmd, const std::string& cwd,
                        std::vector<std::string>& out) {
  for (const ShellRedirect& r : cmd.redirects) {
    if (r.op != ">" && r.op != ">>" && r.op != "&>" && r.op != "&>>" && r.op != ">|") continue;
    if (r.target.HasExpansion()) continue;
    auto p = LiteralPath(r.target.value);
    if (!p) continue;
    std::string abs = AbsolutePath(*p, cwd);
    if (!abs.empty() && std::count(abs.begin(), abs.end(), '/') >= 2) out.push_back(abs);
  }
}

// rm's operand (maybe a glob) removes `path`: it names the path or a directory above it.
bool Removes(const std::string& pattern, const std::string& path) {
  if (gopath::Match(pattern, path).value_or(false)) return true;
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    if (gopath::Match(pattern, path.substr(0, slash)).value_or(false)) return true;
  }
  return false;
}

bool UnderMount(const std::string& path, const RunCmd& run) {
  for (const Mount& m : run.mounts) {
    if (m.target.empty() || m.type == "secret" || m.type == "ssh") continue;
    std::string target = gopath::Clean(m.target);
    if (path == target || path.starts_with(target == "/" ? target : target + "/")) return true;
  }
  return false;
}

std::string WorkdirAfter(const TypedInstruction& ins, const std::string& cwd) {
  const auto* w = std::get_if<SingleValueCmd>(&ins.args);
  if (!w || w->value.value.find('$') != std::string::npos) return "";
  return AbsolutePath(w->value.value, cwd.empty() ? "/" : cwd);
}

void Check(RuleContext& ctx) {
  std::map<size_t, std::vector<Created>> created_by_stage;
  for (const Stage& stage : ctx.Meaning().stages) {
    std::vector<Created> created;
    if (stage.base_stage) created = created_by_stage[*stage.base_stage];
    std::string workdir;  // "" while unknown (the base image's WORKDIR)
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kWorkdir) workdir = WorkdirAfter(ins, workdir);
      if (const auto* copy = std::get_if<CopyCmd>(&ins.args)) {
        // COPY and ADD make layers too: files they bring and a later RUN removes stay.
        if (copy->dest.value.find('$') != std::string::npos) continue;
        std::string dest = AbsolutePath(copy->dest.value, workdir);
        if (!dest.empty() && std::count(dest.begin(), dest.end(), '/') >= 2)
          created.push_back(
              Created{dest, ins.syntax->keyword_range.begin.line, copy->is_add ? "ADD" : "COPY"});
        continue;
      }
      const auto* run = std::get_if<RunCmd>(&ins.args);
      if (!run) continue;
      const ShellScript& shell = ctx.Shell(*ins.syntax);
      std::string cwd = workdir;
      std::vector<Created> here;  // created by this RUN, and still there
      bool reported = false;
      for (const ShellCommand& cmd : shell.Commands()) {
        if (cmd.In(ShellContext::kFunction)) continue;
        CommandView view;
        if (!cmd.argv.empty()) view = Unwrap(cmd);
        std::string_view name = view.argv.empty() ? std::string_view() : view.Name();
        if (name == "cd") {
          std::vector<const ShellWord*> args = Args(view);
          bool scoped = cmd.In(ShellContext::kSubshell | ShellContext::kCommandSubstitution |
                               ShellContext::kProcessSubstitution);
          if (!scoped && args.size() == 1 && args[0]->Static() && args[0]->value != "-") {
            cwd = AbsolutePath(args[0]->value, cwd);
          } else {
            cwd.clear();
          }
          continue;
        }
        if (name == "rm") {
          for (const ShellWord* arg : Args(view)) {
            if (arg->HasExpansion() || arg->Has(ShellWordFlags::kTilde)) continue;
            std::string pattern = AbsolutePath(arg->value, cwd);
            if (pattern.empty() || UnderMount(pattern, *run)) continue;
            // Removed in the RUN that made it: never in a layer.
            std::erase_if(here, [&](const Created& c) { return Removes(pattern, c.path); });
            if (reported) continue;
            for (auto it = created.begin(); it != created.end(); ++it) {
              const Created& c = *it;
              if (!Removes(pattern, c.path)) continue;
              std::string remedy =
                  c.by == "RUN"
                      ? "remove it in the RUN that creates it"
                      : "use it through RUN --mount=type=bind instead of " + std::string(c.by);
              ctx.Report(view.argv[0].range,
                         "\"" + c.path + "\" was written by the " + std::string(c.by) +
                             " on line " + std::to_string(c.line) +
                             ", so removing it here leaves its bytes in that layer; " + remedy);
              // Hidden from now on: a second rm of it is not worth a second finding.
              created.erase(it);
              reported = true;
              break;
            }
          }
          continue;
        }
        std::vector<std::string> paths;
        if (!view.argv.empty()) paths = PathsWritten(view, cwd);
        AddRedirectTargets(cmd, cwd, paths);
        for (std::string& p : paths) {
          // Files on a cache or tmpfs mount never reach the layer.
          if (UnderMount(p, *run)) continue;
          here.push_back(Created{std::move(p), ins.syntax->keyword_range.begin.line, "RUN"});
        }
      }
      created.insert(created.end(), here.begin(), here.end());
    }
    created_by_stage[stage.index] = std::move(created);
  }
}

}  // namespace

const Rule kFileDeletedLater{
    {
        .slug = "file-deleted-later",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "File removed in a later RUN than the one that created it",
        .rationale =
            "Each RUN becomes a layer, and layers only add. A download, archive or build tree "
            "written in one RUN (or brought by COPY) and deleted with rm in a later RUN is still "
            "in "
            "the image: the "
            "later layer only hides it. Download, use and remove a temporary file in the same "
            "RUN (or put it on a `--mount=type=tmpfs` or cache mount) to keep it out of the "
            "image.",
        .bad = {{"FROM debian:12\nRUN curl -fsSL -o /tmp/go.tgz https://go.dev/dl/go.tgz\n"
                 "RUN tar -C /usr/local -xzf /tmp/go.tgz\nRUN rm /tmp/go.tgz\n",
                 {"4:5"}},
                {"FROM debian:12\nWORKDIR /build\nRUN git clone https://github.com/x/tool.git\n"
                 "RUN make -C tool install\nRUN cd / && rm -rf /build/tool\n",
                 {"5:13"}},
                {"FROM debian:12\nCOPY scripts/*.sh /tmp/scripts/\nRUN /tmp/scripts/setup.sh\n"
                 "RUN rm -rf /tmp/scripts\n",
                 {"4:5"}},
                {"FROM debian:12\nRUN wget -O /opt/app.zip https://example.com/app.zip\n"
                 "RUN unzip /opt/app.zip -d /opt/app && rm -f /opt/*.zip\n",
                 {"3:39"}}},
        .good = {{"FROM debian:12\nRUN curl -fsSL -o /tmp/go.tgz https://go.dev/dl/go.tgz && "
                  "tar -C /usr/local -xzf /tmp/go.tgz && rm /tmp/go.tgz\n",
                  {}},
                 {"FROM debian:12\nRUN --mount=type=tmpfs,target=/tmp curl -o /tmp/x.tgz "
                  "https://example.com/x.tgz\nRUN rm -f /tmp/x.tgz\n",
                  {}},
                 {"FROM debian:12\nRUN echo hi > /etc/motd\nRUN rm -rf /var/lib/apt/lists/*\n", {}},
                 {"FROM debian:12\nRUN curl -o x.tgz https://example.com/x.tgz\nRUN rm x.tgz\n",
                  {}},
                 {"FROM debian:12 AS build\nRUN curl -o /tmp/x https://example.com/x\n"
                  "FROM debian:12\nRUN rm -f /tmp/x\n",
                  {}}},
        .differs_from_hadolint =
            "hadolint has no such rule. Files written with a relative path are followed only "
            "when the WORKDIR is known; touch and mkdir are ignored (they hold no bytes).",
    },
    Check};

}  // namespace dockit::lint

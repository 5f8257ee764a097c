// `cd` in RUN: the directory change is lost at the end of the RUN, so later instructions and
// readers must track it by hand; WORKDIR states it once for everything after it.
#include <fnmatch.h>

#include <string>
#include <vector>

#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

// A directory as written, for comparing words: quotes removed, `${x}` spelled `$x`, no trailing
// slash. "" for a word that cannot name one directory.
std::string DirKey(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    size_t close = v.find('}', i);
    if (v.substr(i).starts_with("${") && close != std::string_view::npos &&
        v.find_first_of(":-+=?#%/[", i + 2) > close) {
      out += '$';
      out += v.substr(i + 2, close - i - 2);
      i = close;
    } else {
      out += v[i];
    }
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// A word holding a new temporary directory: "$(mktemp -d)".
bool IsMktemp(const ShellWord& word) {
  return word.Has(ShellWordFlags::kCommandSubstitution) &&
         word.raw.find("mktemp") != std::string_view::npos;
}

// Directories every image has (or should have): `mkdir -p /usr/src` or `tar -C /usr/local`
// does not make them a temporary build directory.
bool SystemDir(std::string_view dir) {
  for (std::string_view d :
       {"/", "/tmp", "/var/tmp", "/opt", "/srv", "/usr", "/usr/src", "/usr/local", "/usr/local/src",
        "/usr/local/bin", "/usr/local/lib", "/usr/share", "/var", "/var/lib", "/etc", "/home",
        "/root", "$HOME", "~"}) {
    if (dir == d) return true;
  }
  return false;
}

// The directories a command creates: mkdir's arguments, git clone's destination (or the
// repository's name), tar's -C when it extracts.
std::vector<std::string> Created(const CommandView& view) {
  std::vector<std::string> out;
  std::string_view name = view.Name();
  if (name == "mkdir") {
    for (const ShellWord* arg : Args(view, {"-m", "--mode", "-Z", "--context"}))
      out.push_back(DirKey(arg->value));
  } else if (name == "git") {
    std::vector<const ShellWord*> args =
        Args(view, {"-C", "-c", "-b", "--branch", "--depth", "-o", "--origin", "--reference",
                    "--separate-git-dir", "-j", "--jobs", "--filter", "--template", "-u",
                    "--upload-pack", "--shallow-since", "--shallow-exclude", "--config"});
    if (args.size() >= 2 && args[0]->value == "clone") {
      if (args.size() >= 3) {
        out.push_back(DirKey(args[2]->value));
      } else {
        std::string_view repo = args[1]->value;
        while (repo.ends_with('/')) repo.remove_suffix(1);
        repo = Basename(repo);
        if (repo.ends_with(".git")) repo.remove_suffix(4);
        out.emplace_back(repo);
      }
    }
  } else if (name == "docker-php-source") {
    // The php images' helper: `extract` unpacks the sources into /usr/src/php, `delete`
    // removes them.
    if (const ShellWord* sub = Subcommand(view); sub && sub->value == "extract")
      out.emplace_back("/usr/src/php");
  } else if (name == "tar") {
    const ShellWord* mode = view.argv.size() > 1 ? &view.argv[1] : nullptr;
    bool extract =
        HasFlag(view, {"-x", "--extract", "--get"}) ||
        (mode && !mode->value.starts_with('-') && mode->value.find('x') != std::string_view::npos);
    if (extract) {
      if (auto dir = ClusterFlagValue(view, 'C', {"-C", "--directory"}))
        out.push_back(DirKey(*dir));
    }
  }
  return out;
}

// rm -r removes these directories and everything under them: paths, or glob patterns for the
// words with a glob (/tmp/icu*).
struct Removed {
  std::string path;
  bool glob = false;
};
std::vector<Removed> RemovedTrees(const CommandView& view) {
  std::vector<Removed> out;
  if (view.Name() == "docker-php-source") {
    if (const ShellWord* sub = Subcommand(view); sub && sub->value == "delete")
      out.push_back({"/usr/src/php"});
    return out;
  }
  if (view.Name() != "rm" || !HasFlag(view, {"-r", "-R", "--recursive"})) return out;
  for (const ShellWord* arg : Args(view))
    out.push_back({DirKey(arg->value), arg->Has(ShellWordFlags::kGlob)});
  return out;
}

// `key` is `removed` or a path under it.
bool RemovedWith(const std::string& key, const Removed& removed) {
  if (removed.path.empty()) return false;
  if (!removed.glob) {
    return key == removed.path ||
           (key.starts_with(removed.path) && key[removed.path.size()] == '/');
  }
  // A pattern matches the path or one of its ancestors.
  for (size_t end = key.find('/', 1);; end = key.find('/', end + 1)) {
    std::string dir = key.substr(0, end);
    if (fnmatch(removed.path.c_str(), dir.c_str(), FNM_PATHNAME) == 0) return true;
    if (end == std::string::npos) return false;
  }
}

// The target of `cd` is a directory the same RUN makes for itself (created before the cd or
// removed after it): a build directory that must not stay in the image, which WORKDIR would
// leave behind.
bool TemporaryDir(const ShellScript& shell, const std::vector<CommandView>& commands,
                  const ShellCommand& cd, const ShellWord& target) {
  if (IsMktemp(target)) return true;
  std::string key = DirKey(target.value);
  if (key.empty()) return false;
  // A variable assigned from $(mktemp ...) anywhere in the RUN.
  if (key.starts_with('$')) {
    for (const ShellAssignment& a : shell.Assignments()) {
      if (a.has_value && a.name == std::string_view(key).substr(1) && IsMktemp(a.value))
        return true;
    }
  }
  for (const CommandView& view : commands) {
    // Commands() is in run order, nested scripts after the command that runs them.
    if (view.command < &cd) {
      for (const std::string& dir : Created(view)) {
        if (dir.empty() || SystemDir(dir)) continue;
        if (dir == key || (key.starts_with(dir) && key[dir.size()] == '/')) return true;
      }
    } else if (view.command > &cd) {
      for (const Removed& removed : RemovedTrees(view)) {
        if (RemovedWith(key, removed)) return true;
      }
    }
  }
  return false;
}

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage&, const TypedInstruction&, const ShellScript& shell) {
    std::vector<CommandView> commands = RunCommands(shell);
    bool in_temporary = false;
    for (const ShellCommand& cmd : shell.Commands()) {
      if (cmd.argv.empty() || cmd.Name() != "cd") continue;
      // `(cd dir && make)` and `$(cd dir; pwd)` scope the change on purpose, a function body is
      // not run where it is written, and `su app -c 'cd ~ && ...'` runs as another user in a
      // shell of its own, which WORKDIR cannot stand for.
      if (cmd.In(ShellContext::kSubshell | ShellContext::kCommandSubstitution |
                 ShellContext::kProcessSubstitution | ShellContext::kFunction |
                 ShellContext::kNestedShell))
        continue;
      CommandView view = Unwrap(cmd);
      std::vector<const ShellWord*> args = Args(view);
      if (!args.empty() && TemporaryDir(shell, commands, cmd, *args.front())) {
        in_temporary = true;
        continue;
      }
      // Going deeper into a temporary directory, or leaving it (to remove it), is part of
      // using it.
      std::string_view to = args.empty() ? std::string_view("~") : args.front()->value;
      bool relative = !to.empty() && to[0] != '/' && to[0] != '$' && to[0] != '~';
      if (in_temporary &&
          (relative || to == "/" || to == "-" || to == "~" || to == "$HOME" || to == "$OLDPWD"))
        continue;
      ctx.Report(cmd.argv[0].range,
                 "use WORKDIR to switch to a directory instead of cd, or scope the cd in a "
                 "subshell: ( cd dir && make )");
      return;  // one finding per RUN: the first cd says it all
    }
  });
}

}  // namespace

const Rule kCdInsteadOfWorkdir{
    {
        .slug = "cd-instead-of-workdir",
        .aliases = {"DL3003"},
        .severity = Severity::kWarning,
        .title = "Use WORKDIR to switch to a directory",
        .rationale =
            "A `cd` in RUN only lasts until the end of that RUN, so the next RUN starts back in "
            "the WORKDIR and readers must track where each command runs. WORKDIR sets the "
            "directory for every later RUN, CMD, COPY and ENTRYPOINT, and creates it if needed. "
            "A directory the RUN makes for itself or removes at its end (a `mktemp -d` directory, "
            "a "
            "source tree unpacked, built and deleted) is different: WORKDIR would leave it in "
            "the image, so a cd into it is fine.",
        .bad = {{"FROM alpine\nRUN cd /app && make\n", {"2:5"}},
                {"FROM alpine\nRUN git clone https://e.com/src.git /src && \\\n    cd /opt && \\\n"
                 "    make -C /src install\n",
                 {"3:5"}},
                {"FROM alpine\nRUN mkdir -p /usr/src/app && cd /usr/src/app && make && cd /app\n",
                 {"2:57"}},
                {"FROM debian:12\nRUN mkdir -p /usr/src && cd /usr/src && curl -fsSLO "
                 "https://e.com/x.tgz\n",
                 {"2:26"}}},
        .good = {{"FROM alpine\nWORKDIR /app\nRUN make\n", {}},
                 {"FROM alpine\nRUN (cd /src && make) && make -C /docs\n", {}},
                 {"FROM alpine\nRUN echo \"$(cd /opt && pwd)\"\n", {}},
                 {"FROM debian:12\nRUN su app -c \"cd ~ && ./install.sh\"\n", {}},
                 {"FROM debian:12\nRUN tempDir=\"$(mktemp -d)\"; cd \"$tempDir\"; make; cd /; "
                  "rm -rf \"$tempDir\"\n",
                  {}},
                 {"FROM debian:12\nRUN curl -fsSLo x.tgz https://e.com/x.tgz; \\\n"
                  "    mkdir -p /usr/src/x; tar -xzf x.tgz -C /usr/src/x; \\\n"
                  "    cd /usr/src/x; make install\n",
                  {}},
                 {"FROM debian:12\nRUN git clone https://e.com/tool.git && cd tool && cd src && "
                  "make\n",
                  {}},
                 {"FROM debian:12\nRUN cd /usr/src/python && make install && rm -rf "
                  "/usr/src/python\n",
                  {}},
                 {"FROM debian:12\nRUN tar -xzf /tmp/icu.tgz -C /tmp && cd /tmp/icu/source && "
                  "make install && cd / && rm -rf /tmp/icu*\n",
                  {}},
                 {"FROM php:8.3\nRUN docker-php-source extract && cd /usr/src/php/ext/gd && "
                  "make && docker-php-source delete\n",
                  {}}},
        .differs_from_hadolint =
            "hadolint reports every cd. dlint accepts a cd inside a subshell `( cd dir && ... )` "
            "or a command substitution (it does not leak), inside a nested shell such as "
            "`su user -c 'cd ~ && ...'` or `sh -c '...'` (another shell, often another user, "
            "which WORKDIR cannot replace), and into a directory the same RUN creates before "
            "the cd (mkdir, git clone, tar -x -C, a variable set from `$(mktemp -d)`, the php "
            "images' `docker-php-source extract`) or removes after it (rm -r, also with a glob "
            "such as `/tmp/src*`, or `docker-php-source delete`): WORKDIR would leave that "
            "temporary directory in the image. A cd into a path under such a directory, a relative "
            "cd after it and a cd back out (`cd /`, `cd -`, `cd ~`) are accepted too. Standard "
            "directories such as /usr/src, /usr/local, /opt or /tmp do not count as created "
            "(`mkdir -p /usr/src` is not a temporary directory).",
    },
    Check};

}  // namespace dockit::lint

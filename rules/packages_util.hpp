// Shared pieces of the package-manager rules (apt-get, apk, pip, ...): finding a manager's
// subcommand through wrappers, the package words after it, cache mounts, and fixes that insert
// a flag after the subcommand.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace dockit::lint::packages {

// One use of a package manager: `apt-get -y install curl` seen through sudo, env, xargs, ...
struct ManagerCall {
  CommandView view;
  const ShellWord* subcommand = nullptr;  // "install"
};

// Every RUN whose commands are inspected: stage RUNs and ONBUILD RUN triggers (hadolint checks
// both). `stage` is null for triggers, which run in whatever image uses this one as a base.
struct RunSite {
  const Stage* stage = nullptr;
  const Instruction* run = nullptr;  // the RUN itself (the trigger for ONBUILD)
  const ShellScript* script = nullptr;
};
void ForEachRunSite(const RuleContext& ctx, const std::function<void(const RunSite&)>& fn);

// Calls of `manager` (a basename such as "apt-get") whose subcommand is one of `subcommands`.
std::vector<ManagerCall> FindCalls(const ShellScript& script, std::string_view manager,
                                   std::initializer_list<std::string_view> subcommands,
                                   std::initializer_list<std::string_view> flags_with_value = {});

// The operands after the subcommand (packages, usually), flags and their values skipped.
std::vector<const ShellWord*> Operands(const ManagerCall& call,
                                       std::initializer_list<std::string_view> flags_with_value);

// `apt-get install`: from the program word to the subcommand, the place findings point at.
SourceRange CallRange(const ManagerCall& call);

// A fix inserting `text` right after `word`, or nullopt when the file does not hold the word's
// value verbatim there (quotes, escapes, JSON): inserting next to such text could change it.
std::optional<Fix> InsertAfter(const SourceFile& file, const ShellWord& word, std::string_view text,
                               std::string description);

// `pip install`, `pip3.12 install`, `python3 -m pip install`, through wrappers; not pipx,
// pipenv or `uv pip`, which manage their own caches. For `python -m pip` the view's argv starts
// at the `pip` word and `runner` is the python word.
struct PipCall {
  ManagerCall call;
  const ShellWord* runner = nullptr;  // `python3` in `python3 -m pip install`
  SourceRange Range() const;          // `pip install` or `python3 -m pip install`
};
std::vector<PipCall> FindPipInstalls(const ShellScript& script);
// pip options whose value is the next word, for Subcommand and Operands.
#define DOCKIT_PIP_FLAGS_WITH_VALUE                                                               \
  {                                                                                               \
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",         \
        "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",        \
        "--platform", "--python-version", "--implementation", "--abi", "--src",                   \
        "--upgrade-strategy", "--progress-bar", "--trusted-host", "--proxy", "--timeout",         \
        "--retries", "--cert", "--client-cert", "--cache-dir", "--log", "--global-option",        \
        "--config-settings", "-C", "--no-binary", "--only-binary", "--exists-action", "--report", \
        "--python", "--keyring-provider", "--use-feature", "--use-deprecated"                     \
  }

// Targets of the RUN's cache and tmpfs mounts.
std::vector<std::string_view> CacheMountTargets(const Instruction& run);

// A RUN --mount of type cache or tmpfs whose target is `dir` or one of its parents, so what the
// command writes under `dir` never reaches the image.
bool HasCacheMountOver(const Instruction& run, std::string_view dir);

// Some command of the script after `after` (by position) removes `dir` or its contents: `rm`
// with an operand equal to dir, dir/ or dir/* (or a parent of dir).
bool RemovesDir(const ShellScript& script, uint32_t after, std::string_view dir);

// A fix appending `text` (" && yum clean all") to the RUN, offered only when the RUN is one plain
// `a && b && c` chain in shell form, where the end of the last command is the end of the script.
std::optional<Fix> AppendToChain(const Instruction& run, const ShellScript& script,
                                 std::string_view text, std::string description);

// Some command of the script after `after` is `manager` with the given subcommand (`yum clean`).
bool RunsAfter(const ShellScript& script, uint32_t after, std::string_view manager,
               std::initializer_list<std::string_view> subcommands);

// The "clean up after installing" shape of yum-clean, dnf-clean and zypper-clean: a RUN in which
// one of `managers` runs an installing subcommand must later run a clean command of the same
// manager, remove one of `cache_dirs`, or have a cache mount over one of them.
struct CleanSpec {
  std::initializer_list<std::string_view> managers;  // "dnf", "microdnf"
  std::initializer_list<std::string_view> installing;
  std::initializer_list<std::string_view> clean;  // subcommands that clean: "clean", "cc"
  bool clean_needs_all = false;                   // `yum clean all`, not `yum clean packages`
  std::initializer_list<std::string_view> cache_dirs;
};
// Calls `report` with the last installing call of each RUN that does not clean up.
void ForEachUncleanInstall(const RuleContext& ctx, const CleanSpec& spec,
                           const std::function<void(const RunSite&, const ManagerCall&)>& report);

// An rpm package word names one version: name-1.2.3 (a dash then a digit), an epoch or module
// stream (name:1.2), an .rpm file or URL. Words with an expansion or a glob are not judged.
bool RpmPinned(const ShellWord& word);

// DL3033 and DL3041: every package word of `<manager> install ...` that RpmPinned rejects, and
// every module of `<manager> module install ...` without a stream, for each of `managers`.
void ReportUnpinnedRpmPackages(RuleContext& ctx, std::initializer_list<std::string_view> managers);

}  // namespace dockit::lint::packages

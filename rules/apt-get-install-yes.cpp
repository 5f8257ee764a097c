// apt-get asks "Do you want to continue? [Y/n]" before changing packages; a build has no one to
// answer, stdin is empty, and apt-get aborts.
#include <algorithm>

#include "parser/text.hpp"
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// apt-get's quiet level: -q counts once per q (-qq is 2), -q=N and --quiet=N set it.
int QuietLevel(const CommandView& view) {
  int level = 0;
  for (size_t i = 1; i < view.argv.size(); ++i) {
    std::string_view v = view.argv[i].value;
    if (v == "--") break;
    if (v.starts_with("--quiet=") || v.starts_with("-q=")) {
      std::string_view n = v.substr(v.find('=') + 1);
      if (n.size() == 1 && n[0] >= '0' && n[0] <= '9') level = n[0] - '0';
    } else if (v == "--quiet") {
      ++level;
    } else if (v.size() > 1 && v[0] == '-' && v[1] != '-' &&
               v.find('=') == std::string_view::npos) {
      level += static_cast<int>(std::count(v.begin() + 1, v.end(), 'q'));
    }
  }
  return level;
}

// `-o APT::Get::Assume-Yes=true` sets the same option as -y.
bool AssumeYesOption(const CommandView& view) {
  for (const ShellWord& w : view.argv) {
    // apt option names are case-insensitive.
    std::string v = text::AsciiLower(w.value);
    if (v.find("apt::get::assume-yes=") != std::string::npos) {
      return !v.ends_with("=false") && !v.ends_with("=0") && !v.ends_with("=no");
    }
  }
  return false;
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "apt-get",
                             {"install", "reinstall", "remove", "purge", "autoremove", "upgrade",
                              "dist-upgrade", "full-upgrade", "build-dep"},
                             {"-o", "-t", "-c"})) {
      // Quiet level 2 implies -y (apt-get(8)); a simulation changes nothing, so never asks.
      if (HasFlag(call.view,
                  {"-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act"}) ||
          HasFlag(call.view, {"-y", "--yes", "--assume-yes"}) || QuietLevel(call.view) >= 2 ||
          AssumeYesOption(call.view))
        continue;
      std::string sub(call.subcommand->value);
      ctx.Report(packages::CallRange(call),
                 "apt-get " + sub + " waits for a confirmation that a build cannot give: add -y",
                 packages::InsertAfter(ctx.File(), *call.subcommand, " -y", "add -y"));
    }
  });
}

}  // namespace

const Rule kAptGetInstallYes{
    {
        .slug = "apt-get-install-yes",
        .aliases = {"DL3014"},
        .severity = Severity::kWarning,
        .title = "Use apt-get -y so that apt-get does not wait for a confirmation",
        .rationale =
            "Without -y, apt-get asks \"Do you want to continue? [Y/n]\" whenever it installs "
            "more than the named packages, upgrades or removes anything. A build has no "
            "terminal: apt-get reads an empty stdin and aborts, so the build fails on the day a "
            "dependency changes. -y (or --yes, --assume-yes, -qq) answers yes up front.",
        .bad =
            {{"FROM debian:12\nRUN apt-get update && apt-get install curl\n",
              {"2:23"},
              "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"},
             {"FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive sudo apt-get -q install \\\n"
              "      curl && apt-get purge wget\n",
              {"2:41", "3:15"},
              "FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive sudo apt-get -q install -y \\\n"
              "      curl && apt-get purge -y wget\n"},
             {"FROM debian:12\nRUN xargs apt-get install < packages.txt\n",
              {"2:11"},
              "FROM debian:12\nRUN xargs apt-get install -y < packages.txt\n"},
             {"FROM debian:12\nONBUILD RUN apt-get install make\n",
              {"2:13"},
              "FROM debian:12\nONBUILD RUN apt-get install -y make\n"}},
        .good = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", {}},
                 {"FROM debian:12\nRUN apt-get -y install curl\n", {}},
                 {"FROM debian:12\nRUN apt-get install -qy curl\n", {}},
                 {"FROM debian:12\nRUN apt-get install -qq curl\n", {}},
                 {"FROM debian:12\nRUN apt-get --assume-yes install curl\n", {}},
                 {"FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n", {}},
                 {"FROM debian:12\nRUN apt-get update && apt-get clean\n", {}},
                 {"FROM debian:12\nRUN echo apt-get install curl\n", {}},
                 {"FROM debian:12\nRUN if apt-get install -s pkg >/dev/null; then echo ok; fi\n",
                  {}}},
        .differs_from_hadolint =
            "hadolint checks only `apt-get install`; this rule also checks the other "
            "subcommands that ask for a confirmation (reinstall, remove, purge, autoremove, "
            "upgrade, dist-upgrade, full-upgrade, build-dep). A single -q is not enough (as in "
            "hadolint); -qq and `-o APT::Get::Assume-Yes=true` are accepted.",
    },
    Check};

}  // namespace dockit::lint

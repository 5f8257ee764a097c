// apt-get installs "recommended" packages by default: often many more than asked for, making
// the image bigger and its contents less predictable.
#include "parser/text.hpp"
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// `-o APT::Install-Recommends=false` turns recommendations off like --no-install-recommends.
bool RecommendsOff(const CommandView& view) {
  for (const ShellWord& w : view.argv) {
    std::string v = text::AsciiLower(w.value);  // apt option names are case-insensitive
    if (v.find("apt::install-recommends=") != std::string::npos) {
      return v.ends_with("=false") || v.ends_with("=0") || v.ends_with("=no");
    }
  }
  return false;
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "apt-get", {"install"}, {"-o", "-t", "-c"})) {
      if (HasFlag(call.view, {"--no-install-recommends"}) || RecommendsOff(call.view)) continue;
      // A simulation (`apt-get install -s pkg` to test whether pkg exists) installs nothing.
      if (HasFlag(call.view,
                  {"-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act"}))
        continue;
      ctx.Report(packages::CallRange(call),
                 "apt-get install also installs recommended packages: add "
                 "--no-install-recommends",
                 packages::InsertAfter(ctx.File(), *call.subcommand, " --no-install-recommends",
                                       "add --no-install-recommends"));
    }
  });
}

}  // namespace

const Rule kAptGetNoInstallRecommends{
    {
        .slug = "apt-get-no-install-recommends",
        .aliases = {"DL3015"},
        .severity = Severity::kInfo,
        .title = "Use apt-get install --no-install-recommends",
        .rationale =
            "By default apt-get also installs the packages that the requested ones merely "
            "recommend (documentation, optional helpers, sometimes a whole X11 stack). They make "
            "the image larger, slower to pull and wider to attack. --no-install-recommends "
            "installs what was asked for and its real dependencies; list anything else you need "
            "explicitly.",
        .bad = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                 {"2:23"},
                 "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends "
                 "-y curl\n"},
                {"FROM debian:12\nRUN sh -c 'apt-get -y install git'\n",
                 {"2:12"},
                 "FROM debian:12\nRUN sh -c 'apt-get -y install --no-install-recommends git'\n"}},
        .good = {{"FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n", {}},
                 {"FROM debian:12\nRUN apt-get --no-install-recommends -y install curl\n", {}},
                 {"FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false -y install curl\n",
                  {}},
                 {"FROM debian:12\nRUN apt-get -y remove curl\n", {}},
                 {"FROM debian:12\nRUN if apt-get install -s pkg >/dev/null; then echo ok; fi\n",
                  {}}},
        .differs_from_hadolint = "A simulation (`apt-get install -s`) is not reported.",
    },
    Check};

}  // namespace dockit::lint

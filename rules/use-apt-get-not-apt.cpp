// apt is the interactive front end: its output and behaviour may change between releases and
// it warns "apt does not have a stable CLI interface" when used in scripts.
#include <algorithm>
#include <array>

#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// Subcommands that apt-get has with the same meaning, so `apt` can simply become `apt-get`.
constexpr std::array<std::string_view, 13> kAptGetSubcommands = {
    "autoclean", "autoremove", "build-dep", "clean",  "dist-upgrade", "download", "full-upgrade",
    "install",   "purge",      "remove",    "source", "update",       "upgrade"};

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const CommandView& view : FindCommands(*site.script, "apt")) {
      if (view.command->In(ShellContext::kFunction)) continue;
      const ShellWord& word = view.argv.front();
      const ShellWord* sub = Subcommand(view, {"-o", "-t", "-c"});
      std::optional<Fix> fix;
      bool same = sub != nullptr && std::find(kAptGetSubcommands.begin(), kAptGetSubcommands.end(),
                                              sub->value) != kAptGetSubcommands.end();
      const std::string& text = ctx.File().Text();
      if (same && word.value == "apt" && word.range.end.offset <= text.size() &&
          std::string_view(text).substr(word.range.begin.offset, word.range.Size()) == "apt") {
        fix = Fix{"use apt-get", {{word.range.begin.offset, word.range.end.offset, "apt-get"}}};
      }
      ctx.Report(word.range,
                 same ? "apt is meant for interactive use: use apt-get in scripts"
                      : "apt is meant for interactive use: use apt-get or apt-cache in scripts",
                 std::move(fix));
    }
  });
}

}  // namespace

const Rule kUseAptGetNotApt{
    {
        .slug = "use-apt-get-not-apt",
        .aliases = {"DL3027"},
        .severity = Severity::kWarning,
        .title = "Use apt-get or apt-cache instead of apt",
        .rationale =
            "apt is the front end for people at a terminal: its output, progress bars and "
            "defaults may change from one release to the next, and it says so (\"WARNING: apt "
            "does not have a stable CLI interface. Use with caution in scripts.\"). apt-get and "
            "apt-cache are the stable interfaces for scripts and Dockerfiles.",
        .bad = {{"FROM debian:12\nRUN apt update && apt install -y curl\n",
                 {"2:5", "2:19"},
                 "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"},
                {"FROM debian:12\nRUN apt list --installed\n", {"2:5"}}},
        .good = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", {}},
                 {"FROM debian:12\nRUN apt-cache policy curl\n", {}},
                 {"FROM debian:12\nRUN echo apt install\n", {}}},
    },
    Check};

}  // namespace dockit::lint

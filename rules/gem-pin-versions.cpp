// `gem install bundler` installs whatever rubygems.org offers on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

#define DOCKIT_GEM_FLAGS_WITH_VALUE                                                     \
  {                                                                                     \
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P", \
        "--trust-policy", "--platform", "-g", "--file", "--build-root", "--document",   \
        "--env-shebang"                                                                 \
  }

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "gem", {"install", "i"}, DOCKIT_GEM_FLAGS_WITH_VALUE)) {
      // -v applies to the gems of the command; -g installs from a (locked) Gemfile.
      if (HasFlag(call.view, {"-v", "--version", "-g", "--file"})) continue;
      for (const ShellWord* gem : packages::Operands(call, DOCKIT_GEM_FLAGS_WITH_VALUE)) {
        std::string_view v = gem->value;
        if (gem->HasExpansion() || v.find(':') != std::string_view::npos || v.ends_with(".gem") ||
            v.find('/') != std::string_view::npos)
          continue;
        ctx.Report(gem->range, "pin the version of " + std::string(v) + ": gem install " +
                                   std::string(v) + ":<version>");
      }
    }
  });
}

#undef DOCKIT_GEM_FLAGS_WITH_VALUE

}  // namespace

const Rule kGemPinVersions{
    {
        .slug = "gem-pin-versions",
        .aliases = {"DL3028"},
        .severity = Severity::kWarning,
        .title = "Pin versions in gem install",
        .rationale =
            "`gem install <gem>` without a version takes the newest release when the layer is "
            "built, so a rebuild can silently get a new major version. Pin with `gem:1.2.3` or "
            "`-v 1.2.3`, or install from a Gemfile.lock with bundler.",
        .bad = {{"FROM ruby:3.3\nRUN gem install bundler rake:13.2.1\n", {"2:17"}}},
        .good = {{"FROM ruby:3.3\nRUN gem install bundler:2.5.11\n", {}},
                 {"FROM ruby:3.3\nRUN gem install bundler -v 2.5.11\n", {}},
                 {"FROM ruby:3.3\nRUN gem install --no-document ./pkg/app-1.0.gem\n", {}},
                 {"FROM ruby:3.3\nRUN gem update --system\n", {}}},
        .differs_from_hadolint =
            "Each unpinned gem is reported at its own word; local .gem files and words with an "
            "expansion count as pinned.",
    },
    Check};

}  // namespace dockit::lint

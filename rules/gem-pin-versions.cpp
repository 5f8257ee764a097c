// `gem install bundler` installs whatever rubygems.org offers on the day of the build.
#include <algorithm>
#include <vector>

#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

#define DOCKIT_GEM_FLAGS_WITH_VALUE                                                     \
  {                                                                                     \
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P", \
        "--trust-policy", "--platform", "-g", "--file", "--build-root", "--document",   \
        "--bulk-threshold", "--config-file", "--http-proxy", "-p"                       \
  }

// Long options of `gem install` that take no value.
bool BooleanOption(std::string_view flag) {
  if (flag.starts_with("--no-")) return true;
  for (std::string_view f : {"--force",
                             "--wrappers",
                             "--env-shebang",
                             "--ignore-dependencies",
                             "--user-install",
                             "--development",
                             "--development-all",
                             "--conservative",
                             "--minimal-deps",
                             "--post-install-message",
                             "--suggestions",
                             "--lock",
                             "--prerelease",
                             "--format-executable",
                             "--vendor",
                             "--clear-sources",
                             "--local",
                             "--remote",
                             "--both",
                             "--update-sources",
                             "--explain",
                             "--quiet",
                             "--verbose",
                             "--silent",
                             "--backtrace",
                             "--debug",
                             "--norc",
                             "--default",
                             "--ri",
                             "--rdoc",
                             "--system"}) {
    if (flag == f) return true;
  }
  return false;
}

// The gems of `gem install`: words after the subcommand that are not options or their values.
// Everything after `--` is build options for the gems' extensions. Like hadolint, a long option
// this rule does not know takes the next word as its value (`--use-system-libraries true`).
std::vector<const ShellWord*> Gems(const packages::ManagerCall& call) {
  std::vector<const ShellWord*> out;
  std::initializer_list<std::string_view> with_value = DOCKIT_GEM_FLAGS_WITH_VALUE;
  bool past_subcommand = false;
  for (size_t i = 1; i < call.view.argv.size(); ++i) {
    const ShellWord& w = call.view.argv[i];
    std::string_view v = w.value;
    if (&w == call.subcommand) {
      past_subcommand = true;
      continue;
    }
    if (v == "--") break;
    if (v.size() > 1 && v[0] == '-') {
      bool value_next =
          std::find(with_value.begin(), with_value.end(), v) != with_value.end() ||
          (v.starts_with("--") && v.find('=') == std::string_view::npos && !BooleanOption(v));
      if (value_next) ++i;
      continue;
    }
    if (past_subcommand) out.push_back(&w);
  }
  return out;
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "gem", {"install", "i"}, DOCKIT_GEM_FLAGS_WITH_VALUE)) {
      // -v applies to the gems of the command; -g installs from a (locked) Gemfile.
      if (HasFlag(call.view, {"-v", "--version", "-g", "--file"})) continue;
      for (const ShellWord* gem : Gems(call)) {
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
        .bad = {{"FROM ruby:3.3\nRUN gem install bundler rake:13.2.1\n", {"2:17"}},
                {"FROM ruby:3.3\nRUN gem install --no-document --user-install nokogiri -- "
                 "--use-system-libraries\n",
                 {"2:46"}}},
        .good = {{"FROM ruby:3.3\nRUN gem install bundler:2.5.11\n", {}},
                 {"FROM ruby:3.3\nRUN gem install bundler -v 2.5.11\n", {}},
                 {"FROM ruby:3.3\nRUN gem install --no-document ./pkg/app-1.0.gem\n", {}},
                 {"FROM ruby:3.3\nRUN gem update --system\n", {}},
                 {"FROM ruby:3.3\nRUN gem install nokogiri:1.16.5 -- --use-system-libraries "
                  "true\n",
                  {}}},
        .differs_from_hadolint =
            "Each unpinned gem is reported at its own word; local .gem files and words with an "
            "expansion count as pinned. As in hadolint, words after `--` are build options, and "
            "a long option the rule does not know is taken to have a value "
            "(`--use-system-libraries true`).",
    },
    Check};

}  // namespace dockit::lint

// `apk add curl` installs whatever version the repository offers on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// apk options whose value is the next word (`--virtual .build-deps` is not a package).
#define DOCKIT_APK_FLAGS_WITH_VALUE                                                  \
  {                                                                                  \
    "-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--keys-dir", \
        "--cache-dir", "--repositories-file", "--cache-max-age", "--timeout"         \
  }

// pkg=1.2, pkg~1.2, pkg>=1.2, pkg<2 (constraints), ./x.apk and /tmp/x.apk (files).
bool Pinned(const ShellWord& w) {
  std::string_view v = w.value;
  return w.HasExpansion() || v.find_first_of("=<>~/") != std::string_view::npos ||
         v.ends_with(".apk");
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "apk", {"add"}, DOCKIT_APK_FLAGS_WITH_VALUE)) {
      for (const ShellWord* pkg : packages::Operands(call, DOCKIT_APK_FLAGS_WITH_VALUE)) {
        if (Pinned(*pkg)) continue;
        ctx.Report(pkg->range, "pin the version of " + std::string(pkg->value) + ": apk add " +
                                   std::string(pkg->value) + "=<version>");
      }
    }
  });
}

#undef DOCKIT_APK_FLAGS_WITH_VALUE

}  // namespace

const Rule kApkPinVersions{
    {
        .slug = "apk-pin-versions",
        .aliases = {"DL3018"},
        .severity = Severity::kWarning,
        .title = "Pin versions in apk add",
        .rationale =
            "Without a version, apk installs whatever the repository offers when the layer is "
            "built, so a rebuild can silently get other versions. `pkg=1.2.3-r0` (or a "
            "constraint such as `pkg~1.2`) makes the build repeatable.",
        .bad = {{"FROM alpine:3.20\nRUN apk add --no-cache curl git=2.45.2-r0\n", {"2:24"}},
                {"FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc make~4.4\n",
                 {"2:46"}}},
        .good = {{"FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", {}},
                 {"FROM alpine:3.20\nRUN apk add --no-cache --virtual=.deps 'gcc>=13' make~4.4\n",
                  {}},
                 {"FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/pkg.apk\n", {}},
                 {"FROM alpine:3.20\nRUN apk add --no-cache $DEPS\n", {}}},
        .differs_from_hadolint =
            "Each unpinned package is reported at its own word; constraints (~, <, >), .apk "
            "files and words with an expansion count as pinned.",
    },
    Check};

}  // namespace dockit::lint

// `apk add` keeps the downloaded index in /var/cache/apk; in a layer it is dead weight.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

constexpr std::string_view kCache = "/var/cache/apk";

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    // A builder stage that others only copy files from: its cache never reaches an image.
    if (site.stage && !ShipsAsImage(ctx.Meaning(), *site.stage)) return;
    if (packages::HasCacheMountOver(*site.run, kCache)) return;
    for (const packages::ManagerCall& call : packages::FindCalls(
             *site.script, "apk", {"add"},
             {"-t", "--virtual", "-X", "--repository", "-p", "--root", "--cache-dir"})) {
      // --no-network installs from what is already there: no index is fetched or kept.
      if (HasFlag(call.view, {"--no-cache", "--no-network"})) continue;
      if (packages::RemovesDir(*site.script, call.view.command->begin, kCache)) continue;
      ctx.Report(
          packages::CallRange(call), "apk add keeps its index in /var/cache/apk: add --no-cache",
          packages::InsertAfter(ctx.File(), *call.subcommand, " --no-cache", "add --no-cache"));
    }
  });
}

}  // namespace

const Rule kApkNoCache{
    {
        .slug = "apk-no-cache",
        .aliases = {"DL3019"},
        .severity = Severity::kInfo,
        .title = "Use apk add --no-cache",
        .rationale =
            "apk add stores the repository index under /var/cache/apk, where it stays in the "
            "layer although nothing at run time needs it. --no-cache fetches a fresh index and "
            "keeps nothing, which also makes a separate `apk update` unnecessary.",
        .bad = {{"FROM alpine:3.20\nRUN apk update && apk add curl\n",
                 {"2:19"},
                 "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n"},
                {"FROM alpine:3.20\nRUN sudo apk -U add git\n",
                 {"2:10"},
                 "FROM alpine:3.20\nRUN sudo apk -U add --no-cache git\n"}},
        .good = {{"FROM alpine:3.20\nRUN apk add --no-cache curl\n", {}},
                 {"FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
                  {}},
                 {"FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n", {}},
                 {"FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps so:libssl.so.3\n",
                  {}},
                 {"FROM alpine:3.20 AS build\nRUN apk add go\nFROM scratch\n"
                  "COPY --from=build /usr/lib/go/bin/go /go\n",
                  {}}},
        .differs_from_hadolint =
            "An `rm` of /var/cache/apk or /var/cache/apk/* later in the same RUN is accepted, "
            "as well as a cache or tmpfs mount on /var/cache/apk and `apk add --no-network` (which "
            "fetches nothing). Builder stages that other stages only copy files from are not "
            "checked: their index never reaches an image.",
    },
    Check};

}  // namespace dockit::lint

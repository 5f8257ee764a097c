// The package index that apt-get update downloads (tens of MB in /var/lib/apt/lists) is useless
// in the final image; deleted in a later RUN it still ships in the earlier layer.
#include <set>

#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

constexpr std::string_view kLists = "/var/lib/apt/lists";

// The final stage and the stages it is built FROM: only their layers end up in the image.
std::set<const Stage*> ShippedStages(const RuleContext& ctx) {
  std::set<const Stage*> out;
  const auto& stages = ctx.Meaning().stages;
  const Stage* stage = ctx.FinalStage();
  while (stage != nullptr && out.insert(stage).second) {
    stage = stage->base_stage && *stage->base_stage < stages.size() ? &stages[*stage->base_stage]
                                                                    : nullptr;
  }
  return out;
}

void Check(RuleContext& ctx) {
  std::set<const Stage*> shipped = ShippedStages(ctx);
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    // ONBUILD triggers (no stage) run in a downstream image, final as far as we know.
    if (site.stage != nullptr && !shipped.count(site.stage)) return;
    std::vector<packages::ManagerCall> updates;
    for (std::string_view apt : {"apt-get", "apt"}) {
      for (auto& call : packages::FindCalls(*site.script, apt, {"update"}, {"-o", "-c"}))
        updates.push_back(call);
    }
    if (updates.empty()) return;
    if (packages::HasCacheMountOver(*site.run, kLists)) return;
    const packages::ManagerCall* last = &updates.front();
    for (const auto& call : updates) {
      if (call.view.command->begin > last->view.command->begin) last = &call;
    }
    uint32_t after = last->view.command->begin;
    if (packages::RemovesDir(*site.script, after, kLists)) return;
    // apt 2.7's `apt-get dist-clean` deletes the lists as well.
    for (std::string_view apt : {"apt-get", "apt"}) {
      for (auto& call : packages::FindCalls(*site.script, apt, {"dist-clean"}, {"-o", "-c"}))
        if (call.view.command->begin > after) return;
    }
    ctx.Report(packages::CallRange(*last),
               "the package lists of apt-get update stay in the image: remove "
               "/var/lib/apt/lists/* at the end of this RUN",
               packages::AppendToChain(*site.run, *site.script, " && rm -rf /var/lib/apt/lists/*",
                                       "remove /var/lib/apt/lists/* at the end of the RUN"));
  });
}

}  // namespace

const Rule kAptListsNotRemoved{
    {
        .slug = "apt-lists-not-removed",
        .aliases = {"DL3009"},
        .severity = Severity::kInfo,
        .title = "Delete the apt lists after installing something",
        .rationale =
            "apt-get update downloads the package index into /var/lib/apt/lists, often 20-50 MB "
            "that nothing in the running container needs. Remove it at the end of the same RUN "
            "(`&& rm -rf /var/lib/apt/lists/*`): deleting it in a later RUN does not shrink the "
            "image, the earlier layer still holds it. A cache or tmpfs mount on "
            "/var/lib/apt/lists keeps it out of the image too.",
        .bad = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                 {"2:5"},
                 "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "
                 "/var/lib/apt/lists/*\n"},
                {"FROM debian:12 AS base\nRUN apt-get update \\\n && apt-get install -y curl\n"
                 "FROM base\nRUN echo done\n",
                 {"2:5"},
                 "FROM debian:12 AS base\nRUN apt-get update \\\n && apt-get install -y curl && "
                 "rm -rf /var/lib/apt/lists/*\nFROM base\nRUN echo done\n"},
                {"FROM debian:12\nRUN if [ -n \"$X\" ]; then apt-get update; fi\n", {"2:26"}}},
        .good = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl \\\n"
                  " && rm -rf /var/lib/apt/lists/*\n",
                  {}},
                 {"FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get clean "
                  "&& rm -rf /var/lib/apt/lists /tmp/*\n",
                  {}},
                 {"FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists \\\n"
                  "    apt-get update && apt-get install -y curl\n",
                  {}},
                 {"FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n"
                  "FROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/\n",
                  {}},
                 {"FROM debian:13\nRUN set -eux; apt-get update; apt-get install -y curl; "
                  "apt-get dist-clean\n",
                  {}},
                 {"FROM debian:12\nRUN apt-get install -y ./local.deb\n", {}}},
        .differs_from_hadolint =
            "As in hadolint, a RUN with apt-get update is reported, only in stages whose layers "
            "end up in the image; here that is the final stage and the stages it is built FROM "
            "(hadolint: the last stage and any stage used as a base). Any `rm` of "
            "/var/lib/apt/lists, /var/lib/apt/lists/* or a parent after the last update is "
            "accepted, not only `rm -rf /var/lib/apt/lists/*`, and so is `apt-get dist-clean`; "
            "a cache or tmpfs mount on "
            "/var/lib/apt/lists or a parent is accepted.",
    },
    Check};

}  // namespace dockit::lint

// yarn (classic) keeps every downloaded package in its global cache; in a layer that is dead
// weight, often larger than node_modules itself.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

bool CacheMounted(const Instruction& run) {
  for (std::string_view target : packages::CacheMountTargets(run)) {
    if (target.find("yarn") != std::string_view::npos) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    // A builder stage that others only copy files from: its cache never reaches an image.
    if (site.stage && !ShipsAsImage(ctx.Meaning(), *site.stage)) return;
    if (CacheMounted(*site.run)) return;
    std::optional<CommandView> last;
    for (const CommandView& view : FindCommands(*site.script, "yarn")) {
      if (view.command->In(ShellContext::kFunction)) continue;
      const ShellWord* sub = Subcommand(view, {"--cwd", "--cache-folder", "--modules-folder"});
      // A bare `yarn` is `yarn install`.
      if (sub == nullptr ? view.argv.size() == 1 : sub->value == "install") last = view;
    }
    if (!last) return;
    uint32_t after = last->command->begin;
    for (const CommandView& view : FindCommands(*site.script, "yarn")) {
      const ShellWord* sub = Subcommand(view);
      if (view.command->begin > after && sub && sub->value == "cache" && Args(view).size() >= 2 &&
          Args(view)[1]->value == "clean")
        return;
    }
    for (std::string_view dir :
         {"/usr/local/share/.cache/yarn", "/root/.cache/yarn", "~/.cache/yarn"}) {
      if (packages::RemovesDir(*site.script, after, dir)) return;
    }
    packages::ManagerCall call{*last, Subcommand(*last, {"--cwd"})};
    ctx.Report(packages::CallRange(call),
               "yarn install leaves its package cache in the image: run yarn cache clean at the "
               "end of this RUN",
               packages::AppendToChain(*site.run, *site.script, " && yarn cache clean",
                                       "run yarn cache clean at the end of the RUN"));
  });
}

}  // namespace

const Rule kYarnCacheClean{
    {
        .slug = "yarn-cache-clean",
        .aliases = {"DL3060"},
        .severity = Severity::kInfo,
        .title = "Run yarn cache clean after yarn install",
        .rationale =
            "yarn keeps a copy of every package it downloads in its global cache "
            "(/usr/local/share/.cache/yarn in the node images). Nothing at run time needs it, "
            "and removing it in a later RUN does not shrink the image. Run `yarn cache clean` "
            "at the end of the same RUN, or use a cache mount.",
        .bad = {{"FROM node:22\nRUN yarn install --frozen-lockfile\n",
                 {"2:5"},
                 "FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\n"},
                {"FROM node:22\nRUN yarn && yarn build\n",
                 {"2:5"},
                 "FROM node:22\nRUN yarn && yarn build && yarn cache clean\n"}},
        .good = {{"FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\n", {}},
                 {"FROM node:22\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn \\\n"
                  "    yarn install --frozen-lockfile\n",
                  {}},
                 {"FROM node:22\nRUN yarn build\n", {}}},
        .differs_from_hadolint =
            "A bare `yarn` counts as `yarn install`; removing the cache folder and cache mounts "
            "are accepted. Builder stages that other stages only copy files from are not checked: "
            "their cache never reaches an image.",
    },
    Check};

}  // namespace dockit::lint

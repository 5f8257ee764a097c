// npm keeps a copy of every package it downloads in ~/.npm. In a RUN that ends up in the final
// image the cache is dead weight: often as large as node_modules itself. (yarn's cache is
// yarn-cache-clean, DL3060.)
#include <string>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool IsNpmInstall(const CommandView& view) {
  const ShellWord* sub = Subcommand(view);
  std::string_view s = sub ? sub->value : std::string_view();
  return view.Name() == "npm" &&
         (s == "install" || s == "i" || s == "ci" || s == "add" || s == "update");
}

// The RUN empties npm's cache: `npm cache clean --force`, or rm of ~/.npm.
bool CleansNpmCache(const CommandView& view) {
  std::vector<const ShellWord*> args = Args(view);
  if (view.Name() == "npm") {
    return args.size() >= 2 && args[0]->value == "cache" &&
           (args[1]->value == "clean" || args[1]->value == "clear");
  }
  if (view.Name() != "rm") return false;
  for (const ShellWord* arg : args) {
    if (arg->value.find(".npm") != std::string_view::npos) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage& stage, const TypedInstruction& ins, const ShellScript& shell) {
    // A builder stage's cache is left behind with the stage.
    if (!ShipsAsImage(ctx.Meaning(), stage)) return;
    const auto* run = std::get_if<RunCmd>(&ins.args);
    if (!run || HasCacheMount(*run)) return;
    std::vector<CommandView> commands = RunCommands(shell);
    for (const CommandView& view : commands) {
      if (!IsNpmInstall(view)) continue;
      bool cleaned = false;
      for (const CommandView& other : commands) cleaned |= CleansNpmCache(other);
      if (cleaned) continue;
      // Through `su user -c '...'` the cache is in that user's home, not /root.
      bool other_user = (view.command->context & ShellContext::kNestedShell) != 0;
      ctx.Report(view.argv[0].range,
                 "npm " + std::string(Subcommand(view)->value) +
                     " leaves its package cache (~/.npm) in the image: add && npm cache clean "
                     "--force to this RUN, or use RUN --mount=type=cache,target=" +
                     (other_user ? "<home of the user>/.npm" : "/root/.npm"));
      return;  // one finding per RUN
    }
  });
}

}  // namespace

const Rule kCachesLeft{
    {
        .slug = "caches-left",
        .aliases = {},
        .severity = Severity::kInfo,
        .title = "npm cache left in the image",
        .rationale =
            "npm keeps every downloaded package in a cache (~/.npm). Nothing in the image reads "
            "it again, yet it is often as large as node_modules. Clean it in the same RUN (`npm "
            "cache clean --force`), or keep it outside the image with a cache mount, which also "
            "speeds up the next build. Stages that do not end up in the final image are not "
            "checked. yarn's cache is the rule yarn-cache-clean (DL3060).",
        .bad = {{"FROM node:20\nCOPY package*.json ./\nRUN npm ci --omit=dev\n", {"3:5"}},
                {"FROM node:20 AS base\nFROM base\nRUN npm install -g pm2\n", {"3:5"}}},
        .good = {{"FROM node:20\nRUN npm ci --omit=dev && npm cache clean --force\n", {}},
                 {"FROM node:20\nRUN npm ci && rm -rf /root/.npm\n", {}},
                 {"FROM node:20\nRUN yarn install --frozen-lockfile\n", {}},
                 {"FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n", {}},
                 {"FROM node:20 AS build\nRUN npm ci && npm run build\n"
                  "FROM nginx\nCOPY --from=build /dist /usr/share/nginx/html\n",
                  {}},
                 {"FROM node:20\nRUN npm run build\n", {}}},
        .differs_from_hadolint = "hadolint has no rule for npm's cache.",
    },
    Check};

}  // namespace dockit::lint

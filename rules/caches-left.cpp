// npm and yarn keep a copy of every package they download in a cache directory. In a RUN that
// ends up in the final image the cache is dead weight: often as large as node_modules itself.
#include <string>

#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

enum class Tool { kNone, kNpm, kYarn };

Tool InstallTool(const CommandView& view) {
  std::string_view name = view.Name();
  const ShellWord* sub = Subcommand(view);
  std::string_view s = sub ? sub->value : std::string_view();
  if (name == "npm" && (s == "install" || s == "i" || s == "ci" || s == "add" || s == "update"))
    return Tool::kNpm;
  if (name == "yarn" && (!sub || s == "install" || s == "add" || s == "global")) return Tool::kYarn;
  return Tool::kNone;
}

// The RUN empties the tool's cache: `npm cache clean --force`, `yarn cache clean`, or rm of the
// cache directory.
bool Cleans(const CommandView& view, Tool tool) {
  std::string_view name = view.Name();
  std::vector<const ShellWord*> args = Args(view);
  if ((name == "npm" && tool == Tool::kNpm) || (name == "yarn" && tool == Tool::kYarn)) {
    return args.size() >= 2 && args[0]->value == "cache" &&
           (args[1]->value == "clean" || args[1]->value == "clear");
  }
  if (name != "rm") return false;
  for (const ShellWord* arg : args) {
    std::string_view p = arg->value;
    if (tool == Tool::kNpm && p.find(".npm") != std::string_view::npos) return true;
    if (tool == Tool::kYarn &&
        (p.find("yarn") != std::string_view::npos || p.find(".cache") != std::string_view::npos))
      return true;
  }
  return false;
}

// Stages whose files end up in the final image: the final stage and the stages it is built on.
std::vector<bool> InFinalImage(const Analysis& analysis) {
  std::vector<bool> out(analysis.stages.size(), false);
  if (analysis.stages.empty()) return out;
  for (const Stage* s = &analysis.stages.back();;) {
    out[s->index] = true;
    if (!s->base_stage || out[*s->base_stage]) break;
    s = &analysis.stages[*s->base_stage];
  }
  return out;
}

void Check(RuleContext& ctx) {
  std::vector<bool> final_image = InFinalImage(ctx.Meaning());
  ctx.ForEachRun([&](const Stage& stage, const TypedInstruction& ins, const ShellScript& shell) {
    // A builder stage's cache is left behind with the stage.
    if (!final_image[stage.index]) return;
    const auto* run = std::get_if<RunCmd>(&ins.args);
    if (!run || HasCacheMount(*run)) return;
    std::vector<CommandView> commands = RunCommands(shell);
    for (const CommandView& view : commands) {
      Tool tool = InstallTool(view);
      if (tool == Tool::kNone) continue;
      bool cleaned = false;
      for (const CommandView& other : commands) cleaned |= Cleans(other, tool);
      if (cleaned) continue;
      const ShellWord* sub = Subcommand(view);
      std::string what =
          std::string(view.Name()) + " " + (sub ? std::string(sub->value) : "install");
      ctx.Report(view.argv[0].range,
                 tool == Tool::kNpm
                     ? what +
                           " leaves its package cache (~/.npm) in the image: add && npm cache "
                           "clean --force to this RUN, or use RUN "
                           "--mount=type=cache,target=/root/.npm"
                     : what +
                           " leaves its package cache in the image: add && yarn cache clean "
                           "to this RUN, or use RUN "
                           "--mount=type=cache,target=/usr/local/share/.cache/yarn");
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
        .title = "npm or yarn cache left in the image",
        .rationale =
            "npm and yarn keep every downloaded package in a cache (~/.npm, "
            "/usr/local/share/.cache/yarn). Nothing in the image reads it again, yet it is often "
            "as large as node_modules. Clean it in the same RUN (`npm cache clean --force`, "
            "`yarn cache clean`), or keep it outside the image with a cache mount, which also "
            "speeds up the next build. Stages that do not end up in the final image are not "
            "checked.",
        .bad = {{"FROM node:20\nCOPY package*.json ./\nRUN npm ci --omit=dev\n", {"3:5"}},
                {"FROM node:20\nRUN yarn global add pm2\n", {"2:5"}},
                {"FROM node:20 AS base\nFROM base\nRUN yarn install --frozen-lockfile\n", {"3:5"}}},
        .good = {{"FROM node:20\nRUN npm ci --omit=dev && npm cache clean --force\n", {}},
                 {"FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n", {}},
                 {"FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n", {}},
                 {"FROM node:20 AS build\nRUN npm ci && npm run build\n"
                  "FROM nginx\nCOPY --from=build /dist /usr/share/nginx/html\n",
                  {}},
                 {"FROM node:20\nRUN npm run build\n", {}}},
        .differs_from_hadolint =
            "hadolint has no rule for npm's cache; for yarn, DL3060 is close but also reports "
            "builder stages, whose cache never reaches the final image.",
    },
    Check};

}  // namespace dockit::lint

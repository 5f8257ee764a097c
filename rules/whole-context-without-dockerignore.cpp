// `COPY . .` sends and copies everything in the folder: .git, local .env files with secrets,
// node_modules, build output. Without a .dockerignore nothing filters it.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

bool IsWholeContext(std::string_view src) {
  return src == "." || src == "./" || src == "/" || src == "*" || src == "./*";
}

void Check(RuleContext& ctx) {
  const ContextInfo* context = ctx.BuildContext();
  if (!context || context->has_dockerignore) return;
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* copy = std::get_if<CopyCmd>(&ins.args);
    if (!copy || copy->from) return;
    for (const Expanded& src : copy->sources) {
      if (!IsWholeContext(src.value)) continue;
      ctx.Report(src.range,
                 "copying the whole build context without a .dockerignore: .git, secrets and "
                 "build output end up in the image; add a .dockerignore");
      return;
    }
  });
}

}  // namespace

const Rule kWholeContextWithoutDockerignore{
    {
        .slug = "whole-context-without-dockerignore",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "COPY of the whole build context without a .dockerignore",
        .rationale =
            "`COPY . .` takes everything in the build context: the .git folder, .env files with "
            "credentials, node_modules and local build output. That makes the image bigger, can "
            "leak secrets, and breaks the cache on every unrelated change. A .dockerignore keeps "
            "them out.",
        .bad = {{"FROM node:20\nWORKDIR /app\nCOPY . .\n", {"3:6"}, {}, ExampleContext{}},
                {"FROM node:20\nADD ./ /app/\n", {"2:5"}, {}, ExampleContext{}}},
        .good = {{"FROM node:20\nWORKDIR /app\nCOPY . .\n", {}, {}, ExampleContext{".git\n"}},
                 {"FROM node:20\nCOPY package.json /app/\n", {}, {}, ExampleContext{}},
                 {"FROM node:20 AS b\nFROM alpine\nCOPY --from=b . /\n", {}, {}, ExampleContext{}}},
        .differs_from_hadolint = "hadolint has no such rule: it never looks at the build context.",
    },
    Check};

}  // namespace dockit::lint

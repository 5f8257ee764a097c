// Without LANG (or LC_ALL) set to a UTF-8 locale, most base images run programs in the POSIX
// locale: Python, Ruby, Java and many CLIs then read and print non-ASCII text wrongly.
#include <string>

#include "parser/text.hpp"
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

bool IsUtf8(std::string_view value) {
  std::string lower = text::AsciiLower(value);
  return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
}

void Check(RuleContext& ctx) {
  const Stage* final_stage = ctx.FinalStage();
  if (!final_stage || final_stage->base.value == "scratch") return;
  // `env` holds the stage's ENV at its end, inherited ones included.
  for (std::string_view key : {"LANG", "LC_ALL"}) {
    auto it = final_stage->env.find(std::string(key));
    if (it != final_stage->env.end() && IsUtf8(it->second)) return;
  }
  const Instruction& from = *final_stage->instructions.front().syntax;
  ctx.Report(from.keyword_range,
             "the final image sets no UTF-8 locale: add ENV LANG=C.UTF-8 (or another UTF-8 "
             "locale the image has)");
}

}  // namespace

const Rule kNoUtf8Locale{
    {
        .slug = "no-utf8-locale",
        .aliases = {},
        .severity = Severity::kInfo,
        .title = "The final image sets no UTF-8 locale",
        .rationale =
            "Most base images leave the locale unset, so programs run in the POSIX locale and "
            "treat text as ASCII: Python may fail to print or open non-ASCII names, Java and "
            "Ruby pick a wrong default encoding. `ENV LANG=C.UTF-8` works on every glibc and "
            "musl image without installing locales. Opt-in, because some base images already "
            "set it and the linter cannot see theirs.",
        .bad = {{"FROM debian:12\nRUN apt-get update\nCMD [\"python3\"]\n", {"1:1"}},
                {"FROM debian:12 AS build\nENV LANG=C.UTF-8\nFROM debian:12\nCMD [\"app\"]\n",
                 {"3:1"}}},
        .good = {{"FROM debian:12\nENV LANG=C.UTF-8\n", {}},
                 {"FROM debian:12\nENV LC_ALL=en_US.utf8\n", {}},
                 {"FROM debian:12 AS base\nENV LANG C.UTF-8\nFROM base\nCMD [\"app\"]\n", {}},
                 {"FROM scratch\nCOPY app /app\n", {}}},
        .opt_in = true,
        .differs_from_hadolint = "hadolint has no such rule.",
    },
    Check};

}  // namespace dockit::lint

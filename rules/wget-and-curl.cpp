// Both curl and wget in one stage: two tools doing the same job, both installed into the image,
// with two sets of flags for readers to know.
#include <string>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const ShellWord* first_curl = nullptr;
    const ShellWord* first_wget = nullptr;
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kRun) continue;
      bool seen_both_before = first_curl && first_wget;
      for (const CommandView& view : RunCommands(ctx.Shell(*ins.syntax))) {
        std::string_view name = view.Name();
        if (name != "curl" && name != "wget") continue;
        // BusyBox's wget applet comes with the base image: it is not a second tool installed.
        if (name == "wget" && BusyboxWget(ctx, stage, *ins.syntax, view.command)) continue;
        const ShellWord*& first = name == "curl" ? first_curl : first_wget;
        const ShellWord* other = name == "curl" ? first_wget : first_curl;
        if (!first) first = &view.argv[0];
        // Once per RUN, like hadolint: at the first use that makes (or keeps) both present.
        if (other || seen_both_before) {
          const ShellWord* o = other ? other : (name == "curl" ? first_wget : first_curl);
          ctx.Report(view.argv[0].range, std::string(name) + " is used here and " +
                                             std::string(name == "curl" ? "wget" : "curl") +
                                             " on line " + std::to_string(o->range.begin.line) +
                                             "; use one of them for every download in the stage");
          break;
        }
      }
    }
  }
}

}  // namespace

const Rule kWgetAndCurl{
    {
        .slug = "wget-and-curl",
        .aliases = {"DL4001"},
        .severity = Severity::kWarning,
        .title = "Either use wget or curl but not both",
        .rationale =
            "curl and wget do the same job. Using both in a stage usually means both are "
            "installed in the image, and readers must know two sets of flags (and two ways of "
            "failing on HTTP errors). Pick one for every download.",
        .bad = {{"FROM debian:12\nRUN curl -fsSLo /a https://e.com/a\n"
                 "RUN wget -q -O /b https://e.com/b\n",
                 {"3:5"}},
                {"FROM debian:12\nRUN wget -qO- https://e.com/k | gpg --dearmor > k && curl -fsSL "
                 "https://e.com/x | sh\n",
                 {"2:54"}},
                {"FROM alpine:3.20\nRUN apk add --no-cache curl wget\n"
                 "RUN curl -fsSLo /a https://e.com/a\nRUN wget -q -O /b https://e.com/b\n",
                 {"4:5"}}},
        .good = {{"FROM debian:12\nRUN curl -fsSLo /a https://e.com/a\n"
                  "RUN curl -fsSLo /b https://e.com/b\n",
                  {}},
                 {"FROM debian:12 AS fetch\nRUN curl -fsSLo /a https://e.com/a\n"
                  "FROM alpine\nRUN wget -q -O /b https://e.com/b\n",
                  {}},
                 {"FROM debian:12\nRUN apt-get install -y curl wget\n", {}},
                 {"FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps curl && "
                  "curl -fsSLo /a https://e.com/a && apk del .deps\n"
                  "RUN wget -q -O /b https://e.com/b\n",
                  {}}},
        .differs_from_hadolint =
            "ONBUILD triggers are not counted: they run in another build. In an Alpine or "
            "BusyBox stage (based on an alpine or busybox image, following FROM <stage>, or "
            "running apk), wget is BusyBox's built-in applet unless `apk add wget` came before: "
            "it is not counted.",
    },
    Check};

}  // namespace dockit::lint

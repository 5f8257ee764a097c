// GNU wget without a terminal prints its progress as dots, thousands of lines for a large file,
// which buries the useful part of the build log.
#include <string>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/packages_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool Quiet(const CommandView& view) {
  return HasFlag(view, {"--progress", "-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file",
                        "-a", "--append-output"});
}

void Report(RuleContext& ctx, const CommandView& view) {
  ctx.Report(view.argv[0].range,
             "wget prints thousands of progress lines in a build log: add "
             "--progress=dot:giga, or -nv / -q");
}

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage& stage, const TypedInstruction& ins, const ShellScript& shell) {
    for (const CommandView& view : RunCommands(shell)) {
      if (view.Name() != "wget" || Quiet(view)) continue;
      // BusyBox wget (alpine, busybox) shows no progress without a terminal and rejects
      // --progress: only GNU wget, added by apk before this command, is reported there.
      if (BusyboxWget(ctx, stage, *ins.syntax, view.command)) continue;
      Report(ctx, view);
    }
  });
  // ONBUILD RUN triggers run in an image built on this one, whose base is unknown: as hadolint
  // does, they are judged like a GNU wget.
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    if (site.stage) return;
    for (const CommandView& view : RunCommands(*site.script)) {
      if (view.Name() == "wget" && !Quiet(view)) Report(ctx, view);
    }
  });
}

}  // namespace

const Rule kWgetProgress{
    {
        .slug = "wget-progress",
        .aliases = {"DL3047"},
        .severity = Severity::kInfo,
        .title = "wget without --progress floods the build log",
        .rationale =
            "Without a terminal, GNU wget shows progress as lines of dots: a large download "
            "adds thousands of lines to the build log and hides the output that matters. "
            "`--progress=dot:giga` keeps a short progress report; `-nv` (`--no-verbose`) or "
            "`-q` silence it.",
        .bad = {{"FROM debian:12\nRUN wget https://example.com/app.tgz\n", {"2:5"}},
                {"FROM alpine:3.20\nRUN apk add --no-cache wget && wget -O /a https://e.com/a\n",
                 {"2:32"}},
                {"FROM alpine:3.20 AS base\nRUN apk add --no-cache wget\n"
                 "FROM base\nRUN wget -O /a https://e.com/a\n",
                 {"4:5"}},
                {"FROM node:20 AS foo\nONBUILD RUN wget my.xyz\n", {"2:13"}}},
        .good = {{"FROM debian:12\nRUN wget --progress=dot:giga https://example.com/app.tgz\n", {}},
                 {"FROM debian:12\nRUN wget -qO- https://example.com/key | gpg --dearmor\n", {}},
                 {"FROM debian:12\nRUN wget -nv https://example.com/app.tgz\n", {}},
                 {"FROM alpine:3.20\nRUN wget -O /a https://example.com/a\n", {}},
                 {"FROM debian:12\nRUN apt-get install -y wget\n", {}},
                 {"FROM alpine:3.20\nRUN wget -O /a https://e.com/a\n"
                  "RUN apk add --no-cache --virtual .build-deps wget && wget -nv -O /b "
                  "https://e.com/b\n",
                  {}},
                 {"FROM docker:29-cli\nRUN apk add --no-cache iptables\n"
                  "RUN wget -O /a https://e.com/a\n",
                  {}}},
        .differs_from_hadolint =
            "wget in an Alpine or BusyBox stage (based on an alpine or busybox image, following "
            "FROM <stage>, or running apk) is BusyBox's applet and is skipped unless `apk add "
            "wget` came before it: BusyBox wget prints no progress without a terminal and "
            "rejects --progress.",
    },
    Check};

}  // namespace dockit::lint

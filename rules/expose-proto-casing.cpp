// `EXPOSE 80/TCP`: protocols are lowercase in the image config.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    if (ins.kind != InstructionKind::kExpose || ins.syntax->json_form) return;
    for (const Word& w : ins.syntax->args) {
      size_t slash = w.value.rfind('/');
      if (slash == std::string::npos || w.value.find('$') != std::string::npos) continue;
      std::string proto = w.value.substr(slash + 1);
      if (AllLower(proto)) continue;
      SourceRange range = WordSubRange(ctx.File(), *ins.syntax, w, static_cast<uint32_t>(slash + 1),
                                       static_cast<uint32_t>(w.value.size()));
      std::string lower = text::AsciiLower(proto);
      ctx.Report(range,
                 "protocol in \"" + w.value + "\" should be lowercase: write " +
                     w.value.substr(0, slash + 1) + lower,
                 Fix{"lower-case the protocol", {{range.begin.offset, range.end.offset, lower}}});
    }
  });
}

}  // namespace

const Rule kExposeProtoCasing{
    {
        .slug = "expose-proto-casing",
        .aliases = {"ExposeProtoCasing"},
        .severity = Severity::kWarning,
        .title = "EXPOSE protocols should be lowercase",
        .rationale = "The image configuration records ports as `80/tcp`; BuildKit lower-cases "
                     "`80/TCP` for you, but the file then says something else than the image.",
        .bad = {{"FROM nginx\nEXPOSE 80/TcP 53/UDP\n",
                 {"2:11", "2:18"},
                 "FROM nginx\nEXPOSE 80/tcp 53/udp\n"}},
        .good = {{"FROM nginx\nEXPOSE 80/tcp 53/udp 443\n", {}}},
    },
    Check};

}  // namespace dockit::lint

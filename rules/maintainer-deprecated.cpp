// MAINTAINER is deprecated: it sets an image field nothing reads any more. The OCI label
// org.opencontainers.image.authors is what registries and tools show.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// `value` as a double-quoted LABEL value that BuildKit's lexer reads back unchanged: inside
// double quotes only the escape character before `"`, `$` or itself is an escape.
std::string Quoted(std::string_view value, char escape) {
  // A value already written as one double-quoted string keeps its quotes as they are.
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"' &&
      value.substr(1, value.size() - 2).find_first_of(std::string{'"', '$', escape}) ==
          std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '$' || c == escape) out += escape;
    out += c;
  }
  return out + "\"";
}

void Check(RuleContext& ctx) {
  // Every MAINTAINER of the file, also one before the first FROM (which BuildKit refuses; a
  // LABEL there would be refused as well, so that one gets no fix).
  bool after_from = false;
  for (const Instruction& syntax : ctx.Tree().instructions) {
    after_from |= syntax.kind == InstructionKind::kFrom;
    if (syntax.kind != InstructionKind::kMaintainer) continue;
    std::optional<Fix> fix;
    if (after_from && !syntax.args.empty() && syntax.range.begin.line == syntax.range.end.line) {
      const Word& w = syntax.args.back();
      std::string keyword = AllLower(syntax.keyword) ? "label" : "LABEL";
      fix = Fix{"replace MAINTAINER with LABEL org.opencontainers.image.authors",
                {{syntax.keyword_range.begin.offset, w.range.end.offset,
                  keyword + " org.opencontainers.image.authors=" +
                      Quoted(syntax.args.front().value, ctx.Tree().escape)}}};
    }
    ctx.Report(syntax.keyword_range,
               "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors=\"...\"",
               std::move(fix));
  }
}

}  // namespace

const Rule kMaintainerDeprecated{
    {
        .slug = "maintainer-deprecated",
        .aliases = {"DL4000", "MaintainerDeprecated"},
        .severity = Severity::kWarning,
        .title = "MAINTAINER is deprecated",
        .rationale =
            "MAINTAINER fills the image's Author field, which Docker deprecated long ago; "
            "registries and tools read the OCI label org.opencontainers.image.authors instead. "
            "--fix rewrites the instruction as that LABEL, quoting the value so that BuildKit "
            "reads it back unchanged.",
        .bad = {{"FROM alpine\nMAINTAINER Jane Doe <jane@example.com>\n",
                 {"2:1"},
                 "FROM alpine\nLABEL org.opencontainers.image.authors=\"Jane Doe "
                 "<jane@example.com>\"\n"},
                {"from alpine\nmaintainer \"jane@example.com\"\n",
                 {"2:1"},
                 "from alpine\nlabel org.opencontainers.image.authors=\"jane@example.com\"\n"},
                {"FROM alpine\nMAINTAINER Jo \"JD\" $5\n",
                 {"2:1"},
                 "FROM alpine\nLABEL org.opencontainers.image.authors=\"Jo \\\"JD\\\" \\$5\"\n"},
                {"MAINTAINER Jane Doe\nFROM alpine\n", {"1:1"}}},
        .good = {{"FROM alpine\nLABEL org.opencontainers.image.authors=\"jane@example.com\"\n",
                  {}}},
        .differs_from_hadolint = "hadolint reports DL4000 as an error; it is a warning here, as "
                                 "in BuildKit: the build works.",
    },
    Check};

}  // namespace dockit::lint

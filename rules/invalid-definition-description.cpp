// BuildKit's experimental InvalidDefinitionDescription: a comment right above `FROM ... AS name`
// or `ARG name` is the description that `docker build --call=outline` and `--call=targets` show,
// so it must start with that name.
#include <algorithm>

#include "rules/all.hpp"

namespace dockit::lint {
namespace {

// The comment on the line right above `ins`, if there is one and it is no parser directive.
const Comment* CommentAbove(const SyntaxTree& tree, const Instruction& ins) {
  uint32_t line = ins.range.begin.line;
  if (line < 2) return nullptr;
  auto it = std::lower_bound(tree.comments.begin(), tree.comments.end(), line - 1,
                             [](const Comment& c, uint32_t l) { return c.range.begin.line < l; });
  if (it == tree.comments.end() || it->range.begin.line != line - 1) return nullptr;
  for (const Directive& d : tree.directives) {
    if (d.range.begin.line == line - 1) return nullptr;  // `# syntax=...` describes nothing
  }
  return &*it;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

void CheckDefinition(RuleContext& ctx, const Instruction& ins, std::string_view keyword,
                     const std::vector<std::string>& names) {
  if (names.empty()) return;
  const Comment* comment = CommentAbove(ctx.Tree(), ins);
  if (!comment) return;
  std::string_view text = Trim(comment->text);
  if (text.empty()) return;  // a bare `#` separates, as in BuildKit
  std::string_view first = text.substr(0, text.find(' '));
  if (std::find(names.begin(), names.end(), first) != names.end()) return;
  std::string example = names.size() > 1 ? "<arg_key>" : names.front();
  ctx.Report(ins.range, "comment for " + std::string(keyword) + " should follow the format: `# " +
                            example + " <description>`");
}

void Check(RuleContext& ctx) {
  auto check_args = [&](const TypedInstruction& ins) {
    const auto* arg = std::get_if<ArgCmd>(&ins.args);
    if (!arg) return;
    std::vector<std::string> names;
    for (const ArgDecl& d : arg->args) names.push_back(d.name.value);
    CheckDefinition(ctx, *ins.syntax, "ARG", names);
  };
  for (const TypedInstruction& ins : ctx.Meaning().global_args) check_args(ins);
  for (const Stage& stage : ctx.Meaning().stages) {
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* from = std::get_if<FromCmd>(&ins.args)) {
        if (from->stage_name) CheckDefinition(ctx, *ins.syntax, "FROM", {from->stage_name->value});
      } else {
        check_args(ins);
      }
    }
  }
}

}  // namespace

const Rule kInvalidDefinitionDescription{
    {
        .slug = "invalid-definition-description",
        .aliases = {"InvalidDefinitionDescription"},
        .severity = Severity::kInfo,
        .title = "Comment above a stage or ARG should start with its name",
        .rationale =
            "`docker build --call=outline` and `--call=targets` describe build arguments and "
            "stages with the comment right above their `ARG` or `FROM ... AS` line, when it "
            "starts with the name: `# VERSION the release to package` above `ARG VERSION`. A "
            "comment there that does not start with the name is shown nowhere and reads like a "
            "broken description. Start it with the name, or put a blank line (or a bare `#` "
            "line) between the comment and the instruction. Experimental in BuildKit, so opt-in "
            "here too: `--enable invalid-definition-description`, `enable:` in .dlint.yaml, or "
            "BuildKit's own `# check=experimental=InvalidDefinitionDescription`.",
        .bad = {{"# a non-descriptive comment\nFROM scratch AS base\n\n# another one\nARG "
                 "VERSION=1\n",
                 {"2:1", "5:1"}},
                {"FROM alpine:3.20\n# the platform pair\nARG GOOS=linux GOARCH=amd64\n", {"3:1"}}},
        .good = {{"# syntax=docker/dockerfile:1\nFROM scratch AS base\n", {}},
                 {"# a non-descriptive comment\n\nFROM scratch AS base\n#\nARG VERSION=1\n", {}},
                 {"# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This "
                  "is the version number.\nARG VERSION=1\n# GOARCH the target architecture\n"
                  "ARG GOOS=linux GOARCH=amd64\n",
                  {}},
                 {"# not a stage name: no AS\nFROM alpine:3.20\n# neither an ARG\nRUN true\n", {}}},
        .opt_in = true,
        .differs_from_hadolint =
            "hadolint has no such rule. BuildKit keeps every comment line since the previous "
            "instruction (only a bare `#` clears them) and checks the last; dlint checks the "
            "comment on the line right above, so a blank line also separates, as BuildKit's "
            "documentation says. Parser directives (`# syntax=`, `# check=`) are no "
            "descriptions and are not judged, where BuildKit would report `# syntax=...` right "
            "above `FROM ... AS name`.",
    },
    Check};

}  // namespace dockit::lint

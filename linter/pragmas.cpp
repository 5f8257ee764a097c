#include "linter/pragmas.hpp"

#include <algorithm>

#include "parser/pragma.hpp"
#include "parser/text.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Adds the slugs of rule ids or aliases; unknown ids are left out.
void AddIds(const std::vector<std::string_view>& ids, std::set<std::string, std::less<>>& out) {
  for (std::string_view id : ids) {
    if (const Rule* rule = FindRule(id)) out.insert(std::string(rule->info.slug));
  }
}

std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    out.push_back(Trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

bool Suppressions::Suppressed(std::string_view slug, uint32_t line) const {
  if (global.count(slug)) return true;
  return std::any_of(local.begin(), local.end(), [&](const Local& l) {
    return line >= l.first_line && line <= l.last_line && l.slugs.count(slug);
  });
}

Suppressions ReadSuppressions(const SyntaxTree& tree, bool require_reason) {
  Suppressions out;
  for (const Comment& c : tree.comments) {
    std::optional<IgnorePragma> pragma = ParseIgnorePragma(c.text);
    if (!pragma || (require_reason && pragma->reason.empty())) continue;
    if (pragma->scope == IgnorePragma::Scope::kGlobal) {
      AddIds(pragma->ids, out.global);
      continue;
    }
    // The next instruction after the comment.
    auto next = std::find_if(
        tree.instructions.begin(), tree.instructions.end(),
        [&](const Instruction& i) { return i.range.begin.offset > c.range.begin.offset; });
    if (next == tree.instructions.end()) continue;
    Suppressions::Local local{next->range.begin.line, next->range.end.line, {}};
    if (pragma->scope == IgnorePragma::Scope::kStage) {
      // From the stage's FROM (at or before the next instruction) to the end of that stage.
      auto first = next;
      while (first != tree.instructions.begin() && first->kind != InstructionKind::kFrom) --first;
      auto last = next + 1;
      while (last != tree.instructions.end() && last->kind != InstructionKind::kFrom) ++last;
      local.first_line = first->range.begin.line;
      local.last_line = (last - 1)->range.end.line;
    }
    AddIds(pragma->ids, local.slugs);
    out.local.push_back(std::move(local));
  }
  for (const Directive& d : tree.directives) {
    if (d.name != "check") continue;
    // `# check=skip=A,B;error=true`
    std::string_view v = d.value;
    while (!v.empty()) {
      size_t semi = v.find(';');
      std::string_view part = Trim(v.substr(0, semi));
      if (part.starts_with("skip=")) {
        std::string_view list = part.substr(5);
        if (text::AsciiLower(list) == "all") {
          for (const Rule* rule : AllRules()) out.global.insert(std::string(rule->info.slug));
        } else {
          AddIds(SplitList(list), out.global);
        }
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return out;
}

}  // namespace dockit::lint

#include "linter/pragmas.hpp"

#include <algorithm>

#include "parser/text.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Adds the slugs of a comma-separated list of rule ids or aliases.
void AddIds(std::string_view list, std::set<std::string, std::less<>>& out) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view id = Trim(list.substr(0, comma));
    if (const Rule* rule = FindRule(id)) out.insert(std::string(rule->info.slug));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

bool Suppressions::Suppressed(std::string_view slug, uint32_t line) const {
  if (global.count(slug)) return true;
  return std::any_of(local.begin(), local.end(), [&](const Local& l) {
    return line >= l.first_line && line <= l.last_line && l.slugs.count(slug);
  });
}

Suppressions ReadSuppressions(const SyntaxTree& tree) {
  Suppressions out;
  for (const Comment& c : tree.comments) {
    std::string_view body = Trim(c.text);
    bool ours = body.starts_with("dlint ");
    if (!ours && !body.starts_with("hadolint ")) continue;
    body = Trim(body.substr(ours ? 6 : 9));
    bool global = body.starts_with("global ");
    if (global) body = Trim(body.substr(7));
    bool stage = !global && ours && body.starts_with("stage ");
    if (stage) body = Trim(body.substr(6));
    if (!body.starts_with("ignore=")) continue;
    body.remove_prefix(7);
    body = body.substr(0, body.find('#'));  // `# reason` after the list
    body = body.substr(0, body.find(' '));
    if (global) {
      AddIds(body, out.global);
      continue;
    }
    // The next instruction after the comment.
    auto next = std::find_if(
        tree.instructions.begin(), tree.instructions.end(),
        [&](const Instruction& i) { return i.range.begin.offset > c.range.begin.offset; });
    if (next == tree.instructions.end()) continue;
    Suppressions::Local local{next->range.begin.line, next->range.end.line, {}};
    if (stage) {
      // `# dlint stage ignore=`: from the stage's FROM (at or before the next instruction) to the
      // end of that stage.
      auto first = next;
      while (first != tree.instructions.begin() && first->kind != InstructionKind::kFrom) --first;
      auto last = next + 1;
      while (last != tree.instructions.end() && last->kind != InstructionKind::kFrom) ++last;
      local.first_line = first->range.begin.line;
      local.last_line = (last - 1)->range.end.line;
    }
    AddIds(body, local.slugs);
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
          AddIds(list, out.global);
        }
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return out;
}

std::set<std::string, std::less<>> ReadExperimentalChecks(const SyntaxTree& tree) {
  std::set<std::string, std::less<>> out;
  for (const Directive& d : tree.directives) {
    if (d.name != "check") continue;
    std::string_view v = d.value;
    while (!v.empty()) {
      size_t semi = v.find(';');
      std::string_view part = Trim(v.substr(0, semi));
      if (part.starts_with("experimental=")) {
        std::string_view list = part.substr(13);
        std::set<std::string, std::less<>> named;
        if (text::AsciiLower(list) == "all") {
          for (const Rule* rule : AllRules()) {
            // BuildKit check names are CamelCase words; hadolint's are DLnnnn, ShellCheck's SCnnnn.
            for (std::string_view a : rule->info.aliases) {
              if (!a.starts_with("DL") && !a.starts_with("SC")) {
                named.insert(std::string(rule->info.slug));
              }
            }
          }
        } else {
          AddIds(list, named);
        }
        for (const std::string& slug : named) {
          if (const Rule* rule = FindRule(slug); rule && rule->info.opt_in) out.insert(slug);
        }
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return out;
}

}  // namespace dockit::lint

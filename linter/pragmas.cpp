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

// Adds the canonical ids (slugs, or ShellCheck codes such as SC2086) of rule ids, aliases and
// codes; unknown ids are left out.
void AddIds(const std::vector<std::string_view>& ids, std::set<std::string, std::less<>>& out) {
  for (std::string_view id : ids) {
    if (std::string canonical = CanonicalRuleId(id); !canonical.empty()) out.insert(canonical);
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

bool Suppressions::Suppressed(std::string_view slug, std::string_view code, uint32_t line) const {
  auto listed = [&](const std::set<std::string, std::less<>>& ids) {
    return ids.count(slug) > 0 || (!code.empty() && ids.count(code) > 0);
  };
  if (listed(global)) return true;
  return std::any_of(local.begin(), local.end(), [&](const Local& l) {
    return line >= l.first_line && line <= l.last_line && listed(l.ids);
  });
}

void ReadCheckSettings(std::string_view value, Suppressions& out) {
  // `skip=A,B;experimental=C;error=true`: skip=all turns every check off except the ones named
  // in experimental=, which are turned on (the experimental ones are opt-in otherwise).
  std::set<std::string, std::less<>> skipped;
  bool skip_all = false;
  while (!value.empty()) {
    size_t semi = value.find(';');
    std::string_view part = Trim(value.substr(0, semi));
    for (auto [key, into] : {std::pair{std::string_view("skip="), &skipped},
                             std::pair{std::string_view("experimental="), &out.experimental}}) {
      if (!part.starts_with(key)) continue;
      std::string_view list = part.substr(key.size());
      if (text::AsciiLower(list) != "all") {
        AddIds(SplitList(list), *into);
      } else if (into == &skipped) {
        skip_all = true;
      } else {
        // BuildKit's experimental checks: the opt-in rules with a BuildKit check name (CamelCase,
        // not hadolint's DLnnnn or ShellCheck's SCnnnn).
        for (const Rule* rule : AllRules()) {
          if (!rule->info.opt_in) continue;
          for (std::string_view a : rule->info.aliases) {
            if (!a.starts_with("DL") && !a.starts_with("SC")) {
              out.experimental.insert(std::string(rule->info.slug));
            }
          }
        }
      }
    }
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
  if (skip_all) {
    for (const Rule* rule : AllRules()) skipped.insert(std::string(rule->info.slug));
  }
  for (const std::string& slug : skipped) {
    if (!out.experimental.count(slug)) out.global.insert(slug);
  }
}

Suppressions ReadSuppressions(const SyntaxTree& tree, bool require_reason,
                              const std::string* check_override) {
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
    AddIds(pragma->ids, local.ids);
    out.local.push_back(std::move(local));
  }
  // BUILDKIT_DOCKERFILE_CHECK (a build arg) replaces the file's `# check=` directive.
  if (check_override) {
    ReadCheckSettings(*check_override, out);
  } else {
    for (const Directive& d : tree.directives) {
      if (d.name == "check") ReadCheckSettings(d.value, out);
    }
  }
  return out;
}

Suppressions ReadYamlSuppressions(const SourceFile& file) {
  Suppressions out;
  uint32_t lines = file.LineCount();
  auto line_text = [&](uint32_t line) { return file.LineAt(file.LineStart(line)); };
  auto indent = [](std::string_view s) {
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
  };
  auto code = [&](std::string_view s) {  // not blank, not only a comment
    std::string_view t = Trim(s);
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    return !t.empty() && t.front() != '#';
  };
  for (uint32_t line = 1; line <= lines; ++line) {
    std::string_view body = Trim(line_text(line));
    if (!body.starts_with("#")) continue;
    // Comments in YAML take the same pragmas as in a Dockerfile (a stage pragma covers the next
    // key, like a plain one).
    std::optional<IgnorePragma> pragma = ParseIgnorePragma(body.substr(1));
    if (!pragma) continue;
    if (pragma->scope == IgnorePragma::Scope::kGlobal) {
      AddIds(pragma->ids, out.global);
      continue;
    }
    uint32_t first = line + 1;
    while (first <= lines && !code(line_text(first))) ++first;
    if (first > lines) continue;
    size_t depth = indent(line_text(first));
    // `key:` may hold a list written at its own indentation ("ports:\n- 22:22").
    bool item = Trim(line_text(first)).starts_with("-");
    uint32_t last = first;
    for (uint32_t l = first + 1; l <= lines; ++l) {
      std::string_view t = line_text(l);
      if (!code(t)) continue;
      bool same_depth_item = !item && indent(t) == depth && Trim(t).starts_with("-");
      if (indent(t) <= depth && !same_depth_item) break;
      last = l;
    }
    Suppressions::Local local{first, last, {}};
    AddIds(pragma->ids, local.ids);
    out.local.push_back(std::move(local));
  }
  return out;
}

}  // namespace dockit::lint

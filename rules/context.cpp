#include "parser/text.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {

RuleContext::RuleContext(const SyntaxTree& tree, const Analysis& analysis,
                         const std::vector<ShellScript>& shells, const ContextInfo* context,
                         const RuleSettings& settings, const Rule& rule, std::vector<Finding>& out)
    : tree_(tree),
      analysis_(analysis),
      shells_(shells),
      context_(context),
      settings_(settings),
      rule_(rule),
      out_(out) {}

ComposeContext::ComposeContext(const ComposeFile& compose, const ProjectFiles* project,
                               const Rule& rule, std::vector<Finding>& out)
    : compose_(compose), project_(project), rule_(rule), out_(out) {}

void ComposeContext::Report(const SourceRange& range, std::string message, std::optional<Fix> fix) {
  out_.push_back(
      Finding{rule_.info.slug, rule_.info.severity, std::move(message), range, std::move(fix)});
}

const ShellScript& RuleContext::Shell(const Instruction& run) const {
  static const ShellScript kNone;
  const Instruction* first = tree_.instructions.data();
  if (&run < first || &run >= first + tree_.instructions.size()) return kNone;
  size_t index = static_cast<size_t>(&run - first);
  return index < shells_.size() ? shells_[index] : kNone;
}

void RuleContext::Report(const SourceRange& range, std::string message, std::optional<Fix> fix) {
  out_.push_back(
      Finding{rule_.info.slug, rule_.info.severity, std::move(message), range, std::move(fix)});
}

void RuleContext::ForEachInstruction(
    const std::function<void(const Stage&, const TypedInstruction&)>& fn) const {
  for (const Stage& stage : analysis_.stages) {
    for (const TypedInstruction& ins : stage.instructions) fn(stage, ins);
  }
}

void RuleContext::ForEachRun(const std::function<void(const Stage&, const TypedInstruction&,
                                                      const ShellScript&)>& fn) const {
  ForEachInstruction([&](const Stage& stage, const TypedInstruction& ins) {
    if (ins.kind == InstructionKind::kRun) fn(stage, ins, Shell(*ins.syntax));
  });
}

const Stage* RuleContext::FinalStage() const {
  return analysis_.stages.empty() ? nullptr : &analysis_.stages.back();
}

std::optional<std::string> ShellCheckCode(std::string_view id) {
  if (id.size() < 3 || id.size() > 8 || (id[0] != 'S' && id[0] != 's') ||
      (id[1] != 'C' && id[1] != 'c')) {
    return std::nullopt;
  }
  for (char c : id.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return "SC" + std::string(id.substr(2));
}

std::string CanonicalRuleId(std::string_view id) {
  if (auto code = ShellCheckCode(id)) return *code;
  const Rule* rule = FindRule(id);
  return rule ? std::string(rule->info.slug) : std::string();
}

const Rule* FindRule(std::string_view id) {
  if (ShellCheckCode(id)) id = "shellcheck";
  std::string lower = text::AsciiLower(id);
  for (const Rule* rule : AllRules()) {
    if (rule->info.slug == lower) return rule;
    for (std::string_view alias : rule->info.aliases) {
      if (text::AsciiLower(alias) == lower) return rule;
    }
  }
  return nullptr;
}

}  // namespace dockit::lint

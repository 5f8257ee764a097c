#include "linter/rule_docs.hpp"

namespace dockit::lint {
namespace {

std::string Aliases(const RuleInfo& info) {
  std::string out;
  for (std::string_view a : info.aliases) out += (out.empty() ? "" : ", ") + std::string(a);
  return out.empty() ? "none" : out;
}

// The settings an example needs, as the .dlint.yaml that gives them.
void AppendSettings(std::string& out, const Example& e) {
  std::string yaml;
  if (!e.trusted_registries.empty()) {
    yaml += "trusted-registries:\n";
    for (std::string_view r : e.trusted_registries) yaml += "  - \"" + std::string(r) + "\"\n";
  }
  if (e.label_schema) {
    yaml += "label-schema:\n";
    for (const auto& [label, type] : e.label_schema->labels) {
      yaml += "  " + std::string(label) + ": " + std::string(LabelTypeName(type)) + "\n";
    }
    if (e.label_schema->strict) yaml += "strict-labels: true\n";
  }
  if (!yaml.empty()) out += "With this `.dlint.yaml`:\n\n```yaml\n" + yaml + "```\n\n";
}

void AppendExample(std::string& out, const RuleInfo& info, const Example& e, bool bad) {
  std::string fence = info.kind == RuleKind::kCompose ? "```yaml\n" : "```dockerfile\n";
  if (e.context && e.context->files.empty() && info.kind == RuleKind::kCompose) {
    out += "In an empty folder:\n\n";
  } else if (e.context && !e.context->files.empty()) {
    out += "In a folder with ";
    for (size_t i = 0; i < e.context->files.size(); ++i) {
      out += (i ? ", `" : "`") + std::string(e.context->files[i]) + "`";
    }
    out += ":\n\n";
  }
  AppendSettings(out, e);
  out += fence + std::string(e.text) + "```\n";
  if (bad) {
    out += "\nFindings at ";
    for (size_t i = 0; i < e.findings.size(); ++i) {
      out += (i ? ", " : "") + std::string(e.findings[i]);
    }
    out += ".\n";
    if (!e.fixed.empty())
      out += "\nAfter `dlint --fix`:\n\n" + fence + std::string(e.fixed) + "```\n";
  }
  out += "\n";
}

}  // namespace

std::string RuleMarkdown(const RuleInfo& info) {
  std::string out = "# " + std::string(info.slug) + "\n\n" + std::string(info.title) + "\n\n";
  out += "- Severity: " + std::string(SeverityName(info.severity)) + "\n";
  out += "- Aliases: " + Aliases(info) + "\n";
  if (info.opt_in) out += "- Off by default: enable it in `.dlint.yaml`\n";
  if (!info.program.empty()) {
    out += "- Runs the `" + std::string(info.program) + "` program when it is installed\n";
  }
  out += "\n## Why\n\n" + std::string(info.rationale) + "\n\n## Bad\n\n";
  for (const Example& e : info.bad) AppendExample(out, info, e, true);
  out += "## Good\n\n";
  for (const Example& e : info.good) AppendExample(out, info, e, false);
  if (!info.differs_from_hadolint.empty()) {
    out += "## Compared with hadolint and BuildKit\n\n" + std::string(info.differs_from_hadolint) +
           "\n";
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

std::string RuleIndexMarkdown() {
  std::string out =
      "# dlint rules\n\nGenerated from rules/ by `dlint --write-rule-docs docs/rules`.\n\n"
      "| rule | severity | aliases | what it finds |\n| --- | --- | --- | --- |\n";
  for (const Rule* rule : AllRules()) {
    const RuleInfo& i = rule->info;
    out += "| [" + std::string(i.slug) + "](" + std::string(i.slug) + ".md) | " +
           SeverityName(i.severity) + (i.opt_in ? " (opt-in)" : "") + " | " + Aliases(i) + " | " +
           std::string(i.title) + " |\n";
  }
  return out;
}

}  // namespace dockit::lint

#include "linter/engine.hpp"

#include <algorithm>
#include <filesystem>

#include "linter/pragmas.hpp"
#include "parser/dockerfile_parser.hpp"
#include "parser/encoding.hpp"

namespace dockit::lint {
namespace {

// `experimental`: the opt-in rules that the file's `# check=experimental=` turns on.
bool Enabled(const Rule& rule, const LintOptions& options,
             const std::set<std::string, std::less<>>& experimental = {}) {
  std::string_view slug = rule.info.slug;
  if (!options.only.empty()) return options.only.count(slug) > 0;
  if (options.ignored.count(slug)) return false;
  return !rule.info.opt_in || options.enabled.count(slug) || experimental.count(slug);
}

}  // namespace

LintResult LintDockerfile(std::shared_ptr<const SourceFile> file, const LintOptions& options) {
  LintResult result{file, {}};
  const Rule* syntax_rule = FindRule("syntax-error");
  auto syntax_finding = [&](const Diagnostic& d) {
    result.findings.push_back(
        Finding{syntax_rule->info.slug, Severity::kError, d.message, d.range, std::nullopt});
  };
  // A file that is not UTF-8 text, or that BuildKit cannot parse, has no other findings.
  if (auto bad = CheckEncoding(*file)) {
    if (Enabled(*syntax_rule, options)) syntax_finding(*bad);
    return result;
  }
  auto tree = ParseDockerfile(file);
  if (!tree) {
    if (Enabled(*syntax_rule, options)) syntax_finding(tree.Error());
    return result;
  }
  Analysis analysis = AnalyzeDockerfile(*tree, options.analyze);
  std::vector<ShellScript> shells = ShellViewsOf(**tree);
  std::vector<Finding> findings;
  std::set<std::string, std::less<>> experimental = ReadExperimentalChecks(**tree);
  for (const Rule* rule : AllRules()) {
    if (!Enabled(*rule, options, experimental) || !rule->check) continue;
    RuleContext ctx(**tree, analysis, shells, options.context ? &*options.context : nullptr,
                    options.settings, *rule, findings);
    rule->check(ctx);
  }
  Suppressions suppressions;
  if (!options.disable_ignore_pragma) suppressions = ReadSuppressions(**tree);
  for (Finding& f : findings) {
    if (suppressions.Suppressed(f.rule, f.range.begin.line)) continue;
    if (auto it = options.severity.find(f.rule); it != options.severity.end()) {
      f.severity = it->second;
    }
    result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.range.begin.offset < b.range.begin.offset;
                   });
  return result;
}

ContextInfo ContextFromText(const std::optional<std::string>& dockerignore) {
  ContextInfo info;
  if (!dockerignore) return info;
  info.has_dockerignore = true;
  info.dockerignore_path = ".dockerignore";
  auto parsed = DockerIgnore::Parse(SourceFile(".dockerignore", *dockerignore));
  if (parsed) info.ignore = std::move(parsed).Value();
  return info;
}

ContextInfo ReadContextInfo(const std::string& dir, const std::string& dockerfile) {
  namespace fs = std::filesystem;
  ContextInfo info;
  for (fs::path candidate :
       {fs::path(dockerfile + ".dockerignore"), fs::path(dir) / ".dockerignore"}) {
    std::string error;
    auto file = ReadSourceFile(candidate.string(), &error);
    if (!file) continue;
    info.has_dockerignore = true;
    info.dockerignore_path = candidate.string();
    // An invalid .dockerignore fails the build in BuildKit; rules then see no patterns.
    auto parsed = DockerIgnore::Parse(*file);
    if (parsed) info.ignore = std::move(parsed).Value();
    break;
  }
  return info;
}

std::string ApplyFixes(const SourceFile& file, const std::vector<Finding>& findings) {
  std::vector<const TextEdit*> edits;
  for (const Finding& f : findings) {
    if (!f.fix) continue;
    for (const TextEdit& e : f.fix->edits) edits.push_back(&e);
  }
  std::stable_sort(edits.begin(), edits.end(),
                   [](const TextEdit* a, const TextEdit* b) { return a->begin < b->begin; });
  std::string out;
  uint32_t pos = 0;
  const std::string& text = file.Text();
  for (const TextEdit* e : edits) {
    if (e->begin < pos) continue;  // overlaps an edit already applied
    out.append(text, pos, e->begin - pos);
    out += e->replacement;
    pos = e->end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace dockit::lint

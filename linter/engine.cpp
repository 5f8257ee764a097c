#include "linter/engine.hpp"

#include <algorithm>
#include <filesystem>

#include "linter/pragmas.hpp"
#include "parser/dockerfile_parser.hpp"
#include "parser/encoding.hpp"

namespace dockit::lint {
namespace {

bool IsCode(std::string_view id) { return ShellCheckCode(id).has_value(); }

// `experimental`: opt-in rules the file turns on with `# check=experimental=...`.
bool Enabled(const Rule& rule, const LintOptions& options,
             const std::set<std::string, std::less<>>& experimental = {}) {
  std::string_view slug = rule.info.slug;
  if (!options.only.empty()) {
    if (options.only.count(slug)) return true;
    // `only: [SC2086]` runs the rule that reports that code.
    return std::any_of(options.only.begin(), options.only.end(),
                       [&](const std::string& id) { return IsCode(id) && FindRule(id) == &rule; });
  }
  if (options.ignored.count(slug)) return false;
  if (options.require_reason && slug == "ignore-pragma-without-reason") return true;
  return !rule.info.opt_in || options.enabled.count(slug) || experimental.count(slug);
}

}  // namespace

LintResult LintDockerfile(std::shared_ptr<const SourceFile> file, const LintOptions& options) {
  LintResult result{file, {}, {}};
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
  // Pragmas first: `# check=experimental=` turns rules on.
  Suppressions suppressions;
  if (!options.disable_ignore_pragma) {
    auto check = options.analyze.build_args.find("BUILDKIT_DOCKERFILE_CHECK");
    suppressions =
        ReadSuppressions(**tree, options.require_reason,
                         check == options.analyze.build_args.end() ? nullptr : &check->second);
  }
  std::vector<Finding> findings;
  for (const Rule* rule : AllRules()) {
    if (!Enabled(*rule, options, suppressions.experimental) || !rule->check) continue;
    RuleContext ctx(**tree, analysis, shells, options.context ? &*options.context : nullptr,
                    options.settings, *rule, findings);
    rule->check(ctx);
  }
  static const Rule* shellcheck_rule = FindRule("shellcheck");
  if (options.shellcheck.enabled && Enabled(*shellcheck_rule, options)) {
    std::vector<ShellCheckScript> scripts = ShellCheckScripts(**tree, analysis, shells);
    auto checked = RunShellCheck(options.shellcheck, scripts, *file);
    if (checked) {
      for (Finding& f : checked.Value()) findings.push_back(std::move(f));
    } else {
      result.warnings.push_back(checked.Error().message);
    }
  }
  for (Finding& f : findings) {
    if (!f.code.empty()) {
      if (options.ignored.count(f.code)) continue;
      if (!options.only.empty() && !options.only.count(f.rule) && !options.only.count(f.code)) {
        continue;
      }
    }
    if (suppressions.Suppressed(f.rule, f.code, f.range.begin.line)) continue;
    auto it = f.code.empty() ? options.severity.end() : options.severity.find(f.code);
    if (it == options.severity.end()) it = options.severity.find(f.rule);
    if (it != options.severity.end()) f.severity = it->second;
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

}  // namespace dockit::lint

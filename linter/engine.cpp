#include "linter/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "linter/pragmas.hpp"
#include "parser/compose.hpp"
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

// Pragmas, severity overrides, file order.
void Finish(std::vector<Finding>& findings, const Suppressions& suppressions,
            const LintOptions& options, LintResult& result) {
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
}

// "./a//b/" -> "a/b"; ".." stays (the disk resolves it; a listed project has none).
std::string NormalPath(std::string_view path) {
  std::string out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + std::string(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

class DiskProjectFiles : public ProjectFiles {
 public:
  explicit DiskProjectFiles(std::string dir) : dir_(std::move(dir)) {}
  Kind Stat(const std::string& relative_path) const override {
    std::error_code ec;
    auto status = std::filesystem::status(std::filesystem::path(dir_) / relative_path, ec);
    if (ec || !std::filesystem::exists(status)) return Kind::kMissing;
    return std::filesystem::is_directory(status) ? Kind::kDirectory : Kind::kFile;
  }

 private:
  std::string dir_;
};

class ListedProjectFiles : public ProjectFiles {
 public:
  explicit ListedProjectFiles(std::vector<std::string> files) {
    for (const std::string& f : files) files_.insert(NormalPath(f));
  }
  Kind Stat(const std::string& relative_path) const override {
    std::string p = NormalPath(relative_path);
    if (p.empty()) return Kind::kDirectory;
    if (files_.count(p)) return Kind::kFile;
    for (const std::string& f : files_) {
      if (f.starts_with(p + "/")) return Kind::kDirectory;
    }
    return Kind::kMissing;
  }

 private:
  std::set<std::string> files_;
};

}  // namespace

std::shared_ptr<const ProjectFiles> DiskProject(std::string dir) {
  return std::make_shared<DiskProjectFiles>(std::move(dir));
}

std::shared_ptr<const ProjectFiles> ListedProject(std::vector<std::string> files) {
  return std::make_shared<ListedProjectFiles>(std::move(files));
}

bool IsComposePath(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml");
}

LintResult LintFile(std::shared_ptr<const SourceFile> file, const LintOptions& options) {
  return IsComposePath(file->Path()) ? LintCompose(std::move(file), options)
                                     : LintDockerfile(std::move(file), options);
}

LintResult LintCompose(std::shared_ptr<const SourceFile> file, const LintOptions& options) {
  LintResult result{file, {}, {}};
  const Rule* syntax_rule = FindRule("compose-syntax-error");
  auto syntax_finding = [&](const Diagnostic& d) {
    if (!Enabled(*syntax_rule, options)) return;
    result.findings.push_back(
        Finding{syntax_rule->info.slug, Severity::kError, d.message, d.range, std::nullopt});
  };
  if (auto bad = CheckEncoding(*file)) {
    syntax_finding(*bad);
    return result;
  }
  auto compose = ParseCompose(file);
  if (!compose) {
    syntax_finding(compose.Error());
    return result;
  }
  std::vector<Finding> findings;
  for (const Rule* rule : AllRules()) {
    if (!Enabled(*rule, options) || !rule->check_compose) continue;
    ComposeContext ctx(**compose, options.project.get(), *rule, findings);
    rule->check_compose(ctx);
  }
  // An anchored block used by several services is reported once, where it is written.
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.range.begin.offset, a.rule, a.message) <
           std::tie(b.range.begin.offset, b.rule, b.message);
  });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.range.begin.offset == b.range.begin.offset &&
                                      a.rule == b.rule && a.message == b.message;
                             }),
                 findings.end());
  Suppressions suppressions;
  if (!options.disable_ignore_pragma) suppressions = ReadYamlSuppressions(*file);
  Finish(findings, suppressions, options, result);
  return result;
}

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
  Finish(findings, suppressions, options, result);
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

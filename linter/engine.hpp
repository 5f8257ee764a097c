// The lint engine: parse, analyse, build the shell views once, run the enabled rules, then apply
// the suppression pragmas and severity overrides.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "linter/shellcheck.hpp"
#include "parser/instructions.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {

struct LintOptions {
  AnalyzeOptions analyze;  // --build-arg values
  // Rule ids as CanonicalRuleId gives them: slugs, or ShellCheck codes ("SC2086") that select
  // one check of the `shellcheck` rule.
  std::set<std::string, std::less<>> ignored;             // turned off
  std::set<std::string, std::less<>> enabled;             // opt-in slugs turned on
  std::set<std::string, std::less<>> only;                // when not empty: only these
  std::map<std::string, Severity, std::less<>> severity;  // overrides (a code before its slug)
  bool disable_ignore_pragma = false;
  // Ignore pragmas without a reason suppress nothing, and ignore-pragma-without-reason is on.
  bool require_reason = false;
  RuleSettings settings;
  // The build context; nullopt when unknown (stdin). ReadContextInfo fills it from a folder.
  std::optional<ContextInfo> context;
  // Off unless asked (a library call spawns no process by itself); dlint turns it on.
  ShellCheckOptions shellcheck;
  // A compose file's project folder (build contexts are relative to it); nullptr when unknown.
  std::shared_ptr<const ProjectFiles> project;
};

// The folder `dir` on disk.
std::shared_ptr<const ProjectFiles> DiskProject(std::string dir);
// A folder holding exactly `files` (and the folders above them): for rule examples and tests.
std::shared_ptr<const ProjectFiles> ListedProject(std::vector<std::string> files);

// The build context of `dockerfile` in `dir`: BuildKit reads `<Dockerfile>.dockerignore` next to
// the Dockerfile first, then `.dockerignore` at the context root.
ContextInfo ReadContextInfo(const std::string& dir, const std::string& dockerfile);
// A context from a .dockerignore text (nullopt: the context has none).
ContextInfo ContextFromText(const std::optional<std::string>& dockerignore);

struct LintResult {
  std::shared_ptr<const SourceFile> file;
  std::vector<Finding> findings;  // in file order
  // Problems that did not stop linting, such as shellcheck failing: "shellcheck failed ...".
  std::vector<std::string> warnings;
};

LintResult LintDockerfile(std::shared_ptr<const SourceFile> file, const LintOptions& options);
// A compose file: YAML errors are compose-syntax-error findings; then the compose rules.
LintResult LintCompose(std::shared_ptr<const SourceFile> file, const LintOptions& options);

// Whether a file given by name is a compose file rather than a Dockerfile: *.yaml and *.yml.
bool IsComposePath(std::string_view path);
// LintCompose for compose files, LintDockerfile for the others.
LintResult LintFile(std::shared_ptr<const SourceFile> file, const LintOptions& options);

}  // namespace dockit::lint

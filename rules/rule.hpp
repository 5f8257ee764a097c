// A lint rule is data (RuleInfo) plus one check function over a RuleContext (Dockerfile rules) or
// a ComposeContext (compose rules, slugs compose-*). Every rule lives in its own file
// rules/<slug>.cpp; rules/all.cpp lists them all, sorted by slug.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/compose.hpp"
#include "parser/diagnostic.hpp"
#include "parser/dockerignore.hpp"
#include "parser/instructions.hpp"
#include "parser/shell.hpp"
#include "parser/syntax.hpp"
#include "rules/label_schema.hpp"

namespace dockit::lint {

// The build context of an example: whether it has a .dockerignore and what it says. For a
// compose example: the project folder, with the files listed (folders are implied by them).
struct ExampleContext {
  std::optional<std::string_view> dockerignore = std::nullopt;
  std::vector<std::string_view> files = {};
};

// Settings from the configuration that some rules read.
struct RuleSettings {
  std::vector<std::string> trusted_registries;  // empty: every registry is trusted
  // hadolint's label schema: required labels and the type of their values. Empty: the label-*
  // schema rules are silent.
  std::map<std::string, LabelType, std::less<>> label_schema;
  bool strict_labels = false;  // labels outside the schema are findings (label-not-in-schema)
};

// A label schema for an example: {label, type} pairs, and whether it is strict.
struct ExampleSchema {
  std::vector<std::pair<std::string_view, LabelType>> labels;
  bool strict = false;
};

// An example in a rule's documentation, run by the test suite: the findings it must produce, as
// "line:col" of their start, and (bad examples with a fix) the text after --fix. Examples that
// need a build context (or, for compose rules, a project folder) say so; the others are linted
// with an unknown context (as from stdin).
struct Example {
  std::string_view text;  // a Dockerfile, or a compose file for compose rules
  std::vector<std::string_view> findings;
  std::string_view fixed = {};
  std::optional<ExampleContext> context = std::nullopt;
  std::vector<std::string_view> trusted_registries = {};
  std::optional<ExampleSchema> label_schema = std::nullopt;
};

// What the linter knows about the build context (the Dockerfile's folder by default).
struct ContextInfo {
  bool has_dockerignore = false;
  std::string dockerignore_path;  // for messages
  DockerIgnore ignore;            // empty when there is no (valid) .dockerignore
};

enum class RuleKind { kDockerfile, kCompose };

struct RuleInfo {
  RuleKind kind = RuleKind::kDockerfile;  // what the rule reads, and what its examples are
  std::string_view slug;                  // the id users see, kebab-case
  std::vector<std::string_view> aliases;  // hadolint DLxxxx, BuildKit check names, SCxxxx
  Severity severity = Severity::kWarning;
  std::string_view title;      // one line, shown with each finding
  std::string_view rationale;  // why it matters; docs/rules/<slug>.md
  std::vector<Example> bad;
  std::vector<Example> good;
  bool opt_in = false;                          // off unless enabled in the configuration
  std::string_view differs_from_hadolint = {};  // documented deliberate differences
  // The external program whose findings the rule reports ("shellcheck"); its examples need it.
  std::string_view program = {};
};

// One replacement of file bytes [begin, end).
struct TextEdit {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string replacement;
};

struct Fix {
  std::string description;  // "replace ADD with COPY"
  std::vector<TextEdit> edits;
};

struct Finding {
  std::string_view rule;  // slug
  Severity severity = Severity::kWarning;
  std::string message;
  SourceRange range;
  std::optional<Fix> fix;
  // A finer id under the rule, for rules that report another tool's checks: "SC2086" under
  // `shellcheck`. Ignoring, enabling and severity overrides accept it as well as the slug.
  std::string code = {};

  // What users see and write in pragmas: the code when there is one, else the slug.
  std::string_view Id() const { return code.empty() ? rule : std::string_view(code); }
};

class RuleContext;
class ComposeContext;
struct Rule {
  RuleInfo info;
  void (*check)(RuleContext& ctx);  // Dockerfile rules
  void (*check_compose)(ComposeContext& ctx) = nullptr;
};

// A compose project's folder, behind a seam: the disk for files being linted, a list of paths
// for rule examples. Paths are relative to the folder, '/'-separated, without "./".
class ProjectFiles {
 public:
  enum class Kind { kMissing, kFile, kDirectory };
  virtual ~ProjectFiles() = default;
  virtual Kind Stat(const std::string& relative_path) const = 0;
};

// What a compose rule sees: the parsed file, its project folder (nullptr when unknown: stdin or
// --no-context), and a place to report.
class ComposeContext {
 public:
  ComposeContext(const ComposeFile& compose, const ProjectFiles* project, const Rule& rule,
                 std::vector<Finding>& out);

  const ComposeFile& Compose() const { return compose_; }
  const SourceFile& File() const { return *compose_.file; }
  const ProjectFiles* Project() const { return project_; }
  void Report(const SourceRange& range, std::string message, std::optional<Fix> fix = {});

 private:
  const ComposeFile& compose_;
  const ProjectFiles* project_;
  const Rule& rule_;
  std::vector<Finding>& out_;
};

// What a rule sees: the tree, its meaning, the shell view of every RUN, and a place to report.
class RuleContext {
 public:
  RuleContext(const SyntaxTree& tree, const Analysis& analysis,
              const std::vector<ShellScript>& shells, const ContextInfo* context,
              const RuleSettings& settings, const Rule& rule, std::vector<Finding>& out);

  const SyntaxTree& Tree() const { return tree_; }
  const SourceFile& File() const { return *tree_.file; }
  const Analysis& Meaning() const { return analysis_; }
  // The build context, or nullptr when it is unknown (a Dockerfile read from stdin).
  const ContextInfo* BuildContext() const { return context_; }
  const RuleSettings& Settings() const { return settings_; }
  // The shell view of a top-level RUN instruction (parsed once per file by the engine).
  const ShellScript& Shell(const Instruction& run) const;
  // Each RUN of the stages with its typed form and shell view.
  void ForEachRun(const std::function<void(const Stage&, const TypedInstruction&,
                                           const ShellScript&)>& fn) const;

  void Report(const SourceRange& range, std::string message, std::optional<Fix> fix = {});

  // Every typed instruction of every stage, ONBUILD triggers not included.
  void ForEachInstruction(
      const std::function<void(const Stage&, const TypedInstruction&)>& fn) const;
  const Stage* FinalStage() const;

 private:
  const SyntaxTree& tree_;
  const Analysis& analysis_;
  const std::vector<ShellScript>& shells_;
  const ContextInfo* context_;
  const RuleSettings& settings_;
  const Rule& rule_;
  std::vector<Finding>& out_;
};

// rules/all.cpp: every rule, sorted by slug.
const std::vector<const Rule*>& AllRules();
// A rule by slug or alias (case-insensitive for aliases); nullptr when unknown. A ShellCheck
// code ("SC2086", any case) finds the `shellcheck` rule.
const Rule* FindRule(std::string_view id);
// "SC2086" for a ShellCheck code in any case ("sc2086"), nullopt for anything else.
std::optional<std::string> ShellCheckCode(std::string_view id);
// The id that ignore lists, pragmas and overrides store: a ShellCheck code as "SC2086" (it
// selects that check only), else the rule's slug; "" when `id` names nothing.
std::string CanonicalRuleId(std::string_view id);

}  // namespace dockit::lint

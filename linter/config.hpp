// .dlint.yaml (or, when there is none, hadolint's .hadolint.yaml), found from the linted file's
// folder up to the repository root; nearer files override farther ones. DLINT_* environment
// variables and command-line flags override the files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "linter/engine.hpp"

namespace dockit::lint {

struct Config {
  std::vector<std::string> ignored;  // slugs
  std::vector<std::string> enabled;  // opt-in slugs
  std::map<std::string, Severity, std::less<>> severity;
  std::optional<Severity> failure_threshold;
  std::vector<std::string> trusted_registries;
  std::optional<bool> disable_ignore_pragma;  // disable-ignore-pragma
  std::optional<bool> require_reason;         // require-reason
  std::optional<bool> shellcheck;             // `shellcheck: false` turns ShellCheck off
  // hadolint's `label-schema:` (label: type) and `strict-labels:`; nearer files override.
  std::map<std::string, LabelType, std::less<>> label_schema;
  std::optional<bool> strict_labels;
  std::vector<std::string> sources;  // the files read, farthest first
};

// Reads one file's settings into `config` (later calls override earlier ones). Unknown rule ids
// and malformed values are errors: "file: message".
bool MergeConfigFile(const std::string& path, bool hadolint_format, Config* config,
                     std::string* error);
// The configuration for a Dockerfile in `dir`: every .dlint.yaml from the repository root (the
// nearest folder with .git, else the filesystem root) down to `dir`; .hadolint.yaml where a
// folder has no .dlint.yaml.
bool LoadConfigFor(const std::string& dir, Config* config, std::string* error);
// DLINT_IGNORE=ID,ID, DLINT_FAILURE_THRESHOLD=SEV, DLINT_DISABLE_IGNORE_PRAGMA=true|false,
// DLINT_REQUIRE_REASON=true|false, DLINT_SHELLCHECK=true|false, DLINT_REQUIRE_LABELS=LABEL:TYPE,...
// and DLINT_STRICT_LABELS=true|false (hadolint's HADOLINT_REQUIRE_LABELS, HADOLINT_STRICT_LABELS).
bool MergeEnvironment(Config* config, std::string* error);

// hadolint's `--require-label LABEL:TYPE`: the label up to the first ':', then the type (none or
// empty: text). Unknown types are errors.
bool ParseRequiredLabel(std::string_view spec, std::string* label, LabelType* type,
                        std::string* error);

// Adds the configuration to `options`, which hold the command line's settings: rule lists and
// trusted registries are joined, labels the command line already typed keep its type, and
// strict-labels from either side turns it on; `shellcheck: false` turns ShellCheck off, `true`
// cannot turn on what the command line turned off.
void ApplyConfig(const Config& config, LintOptions* options);
std::optional<Severity> ParseSeverityName(std::string_view name);

}  // namespace dockit::lint

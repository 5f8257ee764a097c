// Rendering findings for people (tty) and machines (json, sarif, gnu, checkstyle, codeclimate,
// gitlab, junit).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/engine.hpp"

namespace dockit::lint {

enum class OutputFormat { kTty, kJson, kSarif, kGnu, kCheckstyle, kCodeClimate, kGitlab, kJunit };
inline constexpr std::string_view kOutputFormatNames =
    "tty, json, sarif, gnu, checkstyle, codeclimate, gitlab, junit";

std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// clang/rustc style: `file:line:col: severity: message [rule]`, the source line with the range
// underlined, and a `help:` line when there is a fix.
// `color`: ANSI colours (only for a terminal; the CLI honours NO_COLOR and --color).
std::string FormatTty(const LintResult& result, bool color = false);

// Every other format covers all files at once (one JSON document, one SARIF run).
std::string FormatAll(OutputFormat format, const std::vector<LintResult>& results);

}  // namespace dockit::lint

// The machine formats behind FormatAll, one family per file: JSON-based (json, sarif,
// codeclimate, gitlab) in formats_json.cpp, XML-based (checkstyle, junit) in formats_xml.cpp.
#pragma once

#include <string>
#include <vector>

#include "linter/engine.hpp"

namespace dockit::lint {

std::string FormatJson(const std::vector<LintResult>& results);
std::string FormatSarif(const std::vector<LintResult>& results);
// Code Climate engine output: one JSON issue per finding, each followed by a NUL byte.
std::string FormatCodeClimate(const std::vector<LintResult>& results);
// GitLab code quality report: one JSON array of Code Climate issues with fingerprints.
std::string FormatGitlab(const std::vector<LintResult>& results);
std::string FormatCheckstyle(const std::vector<LintResult>& results);
// JUnit XML: one test case per finding, and one passing case per file without findings.
std::string FormatJunit(const std::vector<LintResult>& results);

}  // namespace dockit::lint

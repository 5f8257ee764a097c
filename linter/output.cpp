#include "linter/output.hpp"

#include "linter/formats.hpp"

namespace dockit::lint {

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "tty") return OutputFormat::kTty;
  if (name == "json") return OutputFormat::kJson;
  if (name == "sarif") return OutputFormat::kSarif;
  if (name == "gnu") return OutputFormat::kGnu;
  if (name == "checkstyle") return OutputFormat::kCheckstyle;
  if (name == "codeclimate") return OutputFormat::kCodeClimate;
  if (name == "gitlab") return OutputFormat::kGitlab;
  if (name == "junit") return OutputFormat::kJunit;
  return std::nullopt;
}

std::string FormatTty(const LintResult& result, bool color) {
  std::string out;
  for (const Finding& f : result.findings) {
    Diagnostic d{std::string(f.rule), f.message + " [" + std::string(f.Id()) + "]", f.range,
                 f.severity};
    out += Render(*result.file, d, color);
    if (f.fix) {
      out += (color ? "\033[1;32mhelp:\033[0m " : "help: ") + f.fix->description + "\n";
    }
  }
  return out;
}

std::string FormatAll(OutputFormat format, const std::vector<LintResult>& results) {
  switch (format) {
    case OutputFormat::kTty: {
      std::string out;
      for (const LintResult& r : results) out += FormatTty(r);
      return out;
    }
    case OutputFormat::kJson:
      return FormatJson(results);
    case OutputFormat::kSarif:
      return FormatSarif(results);
    case OutputFormat::kCodeClimate:
      return FormatCodeClimate(results);
    case OutputFormat::kGitlab:
      return FormatGitlab(results);
    case OutputFormat::kJunit:
      return FormatJunit(results);
    case OutputFormat::kGnu: {
      std::string out;
      for (const LintResult& r : results) {
        for (const Finding& f : r.findings) {
          out += r.file->Path() + ":" + std::to_string(f.range.begin.line) + "." +
                 std::to_string(f.range.begin.column) + "-" + std::to_string(f.range.end.line) +
                 "." + std::to_string(f.range.end.column) + ": " + SeverityName(f.severity) + ": " +
                 f.message + " [" + std::string(f.Id()) + "]\n";
        }
      }
      return out;
    }
    case OutputFormat::kCheckstyle:
      return FormatCheckstyle(results);
  }
  return {};
}

}  // namespace dockit::lint

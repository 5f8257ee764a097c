#include "linter/output.hpp"

#include <nlohmann/json.hpp>

namespace dockit::lint {
namespace {

using nlohmann::json;

json Aliases(std::string_view slug) {
  json out = json::array();
  if (const Rule* rule = FindRule(slug)) {
    for (std::string_view a : rule->info.aliases) out.push_back(std::string(a));
  }
  return out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SarifLevel(Severity s) {
  return s == Severity::kError ? "error" : s == Severity::kWarning ? "warning" : "note";
}

json FormatJson(const std::vector<LintResult>& results) {
  json out = json::array();
  for (const LintResult& r : results) {
    for (const Finding& f : r.findings) {
      json item = {{"file", r.file->Path()},
                   {"line", f.range.begin.line},
                   {"column", f.range.begin.column},
                   {"end_line", f.range.end.line},
                   {"end_column", f.range.end.column},
                   {"rule", std::string(f.rule)},
                   {"aliases", Aliases(f.rule)},
                   {"severity", SeverityName(f.severity)},
                   {"message", f.message}};
      if (!f.code.empty()) item["code"] = f.code;
      if (f.fix) {
        json edits = json::array();
        for (const TextEdit& e : f.fix->edits) {
          SourceRange range = r.file->RangeOf(e.begin, e.end);
          edits.push_back({{"line", range.begin.line},
                           {"column", range.begin.column},
                           {"end_line", range.end.line},
                           {"end_column", range.end.column},
                           {"replacement", e.replacement}});
        }
        item["fix"] = {{"description", f.fix->description}, {"edits", edits}};
      }
      out.push_back(std::move(item));
    }
  }
  return out;
}

json FormatSarif(const std::vector<LintResult>& results) {
  json rules = json::array();
  for (const Rule* rule : AllRules()) {
    rules.push_back({{"id", std::string(rule->info.slug)},
                     {"shortDescription", {{"text", std::string(rule->info.title)}}},
                     {"fullDescription", {{"text", std::string(rule->info.rationale)}}},
                     {"defaultConfiguration", {{"level", SarifLevel(rule->info.severity)}}},
                     {"properties", {{"aliases", Aliases(rule->info.slug)}}}});
  }
  json out_results = json::array();
  for (const LintResult& r : results) {
    for (const Finding& f : r.findings) {
      json region = {{"startLine", f.range.begin.line},
                     {"startColumn", f.range.begin.column},
                     {"endLine", f.range.end.line},
                     {"endColumn", f.range.end.column}};
      // A finer code is a hierarchical id under its rule: "shellcheck/SC2086".
      std::string rule_id = std::string(f.rule) + (f.code.empty() ? "" : "/" + f.code);
      json result = {{"ruleId", rule_id},
                     {"level", SarifLevel(f.severity)},
                     {"message", {{"text", f.message}}},
                     {"locations",
                      {{{"physicalLocation",
                         {{"artifactLocation", {{"uri", r.file->Path()}}}, {"region", region}}}}}}};
      if (f.fix) {
        json replacements = json::array();
        for (const TextEdit& e : f.fix->edits) {
          SourceRange range = r.file->RangeOf(e.begin, e.end);
          replacements.push_back({{"deletedRegion",
                                   {{"startLine", range.begin.line},
                                    {"startColumn", range.begin.column},
                                    {"endLine", range.end.line},
                                    {"endColumn", range.end.column}}},
                                  {"insertedContent", {{"text", e.replacement}}}});
        }
        result["fixes"] = {{{"description", {{"text", f.fix->description}}},
                            {"artifactChanges",
                             {{{"artifactLocation", {{"uri", r.file->Path()}}},
                               {"replacements", replacements}}}}}};
      }
      out_results.push_back(std::move(result));
    }
  }
  return {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver", {{"name", "dlint"}, {"informationUri", "docs/rules"}, {"rules", rules}}}}},
         {"results", out_results}}}}};
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "tty") return OutputFormat::kTty;
  if (name == "json") return OutputFormat::kJson;
  if (name == "sarif") return OutputFormat::kSarif;
  if (name == "gnu") return OutputFormat::kGnu;
  if (name == "checkstyle") return OutputFormat::kCheckstyle;
  return std::nullopt;
}

std::string FormatTty(const LintResult& result) {
  std::string out;
  for (const Finding& f : result.findings) {
    Diagnostic d{std::string(f.rule), f.message + " [" + std::string(f.Id()) + "]", f.range,
                 f.severity};
    out += Render(*result.file, d);
    if (f.fix) out += "help: " + f.fix->description + "\n";
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
      return FormatJson(results).dump(2) + "\n";
    case OutputFormat::kSarif:
      return FormatSarif(results).dump(2) + "\n";
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
    case OutputFormat::kCheckstyle: {
      std::string out =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
      for (const LintResult& r : results) {
        out += "  <file name=\"" + XmlEscape(r.file->Path()) + "\">\n";
        for (const Finding& f : r.findings) {
          out += "    <error line=\"" + std::to_string(f.range.begin.line) + "\" column=\"" +
                 std::to_string(f.range.begin.column) + "\" severity=\"" +
                 (f.severity == Severity::kStyle ? "info" : SeverityName(f.severity)) +
                 "\" message=\"" + XmlEscape(f.message) + "\" source=\"dlint." +
                 std::string(f.Id()) + "\"/>\n";
        }
        out += "  </file>\n";
      }
      return out + "</checkstyle>\n";
    }
  }
  return {};
}

}  // namespace dockit::lint

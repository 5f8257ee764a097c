#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "linter/formats.hpp"

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

std::string SarifLevel(Severity s) {
  return s == Severity::kError ? "error" : s == Severity::kWarning ? "warning" : "note";
}

// SARIF counts columns in UTF-16 code units unless the run says otherwise.
json SarifRegion(const SourceFile& file, const SourceRange& range) {
  return {{"startLine", range.begin.line},
          {"startColumn", file.Utf16Column(range.begin)},
          {"endLine", range.end.line},
          {"endColumn", file.Utf16Column(range.end)}};
}

std::string CodeClimateSeverity(Severity s) {
  switch (s) {
    case Severity::kError:
      return "critical";
    case Severity::kWarning:
      return "major";
    case Severity::kInfo:
      return "minor";
    case Severity::kStyle:
      return "info";
  }
  return "info";
}

// A fingerprint that survives edits elsewhere in the file: the file, the rule and the flagged
// text, plus the occurrence number among identical triples (FNV-1a, 64 bits).
class Fingerprints {
 public:
  std::string Next(const LintResult& r, const Finding& f) {
    std::string_view text =
        std::string_view(r.file->Text()).substr(f.range.begin.offset, f.range.Size());
    std::string key = r.file->Path() + '\0' + std::string(f.Id()) + '\0' + std::string(text);
    key += '\0' + std::to_string(seen_[key]++);
    uint64_t hash = 14695981039346656037ull;
    for (char c : key) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
  }

 private:
  std::map<std::string, int> seen_;
};

json CodeClimateIssue(const LintResult& r, const Finding& f, const std::string& fingerprint) {
  const Rule* rule = FindRule(f.rule);
  json issue = {{"type", "issue"},
                {"check_name", std::string(f.Id())},
                {"description", f.message},
                {"categories", {f.severity == Severity::kStyle ? "Style" : "Bug Risk"}},
                {"severity", CodeClimateSeverity(f.severity)},
                {"fingerprint", fingerprint},
                {"location",
                 {{"path", r.file->Path()},
                  {"lines", {{"begin", f.range.begin.line}, {"end", f.range.end.line}}}}}};
  if (rule) issue["content"] = {{"body", std::string(rule->info.rationale)}};
  return issue;
}

}  // namespace

std::string FormatJson(const std::vector<LintResult>& results) {
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
  return out.dump(2) + "\n";
}

std::string FormatSarif(const std::vector<LintResult>& results) {
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
      // A finer code is a hierarchical id under its rule: "shellcheck/SC2086".
      std::string rule_id = std::string(f.rule) + (f.code.empty() ? "" : "/" + f.code);
      json result = {{"ruleId", rule_id},
                     {"level", SarifLevel(f.severity)},
                     {"message", {{"text", f.message}}},
                     {"locations",
                      {{{"physicalLocation",
                         {{"artifactLocation", {{"uri", r.file->Path()}}},
                          {"region", SarifRegion(*r.file, f.range)}}}}}}};
      if (f.fix) {
        json replacements = json::array();
        for (const TextEdit& e : f.fix->edits) {
          replacements.push_back(
              {{"deletedRegion", SarifRegion(*r.file, r.file->RangeOf(e.begin, e.end))},
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
  json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver", {{"name", "dlint"}, {"informationUri", "docs/rules"}, {"rules", rules}}}}},
         {"columnKind", "utf16CodeUnits"},
         {"results", out_results}}}}};
  return sarif.dump(2) + "\n";
}

std::string FormatCodeClimate(const std::vector<LintResult>& results) {
  std::string out;
  Fingerprints fingerprints;
  for (const LintResult& r : results) {
    for (const Finding& f : r.findings) {
      out += CodeClimateIssue(r, f, fingerprints.Next(r, f)).dump();
      out += '\0';
    }
  }
  return out;
}

std::string FormatGitlab(const std::vector<LintResult>& results) {
  json out = json::array();
  Fingerprints fingerprints;
  for (const LintResult& r : results) {
    for (const Finding& f : r.findings) {
      out.push_back(CodeClimateIssue(r, f, fingerprints.Next(r, f)));
    }
  }
  return out.dump(2) + "\n";
}

}  // namespace dockit::lint

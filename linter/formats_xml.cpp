#include <string_view>

#include "linter/formats.hpp"
#include "parser/text.hpp"

namespace dockit::lint {
namespace {

std::string Position(const LintResult& r, const Finding& f) {
  return r.file->Path() + ":" + std::to_string(f.range.begin.line) + ":" +
         std::to_string(f.range.begin.column);
}

constexpr std::string_view kXmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

std::string FormatCheckstyle(const std::vector<LintResult>& results) {
  std::string out = std::string(kXmlHeader) + "<checkstyle version=\"4.3\">\n";
  for (const LintResult& r : results) {
    out += "  <file name=\"" + text::XmlEscape(r.file->Path()) + "\">\n";
    for (const Finding& f : r.findings) {
      out += "    <error line=\"" + std::to_string(f.range.begin.line) + "\" column=\"" +
             std::to_string(f.range.begin.column) + "\" severity=\"" +
             (f.severity == Severity::kStyle ? "info" : SeverityName(f.severity)) +
             "\" message=\"" + text::XmlEscape(f.message) + "\" source=\"dlint." +
             std::string(f.Id()) + "\"/>\n";
    }
    out += "  </file>\n";
  }
  return out + "</checkstyle>\n";
}

std::string FormatJunit(const std::vector<LintResult>& results) {
  size_t tests = 0;
  size_t failures = 0;
  std::string cases;
  for (const LintResult& r : results) {
    std::string file = text::XmlEscape(r.file->Path());
    if (r.findings.empty()) {
      ++tests;
      cases += "    <testcase classname=\"" + file + "\" name=\"" + file + "\"/>\n";
    }
    for (const Finding& f : r.findings) {
      ++tests;
      ++failures;
      std::string rule(f.Id());
      cases += "    <testcase classname=\"" + file + "\" name=\"" + text::XmlEscape(rule) + " at " +
               text::XmlEscape(Position(r, f)) + "\">\n      <failure type=\"" +
               SeverityName(f.severity) + "\" message=\"" + text::XmlEscape(f.message) + "\">" +
               text::XmlEscape(Position(r, f) + ": " + SeverityName(f.severity) + ": " + f.message +
                               " [" + rule + "]") +
               "</failure>\n    </testcase>\n";
    }
  }
  std::string counts =
      "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\"";
  return std::string(kXmlHeader) + "<testsuites name=\"dlint\" " + counts +
         ">\n  <testsuite name=\"dlint\" " + counts + " errors=\"0\" skipped=\"0\">\n" + cases +
         "  </testsuite>\n</testsuites>\n";
}

}  // namespace dockit::lint

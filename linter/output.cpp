#include "linter/output.hpp"

namespace dockit::lint {

std::string FormatTty(const LintResult& result) {
  std::string out;
  for (const Finding& f : result.findings) {
    Diagnostic d{std::string(f.rule), f.message + " [" + std::string(f.rule) + "]", f.range,
                 f.severity};
    out += Render(*result.file, d);
    if (f.fix) out += "help: " + f.fix->description + "\n";
  }
  return out;
}

}  // namespace dockit::lint

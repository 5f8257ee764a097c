#include "cli/dexec/common.hpp"

#include <iomanip>
#include <iostream>
#include <sstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/run_size.hpp"

namespace dockit::dexec {

void AddBuildArg(std::string_view kv, AnalyzeOptions* options) {
  size_t eq = kv.find('=');
  options->build_args[std::string(kv.substr(0, eq))] =
      eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1));
}

std::shared_ptr<const SyntaxTree> LoadDockerfile(const std::string& path, int* status) {
  std::string io_error;
  auto file = ReadSourceFile(path, &io_error);
  if (!file) {
    std::cerr << "dexec: " << io_error << "\n";
    *status = 2;
    return nullptr;
  }
  auto tree = ParseDockerfile(file);
  if (!tree) {
    std::cerr << Render(*file, tree.Error());
    *status = 1;
    return nullptr;
  }
  return *tree;
}

bool PrintAnalysisErrors(const SourceFile& file, const Analysis& analysis) {
  bool errors = false;
  for (const Diagnostic& d : analysis.diagnostics) {
    if (d.severity != Severity::kError) continue;
    std::cerr << Render(file, d);
    errors = true;
  }
  return errors;
}

void PrintError(const SourceFile& file, const Diagnostic& d) {
  if (d.range.end.offset == 0) {
    std::cerr << "dexec: " << d.message << "\n";
  } else {
    std::cerr << Render(file, d);
  }
}

std::string HumanSize(std::optional<uint64_t> bytes, std::string_view unknown) {
  return bytes ? plan::FormatSize(*bytes) : std::string(unknown);
}

std::string OneLine(const Instruction& ins, size_t width) {
  std::string text = ins.line.Text();
  for (char& c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

}  // namespace dockit::dexec

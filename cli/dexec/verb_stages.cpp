#include <iostream>
#include <string>

#include "cli/dexec/verbs.hpp"
#include "parser/dockerfile_parser.hpp"
#include "parser/instructions.hpp"

namespace dockit::dexec {

int RunStages(const std::vector<std::string_view>& args) {
  std::string path = "Dockerfile";
  AnalyzeOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-f" || args[i] == "--file") && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i] == "--build-arg" && i + 1 < args.size()) {
      std::string_view kv = args[++i];
      size_t eq = kv.find('=');
      options.build_args[std::string(kv.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1));
    } else {
      std::cerr << "usage: dexec stages [-f Dockerfile] [--build-arg K=V]...\n";
      return 2;
    }
  }
  std::string io_error;
  auto file = ReadSourceFile(path, &io_error);
  if (!file) {
    std::cerr << "dexec: " << io_error << "\n";
    return 2;
  }
  auto tree = ParseDockerfile(file);
  if (!tree) {
    std::cerr << Render(*file, tree.Error());
    return 1;
  }
  Analysis analysis = AnalyzeDockerfile(*tree, options);
  bool errors = false;
  for (const Diagnostic& d : analysis.diagnostics) {
    if (d.severity != Severity::kError) continue;
    std::cerr << Render(*file, d);
    errors = true;
  }
  if (errors) return 1;
  for (const Stage& stage : analysis.stages) {
    std::cout << "stage " << stage.index;
    if (!stage.name.empty()) std::cout << " \"" << stage.name << "\"";
    std::cout << " (line " << stage.instructions.front().syntax->range.begin.line << "): from ";
    if (stage.base_stage) {
      std::cout << "stage " << *stage.base_stage;
    } else {
      std::cout << stage.base.value;
    }
    if (stage.platform) std::cout << ", platform " << stage.platform->value;
    std::cout << ", " << stage.instructions.size() - 1 << " instruction"
              << (stage.instructions.size() == 2 ? "" : "s") << "\n";
  }
  return 0;
}

}  // namespace dockit::dexec

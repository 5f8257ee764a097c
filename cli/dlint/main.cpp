// dlint: the Dockerfile linter. This front-end stage parses and reports syntax errors; the
// `--print-ast buildkit` mode prints BuildKit's own dump of the tree.
#include <cstdio>
#include <iostream>
#include <string>

#include "parser/dockerfile_parser.hpp"
#include "parser/encoding.hpp"
#include "parser/instructions.hpp"

namespace {

int Usage() {
  std::cerr << "usage: dlint [--print-ast buildkit] DOCKERFILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string print_ast;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--print-ast" && i + 1 < argc) {
      print_ast = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      Usage();
      return 0;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::cerr << "dlint: unknown option " << arg << "\n";
      return Usage();
    } else {
      path = arg;
    }
  }
  if (path.empty()) return Usage();
  if (!print_ast.empty() && print_ast != "buildkit") {
    std::cerr << "dlint: unknown AST format \"" << print_ast << "\" (known: buildkit)\n";
    return 2;
  }
  std::string io_error;
  auto file = dockit::ReadSourceFile(path, &io_error);
  if (!file) {
    std::cerr << "dlint: " << io_error << "\n";
    return 2;
  }
  if (auto bad = dockit::CheckEncoding(*file); bad && print_ast.empty()) {
    std::cerr << dockit::Render(*file, *bad);
    return 1;
  }
  auto tree = dockit::ParseDockerfile(file);
  if (!tree) {
    std::cerr << dockit::Render(*file, tree.Error());
    return 1;
  }
  if (print_ast == "buildkit") {
    std::string dump = dockit::DumpBuildkit(**tree);
    std::fwrite(dump.data(), 1, dump.size(), stdout);
    return 0;
  }
  // Syntax warnings, then what BuildKit would refuse before building (errors) and undefined
  // variables (warnings), in source order.
  dockit::Analysis analysis = dockit::AnalyzeDockerfile(*tree);
  size_t errors = 0, warnings = (*tree)->warnings.size();
  for (const auto& w : (*tree)->warnings) std::cout << dockit::Render(*file, w);
  for (const auto& d : analysis.diagnostics) {
    std::cout << dockit::Render(*file, d);
    (d.severity == dockit::Severity::kError ? errors : warnings)++;
  }
  std::cout << path << ": " << (*tree)->instructions.size() << " instructions, "
            << analysis.stages.size() << " stage" << (analysis.stages.size() == 1 ? "" : "s")
            << ", " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings
            << " warning" << (warnings == 1 ? "" : "s") << "\n";
  return errors ? 1 : 0;
}

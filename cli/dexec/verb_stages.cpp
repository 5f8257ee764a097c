#include <iostream>
#include <string>

#include "cli/dexec/common.hpp"
#include "cli/dexec/verbs.hpp"
#include "parser/instructions.hpp"

namespace dockit::dexec {

int RunStages(const Args& args, const Globals& /*globals*/) {
  std::string path = "Dockerfile";
  AnalyzeOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-f" || args[i] == "--file") && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i] == "--build-arg" && i + 1 < args.size()) {
      AddBuildArg(args[++i], &options);
    } else {
      std::cerr << "usage: dexec stages [-f Dockerfile] [--build-arg K=V]...\n";
      return 2;
    }
  }
  int status = 0;
  auto tree = LoadDockerfile(path, &status);
  if (!tree) return status;
  Analysis analysis = AnalyzeDockerfile(tree, options);
  if (PrintAnalysisErrors(*tree->file, analysis)) return 1;
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

// `dexec graph`: the stage graph the planner builds, as text or Graphviz dot.
#include <iostream>
#include <string>

#include "cli/dexec/common.hpp"
#include "cli/dexec/verbs.hpp"
#include "parser/instructions.hpp"
#include "planner/stage_graph.hpp"

namespace dockit::dexec {
namespace {

constexpr const char* kUsage =
    "usage: dexec graph [-f Dockerfile] [--target STAGE] [--build-arg K=V]... [--format "
    "text|dot]\n";

std::string StageLabel(const Stage& s) {
  return s.name.empty() ? "stage " + std::to_string(s.index) : s.name;
}

std::string DotEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

int RunGraph(const Args& args, const Globals& /*globals*/) {
  std::string path = "Dockerfile";
  std::string format = "text";
  AnalyzeOptions options;
  plan::StageGraphOptions graph_options;
  for (size_t i = 0; i < args.size(); ++i) {
    bool has_value = i + 1 < args.size();
    if ((args[i] == "-f" || args[i] == "--file") && has_value) {
      path = args[++i];
    } else if (args[i] == "--target" && has_value) {
      graph_options.target = std::string(args[++i]);
    } else if (args[i] == "--format" && has_value &&
               (args[i + 1] == "text" || args[i + 1] == "dot")) {
      format = args[++i];
    } else if (args[i] == "--build-arg" && has_value) {
      AddBuildArg(args[++i], &options);
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  int status = 0;
  auto tree = LoadDockerfile(path, &status);
  if (!tree) return status;
  Analysis analysis = AnalyzeDockerfile(tree, options);
  if (PrintAnalysisErrors(*tree->file, analysis)) return 1;
  auto graph = plan::BuildStageGraph(analysis, graph_options);
  if (!graph) {
    PrintError(*tree->file, graph.Error());
    return 1;
  }
  if (format == "dot") {
    std::cout << "digraph stages {\n  rankdir=LR;\n";
    for (const Stage& s : analysis.stages) {
      std::cout << "  s" << s.index << " [label=\"" << DotEscape(StageLabel(s)) << "\\n"
                << DotEscape(s.base_stage ? "" : s.base.value) << "\""
                << (graph->needed[s.index] ? "" : ", style=dashed")
                << (s.index == graph->target ? ", penwidth=2" : "") << "];\n";
    }
    for (const plan::StageEdge& e : graph->edges) {
      std::cout << "  s" << e.from << " -> s" << e.to << " [label=\""
                << DotEscape(std::string(plan::EdgeKindName(e.kind))) << "\"];\n";
    }
    std::cout << "}\n";
    return 0;
  }
  std::cout << "target: " << StageLabel(analysis.stages[graph->target]) << "\n";
  for (size_t level = 0; level < graph->levels.size(); ++level) {
    std::cout << "level " << level << " (in parallel):";
    for (size_t s : graph->levels[level]) std::cout << " " << StageLabel(analysis.stages[s]);
    std::cout << "\n";
  }
  for (const plan::StageEdge& e : graph->edges) {
    std::cout << StageLabel(analysis.stages[e.to]) << " needs "
              << StageLabel(analysis.stages[e.from]) << " (" << plan::EdgeKindName(e.kind)
              << ", line " << e.range.begin.line << ")"
              << (graph->needed[e.to] ? "" : " [not needed for the target]") << "\n";
  }
  for (const Stage& s : analysis.stages) {
    if (!graph->needed[s.index]) std::cout << "skipped: " << StageLabel(s) << "\n";
  }
  return 0;
}

}  // namespace dockit::dexec

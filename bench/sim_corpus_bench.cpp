// Simulated builds of every Dockerfile in the real corpus (issue target: under 2 s in total).
// Each file gets a generated context first (not timed); what is timed is what `dexec --sim
// build` does: parse, plan (hashing the context), execute on the simulator. Bases the catalogue
// lacks are built on debian:bookworm, as in tests/sim/corpus_prediction_test.cpp.
// Usage: bench_sim_corpus [CORPUS_DIR]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_driver.hpp"
#include "sim/build_executor.hpp"
#include "sim/generated_context.hpp"

namespace fs = std::filesystem;
using namespace dockit;

int main(int argc, char** argv) {
  fs::path corpus =
      argc > 1 ? fs::path(argv[1]) : fs::path(DOCKIT_SHARED_DIR) / "corpus/real/dockerfile";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  fs::path work = fs::temp_directory_path() / ("dockit-sim-bench-" + std::to_string(getpid()));
  // Contexts first, untimed.
  std::vector<std::shared_ptr<const SyntaxTree>> trees(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    std::ifstream in(files[i], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto tree =
        ParseDockerfile(std::make_shared<SourceFile>(files[i].filename().string(), text.str()));
    if (!tree) continue;
    Analysis analysis = AnalyzeDockerfile(*tree);
    if (analysis.HasErrors()) continue;
    fs::create_directories(work / std::to_string(i));
    if (!sim::GenerateContext(analysis, (work / std::to_string(i)).string())) continue;
    trees[i] = *tree;
  }
  size_t built = 0, failed = 0, steps = 0;
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < files.size(); ++i) {
    if (!trees[i]) continue;
    std::string dir = (work / std::to_string(i)).string();
    // Parse again: the timed part is the whole of a build.
    auto tree = ParseDockerfile(trees[i]->file);
    plan::PlanOptions options;
    options.context_dir = dir;
    auto plan = plan::BuildPlan(*tree, options);
    if (!plan) {
      ++failed;
      continue;
    }
    sim::LayerStore layers;
    sim::TextStore texts;
    sim::BaseResolver resolver = sim::StandInResolver(layers, texts, "debian:bookworm");
    plan::BuildRecord record;
    sim::BuildExecutor executor(layers, texts, resolver, dir);
    auto outcome = plan::ExecutePlan(*plan, executor, record, {false, 0, nullptr, nullptr});
    if (!outcome) {
      ++failed;
      continue;
    }
    ++built;
    steps += outcome->steps.size();
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  fs::remove_all(work);
  std::cout << "simulated builds of the corpus: " << built << " built, " << failed << " failed, "
            << steps << " steps, " << ms << " ms in total (target < 2000 ms), "
            << (built ? ms / static_cast<double>(built) : 0) << " ms per Dockerfile\n";
  return 0;
}

// The planner's prediction against what the simulator then does, for every Dockerfile of the
// real corpus built against a generated context (sim/generated_context.hpp): the HIT/MISS of
// every step and every size the planner claims to know, on a first build and on a rebuild.
// Bases the catalogue does not have are built on debian:bookworm's layers instead (the corpus
// names hundreds of images; the catalogue, on purpose, only the common ones).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_driver.hpp"
#include "planner/predict.hpp"
#include "sim/build_executor.hpp"
#include "sim/generated_context.hpp"
#include "sim/image_catalogue.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

// Builds that fail on the simulator, and why; every other corpus file must build.
struct KnownFailure {
  const char* file;
  const char* why;
};
constexpr KnownFailure kKnownFailures[] = {
    // Genuine: python:3.7 has no virtualenv program; the real build fails the same way.
    {"GoogleCloudPlatform__cloud-builders-community__dataflow-python3__Dockerfile",
     "RUN virtualenv venv: python:3.7 has no virtualenv (sh: 1: virtualenv: not found)"},
    // The model cannot know: the RUN checks that a program it does not run (acarsdec, from an
    // opaque build) exits with status 1, and an opaque command's status is 0.
    {"tianon__dockerfiles__adsb__acarsdec__Dockerfile",
     "test \"$ret\" = 1 on the status of an opaque command"},
};

const KnownFailure* KnownFailureOf(const std::string& name) {
  for (const KnownFailure& k : kKnownFailures) {
    if (name == k.file) return &k;
  }
  return nullptr;
}

struct Tally {
  size_t files = 0, built = 0, invalid = 0, plan_errors = 0, build_errors = 0;
  size_t known_failures = 0;
  size_t steps = 0, sizes_compared = 0;
  std::map<std::string, size_t> compared_by_source;  // "command", "catalogue", "context", ...
  std::vector<std::string> mismatches;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CheckOne(const fs::path& dockerfile, const fs::path& dir, Tally& tally) {
  ++tally.files;
  auto tree = ParseDockerfile(
      std::make_shared<SourceFile>(dockerfile.filename().string(), ReadFile(dockerfile)));
  if (!tree) {
    ++tally.invalid;
    return;
  }
  Analysis analysis = AnalyzeDockerfile(*tree);
  if (analysis.HasErrors()) {
    ++tally.invalid;
    return;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  REQUIRE(GenerateContext(analysis, dir.string()));
  plan::PlanOptions options;
  options.context_dir = dir.string();
  auto plan = plan::BuildPlan(*tree, options);
  if (!plan) {
    ++tally.plan_errors;
    tally.mismatches.push_back(dockerfile.filename().string() + ": plan: " + plan.Error().message);
    return;
  }
  LayerStore layers;
  TextStore texts;
  BaseResolver resolver = StandInResolver(layers, texts, "debian:bookworm");
  plan::BuildRecord record;
  for (int round = 0; round < 2; ++round) {
    int64_t now = 1'700'000'000 + round * 600;
    plan::PredictOptions predict;
    predict.now = now;
    predict.context_dir = dir.string();
    plan::Prediction predicted = plan::Predict(*plan, record, predict);
    BuildExecutor executor(layers, texts, resolver, dir.string());
    plan::DriveOptions drive;
    drive.now = now;
    auto built = plan::ExecutePlan(*plan, executor, record, drive);
    if (!built && KnownFailureOf(dockerfile.filename().string())) {
      ++tally.known_failures;
      return;
    }
    if (!built) {
      ++tally.build_errors;
      tally.mismatches.push_back(dockerfile.filename().string() +
                                 ": build: " + built.Error().message);
      return;
    }
    for (const plan::StepReport& r : built->steps) {
      ++tally.steps;
      const plan::StepPrediction& p = predicted.steps[r.step];
      std::string where = dockerfile.filename().string() + " step " + std::to_string(r.number) +
                          " (round " + std::to_string(round + 1) + ")";
      if (p.verdict != r.verdict) tally.mismatches.push_back(where + ": verdict differs");
      if (p.size && plan->steps[r.step].kind != plan::StepKind::kBase) {
        ++tally.sizes_compared;
        std::string source = p.size_source.substr(0, p.size_source.find(':'));
        if (source == "catalogue") {
          // Which catalogue: apt (AptRunSize, PackageRunSize's apt part), pip or npm.
          source += p.size_source.find("pip:") != std::string::npos   ? " (pip)"
                    : p.size_source.find("npm:") != std::string::npos ? " (npm)"
                                                                      : " (apt)";
        }
        ++tally.compared_by_source[source];
        if (*p.size != r.size) {
          tally.mismatches.push_back(where + ": predicted " + std::to_string(*p.size) + " bytes (" +
                                     p.size_source + "), built " + std::to_string(r.size));
        }
      }
    }
  }
  ++tally.built;
  if (KnownFailureOf(dockerfile.filename().string())) {
    tally.mismatches.push_back(dockerfile.filename().string() +
                               ": listed as a known failure, but builds: update kKnownFailures");
  }
}

TEST_CASE("the planner's predictions equal the simulator's builds on the real corpus",
          "[sim][corpus]") {
  fs::path corpus = fs::path(DOCKIT_SHARED_DIR) / "corpus/real/dockerfile";
  REQUIRE(fs::exists(corpus));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  fs::path dir = fs::temp_directory_path() / ("dockit-corpus-ctx-" + std::to_string(getpid()));
  Tally tally;
  for (const fs::path& file : files) CheckOne(file, dir, tally);
  fs::remove_all(dir);
  std::ostringstream summary;
  summary << "files " << tally.files << ", built " << tally.built << ", invalid " << tally.invalid
          << ", plan errors " << tally.plan_errors << ", build errors " << tally.build_errors
          << ", known failures " << tally.known_failures << ", steps " << tally.steps
          << ", sizes compared " << tally.sizes_compared;
  for (const auto& [source, n] : tally.compared_by_source) {
    summary << "\n  sizes from " << source << ": " << n;
  }
  for (const KnownFailure& k : kKnownFailures) summary << "\n  known failure: " << k.file;
  WARN(summary.str());
  // DOCKIT_CORPUS_MISMATCHES=FILE writes every mismatch there, one a paragraph.
  if (const char* out = std::getenv("DOCKIT_CORPUS_MISMATCHES")) {
    std::ofstream file(out);
    for (const std::string& m : tally.mismatches) file << m << "\n\n";
  }
  std::string first;
  for (size_t i = 0; i < tally.mismatches.size() && i < 20; ++i) {
    first += tally.mismatches[i] + "\n";
  }
  INFO(first);
  CHECK(tally.mismatches.empty());
  CHECK(tally.built + tally.invalid + tally.known_failures == tally.files);
  CHECK(tally.sizes_compared > 0);
}

}  // namespace
}  // namespace dockit::sim

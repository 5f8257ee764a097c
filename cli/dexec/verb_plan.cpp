// `dexec plan`: the build plan with a cache prediction and a size per step.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/dexec/common.hpp"
#include "cli/dexec/plan_svg.hpp"
#include "cli/dexec/root.hpp"
#include "cli/dexec/verbs.hpp"
#include "planner/build_record.hpp"
#include "planner/declared_sizes.hpp"
#include "planner/digest_cache.hpp"
#include "planner/predict.hpp"
#include "planner/waste.hpp"
#include "sim/state_io.hpp"

namespace dockit::dexec {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: dexec plan [-f Dockerfile] [--target STAGE] [--build-arg K=V]... [--no-cache]\n"
    "                  [--sim [--state FILE]] [--root DIR] [--sizes FILE]\n"
    "                  [--format table|json|dot|svg] CONTEXT\n"
    "\n"
    "  --sizes FILE  declared sizes of downloads and commands (`url URL SIZE`, `command SIZE\n"
    "                TEXT`; planner/declared_sizes.hpp); default: CONTEXT/dexec.sizes when it\n"
    "                exists\n";

std::string StageName(const plan::Plan& plan, size_t stage) {
  const Stage& s = plan.analysis.stages[stage];
  return s.name.empty() ? "#" + std::to_string(s.index) : s.name;
}

}  // namespace

int RunPlan(const Args& args, const Globals& globals) {
  std::string dockerfile;
  std::string context;
  std::string format = "table";
  std::string root = globals.root.empty() ? DefaultRoot() : globals.root;
  bool sim = globals.sim;
  std::string sizes_path;
  plan::PlanOptions options;
  plan::PredictOptions predict;
  for (size_t i = 0; i < args.size(); ++i) {
    bool has_value = i + 1 < args.size();
    std::string_view a = args[i];
    if ((a == "-f" || a == "--file") && has_value) {
      dockerfile = args[++i];
    } else if (a == "--target" && has_value) {
      options.target = std::string(args[++i]);
    } else if (a == "--build-arg" && has_value) {
      AddBuildArg(args[++i], &options.analyze);
    } else if (a == "--no-cache") {
      predict.no_cache = true;
    } else if (a == "--sizes" && has_value) {
      sizes_path = args[++i];
    } else if (a == "--format" && has_value) {
      format = args[++i];
      if (format != "table" && format != "json" && format != "dot" && format != "svg") {
        std::cerr << "dexec plan: unknown format \"" << format << "\" (table, json, dot, svg)\n";
        return 2;
      }
    } else if (!a.starts_with('-') && context.empty()) {
      context = a;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (context.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (dockerfile.empty()) dockerfile = (fs::path(context) / "Dockerfile").string();
  options.context_dir = context;
  predict.context_dir = context;
  std::optional<plan::DeclaredSizes> declared;
  if (sizes_path.empty() && fs::exists(fs::path(context) / "dexec.sizes")) {
    sizes_path = (fs::path(context) / "dexec.sizes").string();
  }
  if (!sizes_path.empty()) {
    std::string error;
    auto file = ReadSourceFile(sizes_path, &error);
    if (!file) {
      std::cerr << "dexec: " << error << "\n";
      return 2;
    }
    auto parsed = plan::ParseDeclaredSizes(*file);
    if (!parsed) {
      PrintError(*file, parsed.Error());
      return 1;
    }
    declared = *parsed;
    predict.declared = &*declared;
  }

  int status = 0;
  auto tree = LoadDockerfile(dockerfile, &status);
  if (!tree) return status;
  std::string warning;
  std::string digests_path = (fs::path(root) / "digests").string();
  plan::DigestCache digests = plan::DigestCache::Load(digests_path, &warning);
  if (!warning.empty()) std::cerr << "dexec: " << warning << "\n";
  options.digests = &digests;
  auto built = plan::BuildPlan(tree, options);
  if (!built) {
    PrintError(*tree->file, built.Error());
    return 1;
  }
  const plan::Plan& p = *built;
  // The record of the backend the plan is for: the simulated world's (its virtual clock too),
  // or the real runtime's.
  plan::BuildRecord record;
  predict.now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  if (sim) {
    auto world = sim::LoadWorld(globals.StatePath());
    if (!world) {
      std::cerr << "dexec: " << world.Error().message << "\n";
      return 2;
    }
    record = world->Record();
    predict.now = world->Now();
  } else {
    auto loaded = plan::BuildRecord::Load((fs::path(root) / "runtime" / "record.json").string());
    if (!loaded) {
      std::cerr << "dexec: " << loaded.Error().message << "\n";
      return 2;
    }
    record = std::move(loaded).Value();
  }
  plan::Prediction prediction = plan::Predict(p, record, predict);
  plan::Waste waste = plan::ComputeWaste(p, prediction);
  // Remember the digests for the next plan (a cache: failing to write it is only a warning).
  std::error_code ec;
  fs::create_directories(root, ec);
  std::string error;
  if (digests.Dirty() && !digests.Save(digests_path, &error)) {
    std::cerr << "dexec: warning: " << error << "\n";
  }

  if (format == "svg") {
    std::cout << PlanSvg(p, prediction, waste);
    return 0;
  }
  if (format == "dot") {
    std::cout << "digraph plan {\n  rankdir=TB;\n  node [shape=box];\n";
    for (size_t i = 0; i < p.steps.size(); ++i) {
      const plan::Step& s = p.steps[i];
      const auto& pr = prediction.steps[i];
      std::string label = OneLine(*s.instruction, 40);
      std::string escaped;
      for (char c : label) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
      }
      std::cout << "  n" << i << " [label=\"" << StageName(p, s.stage) << ": " << escaped << "\""
                << (pr.verdict == plan::CacheVerdict::kHit    ? ", color=green"
                    : pr.verdict == plan::CacheVerdict::kMiss ? ", color=red"
                                                              : ", style=dashed")
                << "];\n";
      if (s.parent) std::cout << "  n" << *s.parent << " -> n" << i << ";\n";
      if (s.from_stage && p.stage_last[*s.from_stage]) {
        std::cout << "  n" << *p.stage_last[*s.from_stage] << " -> n" << i << " [style=dotted];\n";
      }
    }
    std::cout << "}\n";
    return 0;
  }
  if (format == "json") {
    nlohmann::json steps = nlohmann::json::array();
    for (size_t i = 0; i < p.steps.size(); ++i) {
      const plan::Step& s = p.steps[i];
      const auto& pr = prediction.steps[i];
      if (s.kind == plan::StepKind::kConfig) continue;
      const Stage& stage = p.analysis.stages[s.stage];
      size_t index = 0;
      for (size_t k = 0; k < stage.instructions.size(); ++k) {
        if (stage.instructions[k].syntax == s.instruction) index = k;
      }
      steps.push_back({{"stage", StageName(p, s.stage)},
                       {"index", index},
                       {"line", s.instruction->range.begin.line},
                       {"instruction", OneLine(*s.instruction, 200)},
                       {"cache", pr.verdict == plan::CacheVerdict::kHit ? "hit" : "miss"},
                       {"reason", pr.reason},
                       {"size_bytes", pr.size ? nlohmann::json(*pr.size) : nlohmann::json()},
                       {"size_source", pr.size_source},
                       {"key", s.key}});
    }
    nlohmann::json out = {
        {"steps", steps},
        {"image_size_bytes",
         prediction.image_size ? nlohmann::json(*prediction.image_size) : nlohmann::json()},
        {"wasted_bytes", waste.wasted_bytes}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(5) << "STEP" << std::setw(10) << "STAGE" << std::setw(44)
            << "INSTRUCTION" << std::setw(6) << "CACHE" << std::setw(10) << "SIZE"
            << "REASON\n";
  size_t number = 0;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const plan::Step& s = p.steps[i];
    const auto& pr = prediction.steps[i];
    if (s.kind == plan::StepKind::kConfig) continue;
    ++number;
    std::cout << std::left << std::setw(5) << number << std::setw(10) << StageName(p, s.stage)
              << std::setw(44) << OneLine(*s.instruction, 42) << std::setw(6)
              << (pr.verdict == plan::CacheVerdict::kHit ? "HIT" : "MISS") << std::setw(10)
              << HumanSize(pr.size) << pr.reason;
    // Estimates and declarations say where their figure comes from.
    if (pr.size_source.starts_with("catalogue: ") || pr.size_source.starts_with("declared: ")) {
      std::cout << " (size: " << pr.size_source << ")";
    }
    std::cout << "\n";
  }
  std::cout << "image (" << StageName(p, p.graph.target) << "): ";
  if (prediction.image_size) {
    std::cout << HumanSize(prediction.image_size) << "\n";
  } else {
    std::cout << "at least " << HumanSize(prediction.known_size)
              << " (some layer sizes are unknown until built)\n";
  }
  // Deleting in a later layer never shrinks the image: the bytes stay in the earlier layer.
  std::cout << "waste: " << HumanSize(waste.wasted_bytes) << " in " << waste.files.size() << " file"
            << (waste.files.size() == 1 ? "" : "s");
  if (waste.efficiency) {
    std::cout << std::fixed << std::setprecision(1) << ", efficiency " << *waste.efficiency * 100
              << "%";
  }
  std::cout << " (files from the context that a later layer deletes or overwrites; files made "
               "by RUN are not known before the build)\n";
  for (size_t i = 0; i < waste.files.size() && i < 5; ++i) {
    const plan::WastedFile& w = waste.files[i];
    std::cout << "  " << HumanSize(w.bytes) << "  " << w.path << ": added by line "
              << p.steps[w.added_by].instruction->range.begin.line << ", "
              << (w.overwritten ? "overwritten" : "deleted") << " by line "
              << p.steps[w.removed_by].instruction->range.begin.line << "\n";
  }
  return 0;
}

}  // namespace dockit::dexec

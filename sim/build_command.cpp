#include "sim/build_command.hpp"

#include <filesystem>
#include <map>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_driver.hpp"
#include "planner/declared_sizes.hpp"
#include "planner/run_size.hpp"
#include "sim/generated_context.hpp"
#include "sim/world.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

Diagnostic BuildError(std::string message) {
  return Diagnostic{"sim-build", std::move(message), {}, Severity::kError};
}

std::string StageLabel(const plan::Plan& plan, size_t stage) {
  const Stage& s = plan.analysis.stages[stage];
  return s.name.empty() ? "stage-" + std::to_string(s.index) : s.name;
}

std::string Instruction(const plan::Step& step) {
  // FROM as BuildKit shows it: the image with its variables expanded.
  if (step.kind == plan::StepKind::kBase) return "FROM " + step.image;
  std::string text = step.instruction->line.Text();
  std::string out;
  bool blank = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  if (out.size() > 100) out = out.substr(0, 97) + "...";
  return out;
}

}  // namespace

Result<LayerStack> StackFromStore(const LayerStore& layers, const std::vector<std::string>& ids) {
  LayerStack stack;
  for (const std::string& id : ids) {
    auto it = layers.find(id);
    if (it == layers.end()) return BuildError("layer " + id + " is missing from the store");
    Result<LayerStack> next = stack.Push(it->second);
    if (!next) return next.Error();
    stack = std::move(next).Value();
  }
  return stack;
}

Result<BuildResult> RunBuild(const BuildRequest& request, BuildWorld& world, std::ostream& out) {
  std::string dockerfile = request.dockerfile.empty()
                               ? (fs::path(request.context) / "Dockerfile").string()
                               : request.dockerfile;
  std::error_code ec;
  if (!fs::is_directory(request.context, ec)) {
    return BuildError("unable to prepare context: path \"" + request.context + "\" not found");
  }
  std::string io_error;
  auto file = ReadSourceFile(dockerfile, &io_error);
  if (!file) return BuildError("failed to read dockerfile: " + io_error);
  auto tree = ParseDockerfile(file);
  if (!tree) return tree.Error();
  out << "#1 [internal] load build definition from " << fs::path(dockerfile).filename().string()
      << "\n#1 transferring dockerfile: " << plan::FormatSize(file->Text().size()) << " done\n";
  if (request.generate_context) {
    Analysis analysis = AnalyzeDockerfile(*tree, request.analyze);
    Result<size_t> made = GenerateContext(analysis, request.context);
    if (!made) return made.Error();
    if (*made) out << "#1 generated " << *made << " missing context files\n";
  }
  plan::PlanOptions options;
  options.analyze = request.analyze;
  options.target = request.target;
  options.context_dir = request.context;
  Result<plan::Plan> plan = plan::BuildPlan(*tree, options);
  if (!plan) return plan.Error();
  // What the context sends: the files the plan selected, counted once each.
  std::map<std::string, uint64_t> sent;
  for (const plan::Step& s : plan->steps) {
    for (const plan::PlannedFile& f : s.files) sent[f.path] = f.size;
  }
  uint64_t context_bytes = 0;
  for (const auto& [path, size] : sent) context_bytes += size;
  out << "#2 [internal] load build context\n#2 transferring context: "
      << plan::FormatSize(context_bytes) << " in " << sent.size() << " file"
      << (sent.size() == 1 ? "" : "s") << " done\n";

  // Per-stage step numbers as BuildKit shows them: [stage 2/5].
  std::map<size_t, size_t> per_stage, stage_total, index_in_stage;
  for (size_t i = 0; i < plan->steps.size(); ++i) {
    const plan::Step& s = plan->steps[i];
    if (s.kind == plan::StepKind::kConfig) continue;
    index_in_stage[i] = ++stage_total[s.stage];
  }
  const size_t offset = 2;  // #1 and #2 are the definition and the context
  bool multi_stage = plan->analysis.stages.size() > 1;
  plan::DriveOptions drive;
  drive.no_cache = request.no_cache;
  drive.now = world.now;
  drive.on_start = [&](const plan::Step& step, size_t number) {
    out << "#" << number + offset << " ["
        << (multi_stage ? StageLabel(*plan, step.stage) + " " : "")
        << index_in_stage[static_cast<size_t>(&step - plan->steps.data())] << "/"
        << stage_total[step.stage] << "] " << Instruction(step) << "\n";
  };
  drive.on_done = [&](const plan::StepReport& r) {
    std::string id = "#" + std::to_string(r.number + offset);
    const plan::Step& step = plan->steps[r.step];
    if (step.kind == plan::StepKind::kBase) {
      out << id << " DONE\n";
      return;
    }
    if (r.verdict == plan::CacheVerdict::kHit) {
      out << id << " CACHED\n";
      return;
    }
    out << id << " rebuilding: " << r.reason << "\n";
    size_t at = 0;
    while (at < r.output.size()) {
      size_t end = r.output.find('\n', at);
      if (end == std::string::npos) end = r.output.size();
      out << id << " " << r.output.substr(at, end - at) << "\n";
      at = end + 1;
    }
    out << id << " DONE " << plan::FormatSize(r.size) << "\n";
  };
  BuildExecutor executor(world.layers, world.texts, world.resolve_base, request.context);
  // Declared sizes, as `dexec plan` reads them by default: <context>/dexec.sizes.
  std::optional<plan::DeclaredSizes> declared;
  if (fs::path sizes = fs::path(request.context) / "dexec.sizes"; fs::exists(sizes, ec)) {
    std::string sizes_error;
    auto sizes_file = ReadSourceFile(sizes.string(), &sizes_error);
    if (!sizes_file) return BuildError("failed to read dexec.sizes: " + sizes_error);
    Result<plan::DeclaredSizes> parsed = plan::ParseDeclaredSizes(*sizes_file);
    if (!parsed) return parsed.Error();
    declared = std::move(parsed).Value();
    executor.SetDeclared(&*declared);
  }
  Result<plan::BuildOutcome> outcome = plan::ExecutePlan(*plan, executor, world.record, drive);
  if (!outcome) return outcome.Error();
  Result<LayerStack> stack = StackFromStore(world.layers, outcome->image.layers);
  if (!stack) return stack.Error();
  BuildResult result;
  result.plan = std::make_shared<const plan::Plan>(std::move(*plan));
  result.image = Image{std::move(*stack), outcome->image.config, outcome->image.history, world.now};
  result.steps = std::move(outcome->steps);
  for (const plan::StepReport& r : result.steps) {
    if (r.verdict == plan::CacheVerdict::kHit) ++result.cached;
  }
  size_t exporting = offset + (result.steps.empty() ? 0 : result.steps.back().number) + 1;
  out << "#" << exporting << " exporting to image\n#" << exporting << " writing image "
      << ImageId(result.image) << " done\n";
  for (const std::string& tag : request.tags) {
    out << "#" << exporting << " naming to docker.io/library/" << NormalizeReference(tag)
        << " done\n";
  }
  out << "#" << exporting << " DONE\n";
  return result;
}

}  // namespace dockit::sim

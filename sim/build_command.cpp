#include "sim/build_command.hpp"

#include <filesystem>
#include <map>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_driver.hpp"
#include "planner/build_progress.hpp"
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
  plan::BuildProgress::Definition(out, fs::path(dockerfile).filename().string(),
                                  file->Text().size());
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
  plan::BuildProgress progress(*plan, out);
  progress.Context();
  plan::DriveOptions drive;
  drive.no_cache = request.no_cache;
  drive.now = world.now;
  drive.on_start = [&](const plan::Step& step, size_t number) { progress.Start(step, number); };
  drive.on_done = [&](const plan::StepReport& r) { progress.Done(r); };
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
  std::vector<std::string> names;
  for (const std::string& tag : request.tags) {
    names.push_back("docker.io/library/" + NormalizeReference(tag));
  }
  progress.Exporting(progress.ExportNumber(result.steps), ImageId(result.image), names);
  return result;
}

}  // namespace dockit::sim

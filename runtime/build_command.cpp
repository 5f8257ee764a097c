#include "runtime/build_command.hpp"

#include <chrono>
#include <filesystem>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_progress.hpp"
#include "planner/digest_cache.hpp"
#include "planner/predict.hpp"
#include "runtime/real_executor.hpp"

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;

Diagnostic BuildError(std::string message) {
  return Diagnostic{"runtime-build", std::move(message), {}, Severity::kError};
}

std::string DockerfilePath(const RealBuildRequest& request) {
  return request.dockerfile.empty() ? (fs::path(request.context) / "Dockerfile").string()
                                    : request.dockerfile;
}

// Whether `image` already is what the build made: the same layers, history lines and config.
// A build that ran nothing then tags that image again instead of writing a new config and
// manifest, so a no-op rebuild writes nothing and keeps the image ID, as BuildKit's does.
bool SameImage(const StoredImage& image, const plan::BuiltImage& built) {
  std::vector<std::string> layers;
  for (const LayerInfo& layer : image.layers) layers.push_back(layer.diff_id);
  if (layers != built.layers || image.history.size() != built.history.size()) return false;
  for (size_t i = 0; i < image.history.size(); ++i) {
    if (image.history[i].created_by != built.history[i].created_by ||
        image.history[i].empty_layer != built.history[i].empty_layer) {
      return false;
    }
  }
  const plan::ImageConfig& a = image.config;
  const plan::ImageConfig& b = built.config;
  return a.env == b.env && a.entrypoint == b.entrypoint && a.cmd == b.cmd && a.user == b.user &&
         a.working_dir == b.working_dir && a.exposed_ports == b.exposed_ports &&
         a.volumes == b.volumes && a.labels == b.labels && a.healthcheck == b.healthcheck &&
         a.stop_signal == b.stop_signal && a.shell == b.shell && a.onbuild == b.onbuild;
}

// The image a build that ran no step can reuse: the one its first tag names, if unchanged.
std::optional<StoredImage> Unchanged(const Store& store, const RealBuildRequest& request,
                                     const plan::BuildOutcome& outcome) {
  for (const plan::StepReport& r : outcome.steps) {
    if (r.verdict != plan::CacheVerdict::kHit) return std::nullopt;
  }
  if (request.tags.empty() || !store.Resolve(request.tags.front())) return std::nullopt;
  Result<StoredImage> tagged = LoadImage(store, request.tags.front());
  if (!tagged || !SameImage(*tagged, outcome.image)) return std::nullopt;
  return *tagged;
}

}  // namespace

std::string QualifiedName(std::string_view reference) {
  std::string name(reference);
  size_t slash = name.rfind('/');
  if (name.find(':', slash == std::string::npos ? 0 : slash) == std::string::npos) {
    name += ":latest";
  }
  size_t first = name.find('/');
  bool has_registry = first != std::string::npos &&
                      (name.substr(0, first).find_first_of(".:") != std::string::npos ||
                       name.substr(0, first) == "localhost");
  if (has_registry) return name;
  return first == std::string::npos ? "docker.io/library/" + name : "docker.io/" + name;
}

std::string RenderBuildError(const RealBuildRequest& request, const Diagnostic& error) {
  if (error.range.end.offset == 0) return "ERROR: " + error.message + "\n";
  std::string io_error;
  auto file = ReadSourceFile(DockerfilePath(request), &io_error);
  if (!file) return "ERROR: " + error.message + "\n";
  return "ERROR: " + Render(*file, error);
}

Result<RealBuildResult> RunRealBuild(const RealBuildRequest& request, const Store& store,
                                     std::ostream& out) {
  std::error_code ec;
  if (!fs::is_directory(request.context, ec)) {
    return BuildError("unable to prepare context: path \"" + request.context + "\" not found");
  }
  Result<StoreLock> lock = store.LockShared();
  if (!lock) return lock.Error();

  std::string dockerfile = DockerfilePath(request);
  std::string io_error;
  auto file = ReadSourceFile(dockerfile, &io_error);
  if (!file) return BuildError("failed to read dockerfile: " + io_error);
  auto tree = ParseDockerfile(file);
  if (!tree) return tree.Error();
  plan::BuildProgress::Definition(out, fs::path(dockerfile).filename().string(),
                                  file->Text().size());
  Result<plan::BuildRecord> record = store.LoadRecord();
  if (!record) return record.Error();
  // The digests `dexec plan` keeps: an unchanged context is not read again (no-op rebuilds).
  std::string digests_path = (fs::path(request.root) / "digests").string();
  plan::DigestCache digests = plan::DigestCache::Load(digests_path);
  plan::PlanOptions options;
  options.analyze = request.analyze;
  options.target = request.target;
  options.context_dir = request.context;
  options.digests = &digests;
  Result<plan::Plan> planned = plan::BuildPlan(*tree, options);
  if (!planned) return planned.Error();
  const plan::Plan& plan = *planned;
  std::string digests_error;
  if (digests.Dirty()) (void)digests.Save(digests_path, &digests_error);  // only a cache

  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  plan::BuildProgress progress(plan, out);
  progress.Context();
  size_t running = 0;  // the number of the step whose output streams
  RealExecutor executor(store, request.context, request.network,
                        [&](std::string_view chunk) { progress.Output(running, chunk); });
  // The driver's verdicts are these predictions: knowing them at a step's start lets the
  // progress say why it is rebuilt before its output streams.
  plan::PredictOptions predict;
  predict.no_cache = request.no_cache;
  predict.now = now;
  plan::Prediction prediction = plan::Predict(plan, *record, predict);
  // Only a build that runs a step needs the sandbox (root, overlayfs, namespaces): a no-op
  // rebuild skips probing for it, which costs a process in new namespaces.
  bool runs = false;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const plan::Step& step = plan.steps[i];
    if (step.kind == plan::StepKind::kConfig || step.kind == plan::StepKind::kBase) continue;
    const plan::RecordEntry* entry = record->Find(step.key);
    runs |= prediction.steps[i].verdict != plan::CacheVerdict::kHit || !entry ||
            (!entry->layer_digest.empty() && !executor.HasLayer(entry->layer_digest));
  }
  if (runs) {
    if (std::optional<std::string> missing = SandboxUnavailable()) {
      return BuildError(*missing +
                        "; `dexec --sim build` runs the same plan on the simulator, "
                        "which needs neither");
    }
    // Every overlay this process mounts (COPY, WORKDIR) goes away with it, even on SIGKILL.
    Status private_mounts = PrivateMountNamespace();
    if (!private_mounts) return private_mounts.Error();
  }
  plan::DriveOptions drive;
  drive.no_cache = request.no_cache;
  drive.now = now;
  auto started = std::chrono::steady_clock::now();  // of the running step
  drive.on_start = [&](const plan::Step& step, size_t number) {
    started = std::chrono::steady_clock::now();
    running = number;
    progress.Start(step, number);
    if (step.kind == plan::StepKind::kBase) return;
    const plan::StepPrediction& predicted = prediction.steps[&step - plan.steps.data()];
    const plan::RecordEntry* entry = record->Find(step.key);
    bool hit = predicted.verdict == plan::CacheVerdict::kHit && entry &&
               (entry->layer_digest.empty() || executor.HasLayer(entry->layer_digest));
    if (hit) return;
    progress.Rebuilding(number, predicted.verdict == plan::CacheVerdict::kHit
                                    ? "its layer is no longer held by the runtime backend"
                                    : predicted.reason);
  };
  // What finished steps made goes into the store's record: a slow step's at once, so a build
  // killed later keeps it; quick ones together at the end (or at the failure), since each
  // record update is a synced rewrite that would cost more than redoing such a step.
  std::vector<std::pair<size_t, plan::RecordEntry>> pending;
  auto flush = [&]() -> Status {
    if (pending.empty()) return OkStatus();
    Status saved = store.UpdateRecord([&](plan::BuildRecord& kept) {
      for (const auto& [index, entry] : pending) kept.Remember(plan, plan.steps[index], entry);
    });
    pending.clear();
    return saved;
  };
  Status recorded = OkStatus();
  drive.on_done = [&](const plan::StepReport& r) {
    progress.Done(r);
    if (r.verdict == plan::CacheVerdict::kHit || !recorded) return;
    pending.emplace_back(r.step, plan::RecordEntry{r.layer, r.size, now, executor.Backend()});
    if (std::chrono::steady_clock::now() - started > std::chrono::milliseconds(200)) {
      recorded = flush();
    }
  };
  Result<plan::BuildOutcome> outcome = plan::ExecutePlan(plan, executor, record.Value(), drive);
  if (recorded) recorded = flush();
  if (!outcome) return outcome.Error();
  if (!recorded) return recorded.Error();

  std::optional<StoredImage> unchanged = Unchanged(store, request, *outcome);
  Result<StoredImage> image = unchanged
                                  ? Result<StoredImage>(*unchanged)
                                  : CommitImage(store, outcome->image.layers, outcome->image.config,
                                                outcome->image.history, now);
  if (!image) return image.Error();
  std::vector<std::string> names;
  for (size_t i = 0; i < request.tags.size(); ++i) {
    const std::string& tag = request.tags[i];
    if (unchanged && i == 0) {
      names.push_back(QualifiedName(tag));
      continue;  // already this image's name
    }
    Status tagged = store.Tag(tag, image->manifest_digest);
    if (!tagged) return tagged.Error();
    names.push_back(QualifiedName(tag));
  }
  progress.Exporting(progress.ExportNumber(outcome->steps), image->config_digest, names);
  RealBuildResult result;
  result.image = std::move(*image);
  result.steps = std::move(outcome->steps);
  for (const plan::StepReport& r : result.steps) {
    if (r.verdict == plan::CacheVerdict::kHit) ++result.cached;
  }
  return result;
}

}  // namespace dockit::runtime

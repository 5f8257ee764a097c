#include "runtime/real_executor.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "planner/digest.hpp"
#include "runtime/build_overlay.hpp"
#include "runtime/copy_paths.hpp"
#include "runtime/copy_step.hpp"
#include "runtime/oci.hpp"

namespace dockit::runtime {
namespace {

using plan::Step;
using plan::StepKind;

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Diagnostic Error(std::string message) {
  return Diagnostic{"runtime-build", std::move(message), {}, Severity::kError};
}

std::vector<std::string> LayerDirs(const Store& store, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& id : ids) out.push_back(store.LayerDir(id));
  return out;
}

// The RUN's environment: the image's, then the step's ARG values it does not set (as the
// simulator does), and Docker's default PATH when nothing set one.
std::vector<std::pair<std::string, std::string>> RunEnv(const plan::ImageConfig& config,
                                                        const Step& step) {
  std::vector<std::pair<std::string, std::string>> env = config.env;
  for (const auto& [name, value] : step.env) {
    bool set = std::any_of(env.begin(), env.end(), [&](const auto& e) { return e.first == name; });
    if (!set) env.emplace_back(name, value);
  }
  bool has_path =
      std::any_of(env.begin(), env.end(), [](const auto& e) { return e.first == "PATH"; });
  if (!has_path) env.emplace_back("PATH", kDefaultPath);
  return env;
}

// Keeps `inner` beneath `outer` (both absolute, lexically normal after canonicalising).
bool Beneath(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

}  // namespace

RealExecutor::RealExecutor(const Store& store, std::string context_dir, NetworkMode network,
                           std::function<void(std::string_view)> on_output)
    : store_(store),
      context_dir_(std::move(context_dir)),
      network_(network),
      on_output_(std::move(on_output)) {}

Result<plan::BaseImage> RealExecutor::Base(const std::string& reference) {
  if (reference == "scratch") return plan::BaseImage{};
  if (!store_.Resolve(reference)) {
    std::string root = std::filesystem::path(store_.Dir()).parent_path().string();
    return Diagnostic{"image-not-found",
                      "image " + reference + " not found in " + root +
                          ": dexec import/load it first (no registry access)",
                      {},
                      Severity::kError};
  }
  Result<StoredImage> image = LoadImage(store_, reference);
  if (!image) return image.Error();
  plan::BaseImage base;
  for (const LayerInfo& layer : image->layers) {
    base.layers.push_back(layer.diff_id);
    base.size += layer.size;
  }
  base.config = image->config;
  base.history = image->history;
  return base;
}

bool RealExecutor::HasLayer(const std::string& diff_id) const { return store_.HasLayer(diff_id); }

Result<plan::StepOutput> RealExecutor::Execute(const plan::StepInput& input) {
  const Step& step = input.plan->steps[input.step];
  plan::StepOutput out;
  out.config = plan::ConfigAfter(*input.plan, step, input.config);
  Result<StepScratch> scratch =
      StepScratch::Make(store_, "step", /*with_view=*/step.kind != StepKind::kRun);
  if (!scratch) return scratch.Error();
  std::vector<std::string> lowers = LayerDirs(store_, input.parent_layers);
  switch (step.kind) {
    case StepKind::kRun: {
      Result<SandboxSpec> spec = RunSpec(step, input.config, *scratch, lowers);
      if (!spec) return spec.Error();
      Result<SandboxResult> ran = RunSandboxed(*spec, on_output_);
      if (!ran) return ExplainSandboxFailure(ran.Error());
      out.output = std::move(ran->output);
      if (ran->exit_code != 0) {
        out.exit_code = ran->exit_code;
        return out;  // the driver makes the positioned error; the scratch goes away
      }
      break;
    }
    case StepKind::kCopy:
    case StepKind::kWorkdir: {
      // The copy runs in this process, in an overlay of the parent (nothing under --link, as
      // BuildKit's --link layers do not depend on what is below), so that overlayfs records
      // what the copy replaces in the upper directory.
      Result<OverlayMount> view =
          OverlayMount::Mount(step.link ? std::vector<std::string>{} : lowers, scratch->Upper(),
                              scratch->Work(), scratch->Merged(), scratch->Dir() + "/empty");
      if (!view) return view.Error();
      Status done = OkStatus();
      if (step.kind == StepKind::kWorkdir) {
        Owner owner;
        Result<UniqueFd> root = OpenAt2(AT_FDCWD, view->Root(), O_PATH | O_DIRECTORY, 0);
        if (!root) return Error(view->Root() + ": " + root.Error().message);
        if (!step.user.empty()) {
          Result<Owner> resolved = ResolveOwnerInRoot(root->Get(), step.user);
          if (!resolved) return resolved.Error();
          owner = *resolved;
        }
        done = MakeDirsInRoot(root->Get(), step.workdir, 0755, owner.uid, owner.gid);
      } else if (step.from_stage || !step.from_image.empty()) {
        Result<StepScratch> from_scratch = StepScratch::Make(store_, "from");
        if (!from_scratch) return from_scratch.Error();
        Result<OverlayMount> source =
            OverlayMount::Mount(LayerDirs(store_, input.from_layers), "", "",
                                from_scratch->Merged(), from_scratch->Dir() + "/empty");
        if (!source) return source.Error();
        done = CopyFromTree(step, source->Root(), view->Root());
      } else {
        done = CopyFromContext(step, context_dir_, view->Root(), scratch->Dir());
      }
      if (!done) return done.Error();
      break;
    }
    default:
      return Error("step kind " + std::string(plan::StepKindName(step.kind)) +
                   " has nothing to execute");
  }
  // A step that changed nothing still makes its (empty) layer, as BuildKit does.
  Result<LayerInfo> layer = store_.AddLayerFromUpper(scratch->Upper());
  if (!layer) return layer.Error();
  out.layer = plan::Layer{{}, layer->diff_id, layer->size};
  return out;
}

Result<SandboxSpec> RealExecutor::RunSpec(const plan::Step& step, const plan::ImageConfig& config,
                                          const StepScratch& scratch,
                                          const std::vector<std::string>& lowers) const {
  SandboxSpec spec;
  spec.lower_dirs = lowers;
  spec.upper_dir = scratch.Upper();
  spec.work_dir = scratch.Work();
  spec.argv = step.command;
  spec.env = RunEnv(config, step);
  spec.user = step.user;
  spec.cwd = step.workdir.empty() ? "/" : step.workdir;
  spec.network = step.network == "host"   ? NetworkMode::kHost
                 : step.network == "none" ? NetworkMode::kNone
                                          : network_;
  if (step.security == "insecure") {
    // The sandbox always drops privileges: running such a step anyway would not be what the
    // Dockerfile asks for.
    return Error("RUN --security=insecure is not supported by the real runtime");
  }
  size_t tmpfs = 0;
  for (const Mount& m : step.mounts) {
    if (m.type == "cache") {
      // Kept under ROOT/runtime/cache, by id (default: the target), out of every layer.
      std::string id = m.id.empty() ? m.target : m.id;
      std::string dir = store_.Dir() + "/cache/" + plan::Sha256Of(id).substr(7, 24);
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) return Error("cannot create the cache mount " + dir + ": " + ec.message());
      spec.binds.push_back({dir, m.target, false});
    } else if (m.type == "tmpfs") {
      // A fresh directory that goes away with the step: nothing of it reaches the layer.
      std::string dir = scratch.Dir() + "/tmpfs-" + std::to_string(tmpfs++);
      if (::mkdir(dir.c_str(), 01777) != 0) return Error("cannot create " + dir);
      spec.binds.push_back({dir, m.target, false});
    } else if (m.type == "bind" && m.from.empty()) {
      namespace fs = std::filesystem;
      std::error_code ec;
      fs::path context = fs::canonical(context_dir_, ec);
      fs::path source = fs::canonical(fs::path(context_dir_) / m.source, ec);
      if (ec || !Beneath(context, source)) {
        return Error("RUN --mount=type=bind,source=" + m.source +
                     ": not found in the build context");
      }
      // Read-only: what a RUN writes to a bind mount never reaches the context.
      spec.binds.push_back({source.string(), m.target, true});
    } else {
      return Error("RUN --mount=type=" + m.type + (m.from.empty() ? "" : ",from=" + m.from) +
                   " is not supported yet by the real runtime");
    }
  }
  return spec;
}

}  // namespace dockit::runtime

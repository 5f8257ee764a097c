#include "sim/build_executor.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "parser/dockerignore.hpp"
#include "planner/digest.hpp"
#include "sim/accounts.hpp"
#include "sim/image_catalogue.hpp"
#include "sim/path.hpp"
#include "sim/run_model.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {
namespace {

using plan::Step;
using plan::StepKind;

Diagnostic StepError(std::string message) {
  return Diagnostic{"sim-build", std::move(message), {}, Severity::kError};
}

std::optional<uint32_t> Octal(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    value = value * 8 + static_cast<uint32_t>(c - '0');
  }
  return value;
}

// The owner and mode a COPY gives what it writes: root:root unless --chown, the source's mode
// unless --chmod (BuildKit's semantics).
struct CopyAttributes {
  Owner owner;
  std::optional<uint32_t> mode;
};

// With `unknown_users` (a stand-in base, or RUNs the model does not know made users), a
// --chown user missing from the image's files is taken as root, with a line in `output`.
Result<CopyAttributes> AttributesOf(const Step& step, const Tree& view, const TextStore& texts,
                                    bool unknown_users, std::string& output) {
  CopyAttributes out;
  if (!step.chown.empty()) {
    Result<Owner> owner = ResolveOwner(view, texts, step.chown);
    if (!owner && unknown_users) {
      output += "--chown=" + step.chown +
                ": not in the simulated image's users (a command the model does not know may "
                "have made them); root is used\n";
      owner = Owner{};
    }
    if (!owner) return owner.Error();
    out.owner = *owner;
  }
  if (!step.chmod.empty()) {
    out.mode = Octal(step.chmod);
    if (!out.mode) return StepError("invalid --chmod=" + step.chmod + ": not an octal mode");
  }
  return out;
}

// Puts one node where a COPY puts it: parents made as needed (0755), an existing directory
// kept, anything else replaced.
Status Place(WorkingLayer& work, const std::string& path, const Node& node,
             const CopyAttributes& attributes) {
  Status parents = work.Mkdir(ParentOf(path), /*parents=*/true);
  if (!parents) return parents;
  uint32_t mode = attributes.mode.value_or(node.mode);
  Result<Node> old = work.View().Lstat(path);
  if (node.kind == NodeKind::kDirectory) {
    if (old && old->kind == NodeKind::kDirectory) {
      return OkStatus();  // the folder is there; its contents follow
    }
    if (old) {
      Status removed = work.Remove(path, /*recursive=*/true);
      if (!removed) return removed;
    }
    return work.Mkdir(path, false, mode, attributes.owner);
  }
  if (old) {
    Status removed = work.Remove(path, /*recursive=*/old->kind == NodeKind::kDirectory);
    if (!removed) return removed;
  }
  if (node.kind == NodeKind::kSymlink) return work.Symlink(node.target, path, attributes.owner);
  return work.WriteFile(path, FileContent{node.digest, node.size}, mode, attributes.owner);
}

// The text of a small context file, checked against the digest the plan took: a file that
// changed after planning fails the step rather than building from stale data.
Result<std::optional<std::string>> ContextText(const std::string& context_dir,
                                               const plan::PlannedFile& file) {
  if (file.kind != EntryKind::kFile || file.size > kMaxContextText) {
    return std::optional<std::string>();
  }
  std::ifstream in(context_dir + "/" + file.path, std::ios::binary);
  if (!in) return StepError(file.path + ": cannot read it from the build context");
  std::ostringstream text;
  text << in.rdbuf();
  if (plan::Sha256Of(text.str()) != file.digest) {
    return StepError(file.path + ": changed in the build context during the build");
  }
  return std::optional<std::string>(text.str());
}

Status CopyFromContext(const Step& step, const std::string& context_dir, WorkingLayer& work,
                       TextStore& texts, bool unknown_users, std::string& output) {
  Result<CopyAttributes> attributes = AttributesOf(step, work.View(), texts, unknown_users, output);
  if (!attributes) return attributes.Error();
  for (const plan::PlannedFile& f : step.files) {
    Node node;
    node.mode = f.mode & 07777;
    if (f.kind == EntryKind::kDirectory) {
      node.kind = NodeKind::kDirectory;
    } else if (f.kind == EntryKind::kSymlink) {
      node.kind = NodeKind::kSymlink;
      node.target = f.link_target;
    } else if (f.kind == EntryKind::kFile) {
      node.size = f.size;
      node.digest = f.digest;
      Result<std::optional<std::string>> text = ContextText(context_dir, f);
      if (!text) return text.Error();
      if (*text) texts.Put(**text);
    } else {
      continue;  // sockets, devices: BuildKit's context transfer skips them too
    }
    Result<std::string> path = CleanPath(f.image_path);
    if (!path) return path.Error();
    if (node.kind != NodeKind::kDirectory && f.image_path == step.dest) {
      // `COPY app.py /app` where /app is a folder in the image: the file goes into it.
      Result<Node> there = work.View().Stat(*path);
      if (there && there->kind == NodeKind::kDirectory) {
        path = JoinPath(*path, BaseOf(f.path));
      }
    }
    Status placed = Place(work, *path, node, *attributes);
    if (!placed) return placed;
  }
  return OkStatus();
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// Whether a stage's chain has a RUN step: what such a step made is unknown to the simulator
// when its command is opaque (`go build -o /app`).
bool StageRuns(const plan::Plan& plan, size_t stage) {
  for (std::optional<size_t> s = plan.stage_last[stage]; s; s = plan.steps[*s].parent) {
    if (plan.steps[*s].kind == StepKind::kRun) return true;
  }
  return false;
}

// COPY --from: each source (a path or a pattern in the source's rootfs, symlinks followed for
// the source itself), with the same destination rules as a copy from the context. With
// `placeholders` (a stage that ran commands, a stand-in image), a missing source is taken to be
// the output of what the simulator does not model: an empty placeholder is copied, and the
// output says so.
Status CopyFromImage(const Step& step, bool placeholders, const Tree& source, WorkingLayer& work,
                     const TextStore& texts, bool unknown_users, std::string& output) {
  Result<CopyAttributes> attributes = AttributesOf(step, work.View(), texts, unknown_users, output);
  if (!attributes) return attributes.Error();
  bool into_folder = step.dest.ends_with('/') || step.sources.size() > 1;
  std::string dest_dir = step.dest.ends_with('/') ? step.dest : step.dest + "/";
  for (const std::string& written : step.sources) {
    Result<std::string> pattern = CleanPath("/" + written);
    if (!pattern) return pattern.Error();
    std::vector<std::string> matches;
    if (HasWildcard(*pattern)) {
      for (const auto& [path, node] : source.Entries()) {
        if (gopath::Match(*pattern, path).value_or(false)) matches.push_back(path);
      }
      if (matches.empty() && placeholders) {
        output += "COPY --from: nothing matches " + *pattern +
                  " in the simulated stage (its commands are not modelled): nothing copied\n";
        continue;
      }
      if (matches.empty()) return StepError(written + ": no source files were specified");
    } else {
      Result<Resolved> resolved = source.Resolve(*pattern, /*follow_last=*/true, "copy");
      if ((!resolved || !resolved->node) && placeholders) {
        std::string target = into_folder ? dest_dir + BaseOf(*pattern) : step.dest;
        Result<std::string> clean = CleanPath(target);
        if (!clean) return clean.Error();
        Node empty;
        FileContent none = FileContent::Synthetic("placeholder for " + *pattern, 0);
        empty.digest = none.digest;
        Status placed = Place(work, *clean, empty, *attributes);
        if (!placed) return placed;
        output += "COPY --from: " + *pattern +
                  " is not in the simulated stage (a command that is not modelled made it): "
                  "an empty placeholder is copied to " +
                  *clean + "\n";
        continue;
      }
      if (!resolved || !resolved->node) {
        return StepError("\"" + *pattern + "\": not found in the --from source");
      }
      matches.push_back(resolved->path);
    }
    for (const std::string& match : matches) {
      const Node* node = source.Find(match);
      if (!node) continue;
      if (node->kind != NodeKind::kDirectory) {
        std::string target =
            into_folder || HasWildcard(*pattern) ? dest_dir + BaseOf(match) : step.dest;
        Result<std::string> clean = CleanPath(target);
        if (!clean) return clean.Error();
        Status placed = Place(work, *clean, *node, *attributes);
        if (!placed) return placed;
        continue;
      }
      // A folder: its contents go into the destination folder.
      std::string base = HasWildcard(*pattern) ? dest_dir + BaseOf(match) : dest_dir;
      Result<std::string> clean_base = CleanPath(base);
      if (!clean_base) return clean_base.Error();
      Status top = Place(work, *clean_base, *node, *attributes);
      if (!top) return top;
      std::string prefix = match == "/" ? "/" : match + "/";
      for (auto it = source.Entries().lower_bound(prefix);
           it != source.Entries().end() && it->first.starts_with(prefix); ++it) {
        Result<std::string> target = CleanPath(*clean_base + "/" + it->first.substr(prefix.size()));
        if (!target) return target.Error();
        Status placed = Place(work, *target, it->second, *attributes);
        if (!placed) return placed;
      }
    }
  }
  return OkStatus();
}

// The package installs of the RUN steps before `step` in its chain, which the RUN model needs
// to know about (a program an install brought may be missing from the simulated files). Read
// from the plan's shell views, so that cached steps count too.
std::vector<std::string> EarlierInstalls(const plan::Plan& plan, const Step& step) {
  static constexpr std::string_view kManagers[] = {
      "apt-get", "apt", "apk",      "pip",    "pip3",  "npm", "yarn",  "pnpm",     "poetry", "gem",
      "dnf",     "yum", "microdnf", "zypper", "conda", "go",  "cargo", "composer", "bundle"};
  std::vector<std::string> out;
  for (std::optional<size_t> s = step.parent; s; s = plan.steps[*s].parent) {
    const Step& earlier = plan.steps[*s];
    if (earlier.kind != StepKind::kRun) continue;
    for (const ShellCommand& command : plan.ShellOf(earlier).Commands()) {
      std::string_view name = command.Name();
      size_t slash = name.rfind('/');
      if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
      if (std::find(std::begin(kManagers), std::end(kManagers), name) != std::end(kManagers)) {
        out.emplace_back(name);
      }
    }
  }
  return out;
}

}  // namespace

BuildExecutor::BuildExecutor(LayerStore& layers, TextStore& texts, BaseResolver resolve_base,
                             std::string context_dir)
    : layers_(layers),
      texts_(texts),
      resolve_base_(std::move(resolve_base)),
      context_dir_(std::move(context_dir)) {}

Result<plan::BaseImage> BuildExecutor::Base(const std::string& reference) {
  Result<plan::BaseImage> image = resolve_base_(reference);
  if (image && !image->contents_known) stand_ins_.insert(reference);
  return image;
}

bool BuildExecutor::StageOnStandIn(const plan::Plan& plan, size_t stage) const {
  for (std::optional<size_t> s = plan.stage_last[stage]; s; s = plan.steps[*s].parent) {
    const Step& step = plan.steps[*s];
    if (step.kind == StepKind::kBase && stand_ins_.count(step.image)) return true;
  }
  return false;
}

Result<LayerStack> BuildExecutor::StackOf(const std::vector<std::string>& diff_ids) {
  LayerStack stack;
  std::string chain;
  size_t reused = 0;
  // The longest prefix of the chain already stacked.
  for (size_t i = diff_ids.size(); i > 0; --i) {
    std::string prefix;
    for (size_t j = 0; j < i; ++j) prefix += diff_ids[j] + " ";
    auto it = stacks_.find(prefix);
    if (it != stacks_.end()) {
      stack = it->second;
      chain = prefix;
      reused = i;
      break;
    }
  }
  for (size_t i = reused; i < diff_ids.size(); ++i) {
    auto layer = layers_.find(diff_ids[i]);
    if (layer == layers_.end()) return StepError("layer " + diff_ids[i] + " is not in the store");
    Result<LayerStack> next = stack.Push(layer->second);
    if (!next) return next.Error();
    stack = std::move(next).Value();
    chain += diff_ids[i] + " ";
    stacks_[chain] = stack;
  }
  return stack;
}

Result<plan::StepOutput> BuildExecutor::Execute(const plan::StepInput& input) {
  const Step& step = input.plan->steps[input.step];
  Result<LayerStack> lower = StackOf(input.parent_layers);
  if (!lower) return lower.Error();
  WorkingLayer work(*lower);
  plan::StepOutput out;
  out.config = input.config;
  // The stage's root is a stand-in; an earlier RUN of the chain ran opaque commands or
  // installed packages the model does not know file by file.
  std::optional<size_t> root = step.parent;
  while (root && input.plan->steps[*root].parent) root = input.plan->steps[*root].parent;
  bool base_unknown = root && input.plan->steps[*root].kind == StepKind::kBase &&
                      stand_ins_.count(input.plan->steps[*root].image) > 0;
  bool earlier_opaque = false;
  for (std::optional<size_t> s = step.parent; s; s = input.plan->steps[*s].parent) {
    if (opaque_steps_.count(input.plan->steps[*s].key)) earlier_opaque = true;
  }
  std::vector<std::string> earlier_installs = EarlierInstalls(*input.plan, step);
  bool unknown_users = base_unknown || earlier_opaque || !earlier_installs.empty();
  switch (step.kind) {
    case StepKind::kWorkdir: {
      Owner owner;
      if (!step.user.empty()) {
        Result<Owner> resolved = ResolveOwner(work.View(), texts_, step.user);
        if (!resolved && unknown_users) {
          out.output += "USER " + step.user +
                        ": not in the simulated image's users; the folder is made as root\n";
          resolved = Owner{};
        }
        if (!resolved) return resolved.Error();
        owner = *resolved;
      }
      Status made = work.Mkdir(step.workdir, /*parents=*/true, 0755, owner);
      Result<Node> there = work.View().Lstat(step.workdir);
      bool copied_from = false;  // an earlier COPY --from of the chain (placeholders)
      for (std::optional<size_t> s = step.parent; s; s = input.plan->steps[*s].parent) {
        const Step& earlier = input.plan->steps[*s];
        if (earlier.kind == StepKind::kCopy &&
            (earlier.from_stage || !earlier.from_image.empty())) {
          copied_from = true;
        }
      }
      if (!made && copied_from && there && there->kind == NodeKind::kFile && there->size == 0) {
        // An empty placeholder COPY --from put there for a folder an unknown command made.
        out.output += "WORKDIR " + step.workdir +
                      ": an empty file the simulator put there for what it does not know; it "
                      "is replaced by a folder\n";
        Status removed = work.Remove(step.workdir);
        made = removed ? work.Mkdir(step.workdir, true, 0755, owner) : removed;
      }
      if (!made) return made.Error();
      break;
    }
    case StepKind::kCopy: {
      Status copied = OkStatus();
      if (step.from_stage || !step.from_image.empty()) {
        Result<LayerStack> source = StackOf(input.from_layers);
        if (!source) return source.Error();
        bool placeholders = step.from_stage ? StageRuns(*input.plan, *step.from_stage) ||
                                                  StageOnStandIn(*input.plan, *step.from_stage)
                                            : stand_ins_.count(step.from_image) > 0;
        copied = CopyFromImage(step, placeholders, source->View(), work, texts_, unknown_users,
                               out.output);
      } else {
        copied = CopyFromContext(step, context_dir_, work, texts_, unknown_users, out.output);
      }
      if (!copied) return copied.Error();
      for (const std::string& url : step.urls) {
        out.output += "ADD " + url + ": the simulator does not download; nothing added\n";
      }
      break;
    }
    case StepKind::kRun: {
      RunContext context;
      context.layer = &work;
      context.texts = &texts_;
      context.env = input.config.env;
      // The step's ARGs (and scratch's default PATH) reach the RUN's environment; ENV values
      // are the config's already.
      for (const auto& [name, value] : step.env) {
        bool set = std::any_of(context.env.begin(), context.env.end(),
                               [&](const auto& e) { return e.first == name; });
        if (!set) context.env.emplace_back(name, value);
      }
      context.workdir = step.workdir;
      context.user = step.user;
      if (!input.config.shell.empty()) context.shell = input.config.shell;
      context.earlier_installs = std::move(earlier_installs);
      context.base_unknown = base_unknown;
      context.earlier_opaque = earlier_opaque;
      for (const Mount& m : step.mounts) {
        if (m.type == "cache" || m.type == "tmpfs") {
          context.cache_mounts.push_back(m.target);
        } else {
          context.other_mounts.push_back(!m.target.empty()    ? m.target
                                         : m.type == "secret" ? "/run/secrets/" + m.id
                                                              : "/run/buildkit/ssh_agent.0");
        }
      }
      context.declared = declared_;
      RunOutcome outcome = RunScript(input.plan->ShellOf(step), context);
      if (!outcome.opaque.empty()) opaque_steps_.insert(step.key);
      out.exit_code = outcome.exit_code;
      out.output = std::move(outcome.output);
      for (const std::string& command : outcome.opaque) {
        out.output += "[sim] not modelled, no change to the image: " + command + "\n";
      }
      for (const std::string& note : outcome.notes) out.output += "[sim] " + note + "\n";
      break;
    }
    default:
      return StepError("step kind " + std::string(plan::StepKindName(step.kind)) +
                       " has nothing to execute");
  }
  plan::Layer layer = work.Diff();
  auto shared = std::make_shared<const plan::Layer>(std::move(layer));
  layers_.try_emplace(shared->diff_id, shared);
  out.layer = *shared;
  return out;
}

BaseResolver CatalogueResolver(LayerStore& layers, TextStore& texts) {
  return [&layers, &texts](const std::string& reference) -> Result<plan::BaseImage> {
    Result<CatalogueImage> image = FindBaseImage(reference);
    if (!image) return image.Error();
    plan::BaseImage base;
    base.config = image->config;
    const auto& stack = image->layers.Layers();
    for (size_t i = 0; i < stack.size(); ++i) {
      layers.try_emplace(stack[i]->diff_id, stack[i]);
      base.layers.push_back(stack[i]->diff_id);
      base.size += stack[i]->size;
      std::string created_by = i < image->history.size() ? image->history[i] : "";
      base.history.push_back({created_by, 0, stack[i]->size, false});
    }
    for (const auto& [path, text] : image->text_files) texts.Put(text);
    return base;
  };
}

BaseResolver StandInResolver(LayerStore& layers, TextStore& texts, std::string stand_in) {
  BaseResolver catalogue = CatalogueResolver(layers, texts);
  return [catalogue, stand_in](const std::string& reference) -> Result<plan::BaseImage> {
    Result<plan::BaseImage> image = catalogue(reference);
    if (image) return image;
    Result<plan::BaseImage> substitute = catalogue(stand_in);
    if (substitute) substitute.Value().contents_known = false;
    return substitute;
  };
}

}  // namespace dockit::sim

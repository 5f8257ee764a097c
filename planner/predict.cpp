#include "planner/predict.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "planner/apt_catalogue.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

// The bytes a COPY adds, as `docker history` counts a layer: regular files' sizes plus
// symlinks' target lengths; directories count nothing.
uint64_t CopySize(const Step& step) {
  uint64_t total = 0;
  for (const PlannedFile& f : step.files) {
    if (f.kind == EntryKind::kFile) total += f.size;
    if (f.kind == EntryKind::kSymlink) total += f.link_target.size();
  }
  return total;
}

std::string Quote(const std::string& s) { return s.empty() ? "(empty)" : s; }

// The field of a file record (plan.cpp's FileRecord: "kind mode=.. uid=.. gid=.. size=..
// [-> target] [sha256:..]") that starts with `prefix`, or "".
std::string Field(const std::string& record, std::string_view prefix) {
  size_t at = 0;
  while (at < record.size()) {
    size_t end = record.find(' ', at);
    if (end == std::string::npos) end = record.size();
    std::string_view token(record.data() + at, end - at);
    if (token.starts_with(prefix)) return std::string(token);
    at = end + 1;
  }
  return "";
}

// Which attribute of a context file changed, most telling first.
std::string FileChange(const std::string& before, const std::string& after) {
  if (Field(before, "sha256:") != Field(after, "sha256:")) return "content";
  if (Field(before, "mode=") != Field(after, "mode=")) return "mode";
  if (Field(before, "uid=") != Field(after, "uid=") ||
      Field(before, "gid=") != Field(after, "gid=")) {
    return "owner";
  }
  if (before.find(" -> ") != std::string::npos || after.find(" -> ") != std::string::npos) {
    return "link target";
  }
  return "type";
}

// What differs between the inputs of the last build and now, most telling first.
std::string ExplainChange(const Plan& plan, const Step& step, const StepHistory& last,
                          const std::vector<StepPrediction>& done,
                          const std::map<size_t, size_t>& number_of) {
  const auto& now = step.parts;
  std::vector<std::string> reasons;
  auto value_of = [](const std::map<std::string, std::string>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::optional<std::string>() : std::optional<std::string>(it->second);
  };
  std::set<std::string> names;
  for (const auto& [k, v] : now) names.insert(k);
  for (const auto& [k, v] : last.parts) names.insert(k);
  bool parent_changed = false;
  for (const std::string& name : names) {
    auto before = value_of(last.parts, name);
    auto after = value_of(now, name);
    if (before == after) continue;
    if (name == "parent") {
      parent_changed = true;
      continue;
    }
    if (name.starts_with("file:")) {
      std::string path = name.substr(5);
      if (!before) {
        reasons.push_back(path + " added");
      } else if (!after) {
        reasons.push_back(path + " removed");
      } else {
        reasons.push_back(path + " changed (" + FileChange(*before, *after) + ")");
      }
      continue;
    }
    if (name.starts_with("env:") || name.starts_with("arg:")) {
      std::string what = (name.starts_with("arg:") ? "build-arg " : "ENV ") + name.substr(4);
      reasons.push_back(before && after
                            ? what + " changed from " + Quote(*before) + " to " + Quote(*after)
                        : after ? what + " set to " + Quote(*after)
                                : what + " no longer set");
      continue;
    }
    if (name == "image") {
      reasons.push_back("base image changed from " + Quote(before.value_or("")) + " to " +
                        Quote(after.value_or("")));
      continue;
    }
    if (name == "command" || name.starts_with("heredoc:")) {
      reasons.push_back("command changed");
      continue;
    }
    reasons.push_back(name + " changed");
  }
  if (reasons.empty() && parent_changed && step.parent) {
    // The parent's key changed: name the nearest layer step that missed.
    for (std::optional<size_t> p = step.parent; p; p = plan.steps[*p].parent) {
      if (done[*p].verdict == CacheVerdict::kMiss) {
        return "parent step " + std::to_string(number_of.at(*p)) + " missed";
      }
    }
    return "parent step changed";
  }
  if (reasons.empty()) return "not in the build cache (pruned, or built elsewhere)";
  std::string out = reasons.front();
  for (size_t i = 1; i < reasons.size() && i < 3; ++i) out += ", " + reasons[i];
  if (reasons.size() > 3) out += " and " + std::to_string(reasons.size() - 3) + " more";
  return out;
}

// The stage at the root of `stage`'s FROM chain: the one whose base is an image.
const Stage* StageRoot(const Plan& plan, size_t stage) {
  const Stage* s = &plan.analysis.stages[stage];
  while (s->base_stage && *s->base_stage < s->index) s = &plan.analysis.stages[*s->base_stage];
  return s;
}

// The text of the context file that the nearest COPY before `step` in its chain put at
// `image_path`; nullopt when none did, when a COPY --from or ADD URL into that folder came
// later, or when it cannot be read. RUNs in between are assumed not to rewrite it.
std::optional<std::string> CopiedFile(const Plan& plan, const Step& step,
                                      const std::string& context_dir,
                                      const std::string& image_path) {
  for (std::optional<size_t> s = step.parent; s; s = plan.steps[*s].parent) {
    const Step& copy = plan.steps[*s];
    if (copy.kind != StepKind::kCopy) continue;
    if (copy.from_stage || !copy.from_image.empty() || !copy.urls.empty()) {
      // Files from another stage, image or URL: unknown here, and they may be this one.
      std::string dest = copy.dest.ends_with('/') ? copy.dest : copy.dest + "/";
      if (image_path == copy.dest || image_path.starts_with(dest) || dest == "/") {
        return std::nullopt;
      }
      continue;
    }
    for (const PlannedFile& f : copy.files) {
      // A file copied to a destination without a slash lands in it when it is a folder in the
      // image (`WORKDIR /app` then `COPY requirements.txt /app`), as the simulator does.
      bool into_folder = f.image_path == copy.dest && f.kind == EntryKind::kFile &&
                         image_path == copy.dest + "/" + f.path.substr(f.path.rfind('/') + 1);
      if (f.image_path != image_path && !into_folder) continue;
      if (f.kind != EntryKind::kFile || context_dir.empty()) return std::nullopt;
      std::ifstream in(std::filesystem::path(context_dir) / f.path, std::ios::binary);
      if (!in) return std::nullopt;
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }
  }
  return std::nullopt;
}

}  // namespace

std::string Ago(int64_t seconds) {
  if (seconds < 60) return "just now";
  auto unit = [](int64_t n, const char* name) {
    return std::to_string(n) + " " + name + (n == 1 ? "" : "s") + " ago";
  };
  if (seconds < 3600) return unit(seconds / 60, "minute");
  if (seconds < 86400) return unit(seconds / 3600, "hour");
  return unit(seconds / 86400, "day");
}

Prediction Predict(const Plan& plan, const BuildRecord& record, const PredictOptions& options) {
  Prediction out;
  out.steps.resize(plan.steps.size());
  // Step numbers as `dexec plan` shows them: 1-based, config-only steps not counted.
  std::map<size_t, size_t> number_of;
  for (size_t i = 0, n = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].kind != StepKind::kConfig) number_of[i] = ++n;
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    StepPrediction& p = out.steps[i];
    if (step.kind == StepKind::kConfig) {
      p.verdict = CacheVerdict::kNone;
      p.reason = "image config only";
      p.size = 0;
      p.size_source = "none";
      continue;
    }
    const RecordEntry* entry = record.Find(step.key);
    // BuildKit's --no-cache marks RUN, COPY and ADD (and the base image resolution) to ignore
    // the cache, but not the folder WORKDIR creates: that step is still taken from the cache.
    bool ignores_cache = options.no_cache && step.kind != StepKind::kWorkdir;
    if (ignores_cache) {
      p.verdict = CacheVerdict::kMiss;
      p.reason = "--no-cache";
    } else if (entry) {
      p.verdict = CacheVerdict::kHit;
      p.reason = "built " + Ago(options.now - entry->created) +
                 (entry->backend.empty() ? "" : " (" + entry->backend + ")");
      if (options.no_cache) p.reason += "; BuildKit's --no-cache does not apply to WORKDIR";
    } else {
      p.verdict = CacheVerdict::kMiss;
      const StepHistory* last = record.Last(StepIdentity(plan, step));
      p.reason = last ? ExplainChange(plan, step, *last, out.steps, number_of) : "never built";
    }
    if (step.kind == StepKind::kCopy && step.urls.empty() && !step.from_stage &&
        step.from_image.empty()) {
      p.size = CopySize(step);
      p.size_source = "context";
    } else if (step.kind == StepKind::kWorkdir ||
               (step.kind == StepKind::kBase && step.image == "scratch")) {
      p.size = 0;
      p.size_source = "none";
    } else if (entry) {
      p.size = entry->size;
      p.size_source = "record";
    } else if (step.kind == StepKind::kRun) {
      const ShellScript& script = plan.ShellOf(step);
      const Stage& root = *StageRoot(plan, step.stage);
      std::optional<RunSize> apt, packages;
      RunSizeContext context;
      context.base = root.base.value;
      context.workdir = step.workdir;
      context.env = step.env;
      for (const Mount& m : step.mounts) {
        if (m.type == "cache" || m.type == "tmpfs") context.cache_mounts.push_back(m.target);
      }
      context.read_file = [&](const std::string& path) {
        return CopiedFile(plan, step, options.context_dir, path);
      };
      context.declared = options.declared;
      if (auto known = KnownRunSize(script, step.workdir)) {
        p.size = known->bytes;
        p.size_source = "command: " + known->how;
      } else if (IsDebianBookworm(root.base.value) && (apt = AptRunSize(script))) {
        p.size = apt->bytes;
        p.size_source = "catalogue: " + apt->how;
      } else if ((packages = PackageRunSize(script, context))) {
        p.size = packages->bytes;
        p.size_source = packages->source + ": " + packages->how;
      } else {
        p.size_source = "unknown";
      }
    } else {
      p.size_source = "unknown";
    }
  }
  // The target's image: its stage chain's steps.
  bool all_known = true;
  if (plan.stage_last[plan.graph.target]) {
    for (std::optional<size_t> s = plan.stage_last[plan.graph.target]; s;
         s = plan.steps[*s].parent) {
      const StepPrediction& p = out.steps[*s];
      if (p.size) {
        out.known_size += *p.size;
      } else {
        all_known = false;
      }
    }
  }
  if (all_known) out.image_size = out.known_size;
  return out;
}

}  // namespace dockit::plan

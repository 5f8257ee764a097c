#include "planner/waste.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "parser/shell.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

// `rm` operands of a RUN with a static value, as absolute paths ("" when relative to an unknown
// folder cannot happen: every step has its workdir).
std::vector<std::string> Removed(const Plan& plan, const Step& step) {
  std::vector<std::string> out;
  const ShellScript& script = plan.ShellOf(step);
  for (const CommandView& view : FindCommands(script, "rm")) {
    for (const ShellWord* w : Args(view)) {
      if (!w->Static()) continue;
      std::string path(w->value);
      fs::path p = path.starts_with('/') ? fs::path(path) : fs::path(step.workdir) / path;
      std::string clean = p.lexically_normal().generic_string();
      while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
      out.push_back(clean);
    }
  }
  return out;
}

bool Covers(const std::string& removed, const std::string& path) {
  return path == removed || (path.starts_with(removed) && path[removed.size()] == '/') ||
         removed == "/";
}

}  // namespace

Waste ComputeWaste(const Plan& plan, const Prediction& prediction) {
  Waste out;
  // The target image's steps, oldest first.
  std::vector<size_t> chain;
  for (std::optional<size_t> s = plan.stage_last[plan.graph.target]; s; s = plan.steps[*s].parent) {
    chain.push_back(*s);
  }
  std::reverse(chain.begin(), chain.end());
  struct Live {
    uint64_t bytes;
    size_t step;
  };
  std::map<std::string, Live> live;  // image path -> the layer that holds its current bytes
  auto waste = [&](std::map<std::string, Live>::iterator it, size_t by, bool overwritten) {
    if (it->second.bytes > 0) {
      out.files.push_back({it->first, it->second.bytes, it->second.step, by, overwritten});
      out.wasted_bytes += it->second.bytes;
    }
  };
  for (size_t index : chain) {
    const Step& step = plan.steps[index];
    if (step.kind == StepKind::kCopy) {
      for (const PlannedFile& f : step.files) {
        if (f.image_path.empty()) continue;
        uint64_t bytes = f.kind == EntryKind::kFile      ? f.size
                         : f.kind == EntryKind::kSymlink ? f.link_target.size()
                                                         : 0;
        if (auto it = live.find(f.image_path); it != live.end()) waste(it, index, true);
        live[f.image_path] = Live{bytes, index};
      }
    } else if (step.kind == StepKind::kRun) {
      for (const std::string& removed : Removed(plan, step)) {
        for (auto it = live.begin(); it != live.end();) {
          if (Covers(removed, it->first)) {
            waste(it, index, false);
            it = live.erase(it);
          } else {
            ++it;
          }
        }
      }
    }
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const WastedFile& a, const WastedFile& b) { return a.bytes > b.bytes; });
  if (prediction.image_size && *prediction.image_size > 0) {
    out.efficiency =
        1.0 - static_cast<double>(out.wasted_bytes) / static_cast<double>(*prediction.image_size);
  }
  return out;
}

}  // namespace dockit::plan

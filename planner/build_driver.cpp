#include "planner/build_driver.hpp"

#include <map>

namespace dockit::plan {
namespace {

// The state after a step: its rootfs, config and history.
struct After {
  std::vector<std::string> layers;
  uint64_t size = 0;
  ImageConfig config;
  std::vector<HistoryEntry> history;
};

std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The last lines of a failing step's output, for the error message.
std::string Tail(const std::string& output, size_t lines) {
  size_t end = output.size();
  while (end > 0 && output[end - 1] == '\n') --end;
  size_t at = end;
  for (size_t n = 0; at > 0 && n < lines;) {
    if (output[--at] == '\n') ++n;
    if (n == lines) ++at;
  }
  return output.substr(at, end - at);
}

}  // namespace

std::string CreatedBy(const Plan& plan, const Step& step) {
  const Instruction& ins = *step.instruction;
  std::string keyword = ins.keyword;
  for (char& c : keyword) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  (void)plan;
  switch (step.kind) {
    case StepKind::kRun:
      return "RUN " + Joined(step.command) + " # buildkit";
    case StepKind::kCopy:
      return keyword + " " + OneLine(ins.ArgsText()) + " # buildkit";
    default:
      return keyword + " " + OneLine(ins.ArgsText());
  }
}

Result<BuildOutcome> ExecutePlan(const Plan& plan, Executor& executor, BuildRecord& record,
                                 const DriveOptions& options) {
  BuildOutcome outcome;
  std::map<size_t, After> after;  // by step index
  std::map<size_t, size_t> number_of;
  for (size_t i = 0, n = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].kind != StepKind::kConfig) number_of[i] = ++n;
  }
  // The rootfs of a COPY --from's source: a stage's last step, or an image.
  auto from_layers = [&](const Step& step) -> Result<std::vector<std::string>> {
    if (step.from_stage) {
      std::optional<size_t> last = plan.stage_last[*step.from_stage];
      if (last) return after.at(*last).layers;
      return std::vector<std::string>{};
    }
    if (!step.from_image.empty()) {
      Result<BaseImage> image = executor.Base(step.from_image);
      if (!image) {
        Diagnostic d = image.Error();
        d.range = step.instruction->range;
        return d;
      }
      return image->layers;
    }
    return std::vector<std::string>{};
  };

  // The verdicts and reasons are the predictions' own, made before anything runs.
  PredictOptions predict;
  predict.no_cache = options.no_cache;
  predict.now = options.now;
  Prediction prediction = Predict(plan, record, predict);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    const StepPrediction& predicted = prediction.steps[i];
    After state;
    if (step.parent) state = after.at(*step.parent);
    StepReport report;
    report.step = i;
    report.number = number_of.count(i) ? number_of.at(i) : 0;
    if (step.kind == StepKind::kConfig) {
      state.config = ConfigAfter(plan, step, std::move(state.config));
      // FROM <stage> continues that stage's image; it is no step of `docker history`.
      if (step.instruction->kind != InstructionKind::kFrom) {
        state.history.push_back({CreatedBy(plan, step), options.now, 0, true});
      }
      after[i] = std::move(state);
      continue;
    }
    if (options.on_start) options.on_start(step, report.number);
    const RecordEntry* entry = record.Find(step.key);
    bool hit = predicted.verdict == CacheVerdict::kHit && entry &&
               (entry->layer_digest.empty() || executor.HasLayer(entry->layer_digest));
    if (step.kind == StepKind::kBase) {
      if (step.image != "scratch") {
        Result<BaseImage> base = executor.Base(step.image);
        if (!base) {
          Diagnostic d = base.Error();
          d.range = step.instruction->range;
          return d;
        }
        state.layers = base->layers;
        state.size = base->size;
        state.config = base->config;
        state.history = base->history;
      }
      report.size = state.size;
    } else if (hit) {
      report.layer = entry->layer_digest;
      report.size = entry->size;
    } else {
      StepInput input;
      input.plan = &plan;
      input.step = i;
      input.parent_layers = state.layers;
      input.config = state.config;
      if (step.kind == StepKind::kCopy) {
        Result<std::vector<std::string>> from = from_layers(step);
        if (!from) return from.Error();
        input.from_layers = std::move(*from);
      }
      Result<StepOutput> out = executor.Execute(input);
      if (!out) {
        Diagnostic d = out.Error();
        if (d.range == SourceRange{}) d.range = step.instruction->range;
        return d;
      }
      if (out->exit_code != 0) {
        std::string message =
            "process \"" + Joined(step.command) +
            "\" did not complete successfully: exit code: " + std::to_string(out->exit_code);
        std::string tail = Tail(out->output, 5);
        if (!tail.empty()) message += "\n" + tail;
        return Diagnostic{"build-failed", message, step.instruction->range, Severity::kError};
      }
      if (out->layer) {
        report.layer = out->layer->diff_id;
        report.size = out->layer->size;
      }
      report.output = std::move(out->output);
    }
    report.verdict = hit ? CacheVerdict::kHit : CacheVerdict::kMiss;
    report.reason = predicted.reason;
    if (!hit && predicted.verdict == CacheVerdict::kHit) {
      report.reason = "its layer is no longer held by the " + executor.Backend() + " backend";
    }
    if (!hit) {
      record.Remember(plan, step,
                      RecordEntry{report.layer, report.size, options.now, executor.Backend()});
    }
    if (step.kind != StepKind::kBase) {
      if (!report.layer.empty()) {
        state.layers.push_back(report.layer);
        state.size += report.size;
      }
      state.config = ConfigAfter(plan, step, std::move(state.config));
      state.history.push_back(
          {CreatedBy(plan, step), options.now, report.size, report.layer.empty()});
    }
    if (options.on_done) options.on_done(report);
    outcome.steps.push_back(std::move(report));
    after[i] = std::move(state);
  }
  if (std::optional<size_t> last = plan.stage_last[plan.graph.target]) {
    After& target = after.at(*last);
    outcome.image = {target.layers, target.size, target.config, target.history};
  }
  return outcome;
}

}  // namespace dockit::plan

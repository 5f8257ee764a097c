#include "planner/build_progress.hpp"

#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

constexpr size_t kOffset = 2;  // #1 and #2 are the definition and the context

std::string StageLabel(const Plan& plan, size_t stage) {
  const Stage& s = plan.analysis.stages[stage];
  return s.name.empty() ? "stage-" + std::to_string(s.index) : s.name;
}

}  // namespace

BuildProgress::BuildProgress(const Plan& plan, std::ostream& out)
    : plan_(plan), out_(out), multi_stage_(plan.analysis.stages.size() > 1) {
  // Per-stage step numbers as BuildKit shows them: [stage 2/5].
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& s = plan.steps[i];
    if (s.kind == StepKind::kConfig) continue;
    index_in_stage_[i] = ++stage_total_[s.stage];
  }
}

std::string BuildProgress::InstructionText(const Step& step) {
  if (step.kind == StepKind::kBase) return "FROM " + step.image;
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

void BuildProgress::Definition(std::ostream& out, std::string_view file_name, uint64_t bytes) {
  out << "#1 [internal] load build definition from " << file_name
      << "\n#1 transferring dockerfile: " << FormatSize(bytes) << " done\n";
}

void BuildProgress::Context() {
  std::map<std::string, uint64_t> sent;
  for (const Step& s : plan_.steps) {
    for (const PlannedFile& f : s.files) sent[f.path] = f.size;
  }
  uint64_t bytes = 0;
  for (const auto& [path, size] : sent) bytes += size;
  out_ << "#2 [internal] load build context\n#2 transferring context: " << FormatSize(bytes)
       << " in " << sent.size() << " file" << (sent.size() == 1 ? "" : "s") << " done\n";
}

void BuildProgress::Line(size_t number, std::string_view text) {
  out_ << "#" << number + kOffset << " " << text << "\n";
}

void BuildProgress::Start(const Step& step, size_t number) {
  size_t index = static_cast<size_t>(&step - plan_.steps.data());
  out_ << "#" << number + kOffset << " ["
       << (multi_stage_ ? StageLabel(plan_, step.stage) + " " : "") << index_in_stage_[index] << "/"
       << stage_total_[step.stage] << "] " << InstructionText(step) << "\n";
}

void BuildProgress::Rebuilding(size_t number, std::string_view reason) {
  Line(number, "rebuilding: " + std::string(reason));
  said_rebuilding_[number] = true;
}

void BuildProgress::Output(size_t number, std::string_view chunk) {
  streamed_[number] = true;
  std::string& partial = partial_[number];
  size_t at = 0;
  while (at < chunk.size()) {
    size_t end = chunk.find('\n', at);
    if (end == std::string_view::npos) {
      partial.append(chunk.substr(at));
      break;
    }
    partial.append(chunk.substr(at, end - at));
    Line(number, partial);
    partial.clear();
    at = end + 1;
  }
  out_.flush();
}

void BuildProgress::Done(const StepReport& r) {
  const Step& step = plan_.steps[r.step];
  if (step.kind == StepKind::kBase) {
    Line(r.number, "DONE");
    return;
  }
  if (r.verdict == CacheVerdict::kHit) {
    Line(r.number, "CACHED");
    return;
  }
  if (!said_rebuilding_[r.number]) Line(r.number, "rebuilding: " + r.reason);
  if (streamed_[r.number]) {
    if (!partial_[r.number].empty()) Line(r.number, partial_[r.number]);
    partial_.erase(r.number);
  } else {
    size_t at = 0;
    while (at < r.output.size()) {
      size_t end = r.output.find('\n', at);
      if (end == std::string::npos) end = r.output.size();
      Line(r.number, std::string_view(r.output).substr(at, end - at));
      at = end + 1;
    }
  }
  Line(r.number, "DONE " + FormatSize(r.size));
}

size_t BuildProgress::ExportNumber(const std::vector<StepReport>& steps) const {
  return kOffset + (steps.empty() ? 0 : steps.back().number) + 1;
}

void BuildProgress::Exporting(size_t number, std::string_view image_id,
                              const std::vector<std::string>& names) {
  out_ << "#" << number << " exporting to image\n#" << number << " writing image " << image_id
       << " done\n";
  for (const std::string& name : names) out_ << "#" << number << " naming to " << name << " done\n";
  out_ << "#" << number << " DONE\n";
}

}  // namespace dockit::plan

// BuildKit's plain progress output ("#3 [2/5] RUN make", "#3 CACHED", "#3 rebuilding: REASON",
// "#3 DONE 12kB"), shared by the simulator and the real build so that both read the same and
// what `dexec plan` predicted can be checked line by line against either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "planner/build_driver.hpp"
#include "planner/plan.hpp"

namespace dockit::plan {

class BuildProgress {
 public:
  // Step numbers are offset by 2: #1 and #2 are the definition and the context.
  BuildProgress(const Plan& plan, std::ostream& out);

  // "#1 [internal] load build definition from Dockerfile" and its size.
  // Static: it is printed before the plan exists (a plan error follows it).
  static void Definition(std::ostream& out, std::string_view file_name, uint64_t bytes);
  // "#2 [internal] load build context": the files the plan selected, each counted once.
  void Context();
  // "#N [stage i/n] INSTRUCTION".
  void Start(const Step& step, size_t number);
  // "#N rebuilding: REASON", for a backend that streams output and so says why before it runs.
  void Rebuilding(size_t number, std::string_view reason);
  // Output as it comes: complete lines are printed as "#N line"; a partial line waits for
  // the rest (or for Done).
  void Output(size_t number, std::string_view chunk);
  // CACHED, or (unless already said by Rebuilding) "rebuilding: REASON" with the step's output
  // (unless streamed), then "DONE size".
  void Done(const StepReport& report);
  // The number the exporting lines use: after the last step.
  size_t ExportNumber(const std::vector<StepReport>& steps) const;
  // "#N exporting to image", "writing image ID done", "naming to NAME done" per name, "DONE".
  void Exporting(size_t number, std::string_view image_id, const std::vector<std::string>& names);
  // The instruction as BuildKit shows it on one line (FROM with its image expanded).
  static std::string InstructionText(const Step& step);

 private:
  void Line(size_t number, std::string_view text);
  const Plan& plan_;
  std::ostream& out_;
  bool multi_stage_;
  std::map<size_t, size_t> stage_total_, index_in_stage_;
  std::map<size_t, std::string> partial_;  // by step number: an output line not yet ended
  std::map<size_t, bool> said_rebuilding_, streamed_;
};

}  // namespace dockit::plan

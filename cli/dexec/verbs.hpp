// dexec's verbs: one table of {name, summary, handler}, one file per verb.
#pragma once

#include <string_view>
#include <vector>

namespace dockit::dexec {

struct Verb {
  std::string_view name;
  std::string_view summary;
  int (*handler)(const std::vector<std::string_view>& args);
};

// `dexec stages [-f Dockerfile] [--build-arg K=V]...`: the stages, their bases and platforms.
int RunStages(const std::vector<std::string_view>& args);
// `dexec graph [-f Dockerfile] [--target T] [--build-arg K=V]... [--format text|dot]`: the stage
// graph, the parallel levels and the stages the target does not need.
int RunGraph(const std::vector<std::string_view>& args);
// `dexec plan [options] CONTEXT`: each step's predicted cache hit or miss with the reason, and
// sizes.
int RunPlan(const std::vector<std::string_view>& args);

}  // namespace dockit::dexec

// dexec's verbs: one table of {name, summary, handler}, one file per verb.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/dexec/globals.hpp"

namespace dockit::dexec {

using Args = std::vector<std::string_view>;

struct Verb {
  std::string_view name;
  std::string_view summary;
  int (*handler)(const Args& args, const Globals& globals);
  // For verbs whose arguments after the first operand belong to a program (run, exec): which
  // options take a value. nullptr for the others.
  TakesValue takes_value = nullptr;
};

// `dexec stages [-f Dockerfile] [--build-arg K=V]...`: the stages, their bases and platforms.
int RunStages(const Args& args, const Globals& globals);
// `dexec graph [-f Dockerfile] [--target T] [--build-arg K=V]... [--format text|dot]`: the stage
// graph, the parallel levels and the stages the target does not need.
int RunGraph(const Args& args, const Globals& globals);
// `dexec plan [options] CONTEXT`: each step's predicted cache hit or miss with the reason, and
// sizes, against the record of the real runtime or, with --sim, of the simulated world.
int RunPlan(const Args& args, const Globals& globals);

// `dexec build [options] CONTEXT` without --sim: a real build (runtime/build_command.hpp).
int RunBuildVerb(const Args& args, const Globals& globals);
// `dexec run [options] IMAGE [CMD...]` without --sim: a container in the foreground.
int RunRunVerb(const Args& args, const Globals& globals);

// `dexec --sim lesson [--check] [--list] FILE...`: runs (and grades) lessons.
int RunLessonVerb(const Args& args, const Globals& globals);

// `dexec --sim shell`: an interactive prompt on the simulated world.
int RunShellVerb(const Args& args, const Globals& globals);

// `dexec --sim VERB ...`: a docker command (build, run, ps, ...) on the simulated world.
int RunSimCommand(std::string_view verb, const Args& args, const Globals& globals);

// The real runtime's image verbs (the store under --root; runtime/store.hpp):
// `dexec images [-q] [--no-trunc] [REPOSITORY[:TAG]]`
int RunImages(const Args& args, const Globals& globals);
// `dexec rmi [-f] IMAGE...`: untags, then deletes what nothing references any more.
int RunRmi(const Args& args, const Globals& globals);
// `dexec tag SOURCE TARGET`
int RunTag(const Args& args, const Globals& globals);
// `dexec history [-q] [--no-trunc] IMAGE`
int RunHistory(const Args& args, const Globals& globals);
// `dexec inspect IMAGE...`: docker image inspect's JSON array.
int RunInspect(const Args& args, const Globals& globals);
// `dexec import FILE NAME[:TAG]`
int RunImport(const Args& args, const Globals& globals);
// `dexec load -i FILE [-q]`
int RunLoad(const Args& args, const Globals& globals);
// `dexec save -o FILE IMAGE...`
int RunSave(const Args& args, const Globals& globals);
// `dexec image ls|rm|tag|history|inspect|import|load|save ...`: docker's long forms.
int RunImageGroup(const Args& args, const Globals& globals);
// `dexec system check [--repair]`
int RunSystem(const Args& args, const Globals& globals);

// Shared by the image verbs: the root the store lives under and "3 hours ago" (the table
// layout is sim::DockerTable, the simulator's own).
std::string StoreRoot(const Globals& globals);
std::string Ago(int64_t unix_seconds);

}  // namespace dockit::dexec

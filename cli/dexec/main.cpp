// dexec: plans builds, and runs them on the simulator (--sim) or, later, the real runtime.
// Global options (--sim, --state FILE, --root DIR) go before or after the verb.
#include <iostream>
#include <string>

#include "cli/dexec/verbs.hpp"
#include "parser/suggest.hpp"
#include "sim/docker_cli.hpp"

namespace {

using dockit::dexec::Globals;
using dockit::dexec::Verb;

constexpr Verb kVerbs[] = {
    {"lesson", "with --sim: run a lesson (examples/lessons), --check grades it",
     dockit::dexec::RunLessonVerb},
    {"shell", "with --sim: an interactive prompt for docker commands on the simulated world",
     dockit::dexec::RunShellVerb},
    {"graph", "the stage graph: dependencies, parallel levels, stages --target skips",
     dockit::dexec::RunGraph},
    {"plan", "predict each step's cache hit or miss (and why) and the layer sizes",
     dockit::dexec::RunPlan},
    {"stages", "list the build stages: name, base image or stage, platform",
     dockit::dexec::RunStages},
    {"images", "list the store's images", dockit::dexec::RunImages},
    {"image", "image ls|rm|tag|history|inspect|import|load|save", dockit::dexec::RunImageGroup},
    {"rmi", "untag images and delete what nothing references", dockit::dexec::RunRmi},
    {"tag", "give an image another name: tag SOURCE TARGET", dockit::dexec::RunTag},
    {"history", "an image's steps, newest first, with their layer sizes",
     dockit::dexec::RunHistory},
    {"inspect", "an image's config, layers and size as JSON", dockit::dexec::RunInspect},
    {"import", "make a one-layer image from a root filesystem tar: import FILE NAME[:TAG]",
     dockit::dexec::RunImport},
    {"load", "load a docker save or OCI layout archive: load -i FILE", dockit::dexec::RunLoad},
    {"save", "write images as an OCI layout archive (docker loads it too): save -o FILE IMAGE...",
     dockit::dexec::RunSave},
    {"system", "system check [--repair]: verify the store after a crash", dockit::dexec::RunSystem},
};

int Usage(std::ostream& out, int code) {
  out << "usage: dexec [--sim] [--state FILE] [--root DIR] VERB [options]\n\nverbs:\n";
  for (const Verb& v : kVerbs) out << "  " << v.name << "\t" << v.summary << "\n";
  out << "\nwith --sim, the docker commands on the simulated world:\n";
  for (const auto& [name, summary] : dockit::sim::DockerCommands()) {
    out << "  " << name << "\t" << summary << "\n";
  }
  out << "\nglobal options (before or after the verb):\n"
         "  --sim         use the simulated world instead of the real runtime\n"
         "  --state FILE  the simulated world's state (default: ROOT/sim/state.json)\n"
         "  --root DIR    where dexec keeps its state (default: $DEXEC_ROOT, else\n"
         "                /var/lib/dexec for root, else $XDG_DATA_HOME/dexec)\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> all(argv + 1, argv + argc);
  Globals globals;
  // Global options before the verb.
  std::vector<std::string_view> before;
  size_t at = 0;
  while (at < all.size() && all[at].starts_with('-')) {
    std::string_view a = all[at];
    if (a == "-h" || a == "--help") return Usage(std::cout, 0);
    before.push_back(a);
    if ((a == "--root" || a == "--state") && at + 1 < all.size()) before.push_back(all[++at]);
    ++at;
  }
  if (auto error = dockit::dexec::TakeGlobals(before, nullptr, globals)) {
    std::cerr << "dexec: " << *error << "\n";
    return 2;
  }
  if (!before.empty()) {
    std::cerr << "dexec: unknown global option \"" << before.front() << "\"\n";
    return Usage(std::cerr, 2);
  }
  if (at >= all.size()) return Usage(std::cerr, 2);
  std::string_view verb = all[at];
  if (verb == "help") return Usage(std::cout, 0);
  std::vector<std::string_view> args(all.begin() + static_cast<std::ptrdiff_t>(at) + 1, all.end());
  // The docker verbs: on the simulator with --sim, else on the real runtime where it has them.
  for (const auto& [name, summary] : dockit::sim::DockerCommands()) {
    if (name.substr(0, name.find(' ')) != verb) continue;
    bool passes = verb == "run" || verb == "create" || verb == "exec";
    if (auto error = dockit::dexec::TakeGlobals(
            args, passes ? dockit::sim::DockerRunFlagTakesValue : nullptr, globals)) {
      std::cerr << "dexec " << verb << ": " << *error << "\n";
      return 2;
    }
    if (globals.sim) return dockit::dexec::RunSimCommand(verb, args, globals);
    for (const Verb& v : kVerbs) {
      if (v.name == verb) return v.handler(args, globals);
    }
    std::cerr << "dexec " << verb << ": only the simulator has this command so far: use dexec --sim "
              << verb << "\n";
    return 2;
  }
  std::vector<std::string_view> names;
  for (const Verb& v : kVerbs) {
    names.push_back(v.name);
    if (v.name != verb) continue;
    if (auto error = dockit::dexec::TakeGlobals(args, v.takes_value, globals)) {
      std::cerr << "dexec " << verb << ": " << *error << "\n";
      return 2;
    }
    return v.handler(args, globals);
  }
  std::string hint = dockit::Suggest(verb, names);
  std::cerr << "dexec: unknown verb \"" << verb << "\""
            << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n";
  return Usage(std::cerr, 2);
}

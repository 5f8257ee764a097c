// dexec: the build front end. The planner and the real runtime add their verbs here; for now it
// shows what the front end knows about a Dockerfile's stages.
#include <iostream>
#include <string>

#include "cli/dexec/verbs.hpp"
#include "parser/suggest.hpp"

namespace {

using dockit::dexec::Verb;

constexpr Verb kVerbs[] = {
    {"graph", "the stage graph: dependencies, parallel levels, stages --target skips",
     dockit::dexec::RunGraph},
    {"plan", "predict each step's cache hit or miss (and why) and the layer sizes",
     dockit::dexec::RunPlan},
    {"stages", "list the build stages: name, base image or stage, platform",
     dockit::dexec::RunStages},
};

int Usage(std::ostream& out, int code) {
  out << "usage: dexec VERB [options]\n\nverbs:\n";
  for (const Verb& v : kVerbs) out << "  " << v.name << "\t" << v.summary << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(std::cerr, 2);
  std::string_view verb = argv[1];
  if (verb == "-h" || verb == "--help" || verb == "help") return Usage(std::cout, 0);
  std::vector<std::string_view> args(argv + 2, argv + argc);
  std::vector<std::string_view> names;
  for (const Verb& v : kVerbs) {
    if (v.name == verb) return v.handler(args);
    names.push_back(v.name);
  }
  std::string hint = dockit::Suggest(verb, names);
  std::cerr << "dexec: unknown verb \"" << verb << "\""
            << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n";
  return Usage(std::cerr, 2);
}

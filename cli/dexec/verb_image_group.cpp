// `dexec image SUBCOMMAND`: docker's long forms of the image verbs.
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "parser/suggest.hpp"

namespace dockit::dexec {

int RunImageGroup(const Args& args, const Globals& globals) {
  struct Sub {
    std::string_view name;
    int (*handler)(const Args&, const Globals&);
  };
  static constexpr Sub kSubs[] = {
      {"ls", RunImages},     {"list", RunImages},     {"rm", RunRmi},
      {"tag", RunTag},       {"history", RunHistory}, {"inspect", RunInspect},
      {"import", RunImport}, {"load", RunLoad},       {"save", RunSave},
  };
  std::vector<std::string_view> names;
  if (!args.empty()) {
    for (const Sub& s : kSubs) {
      names.push_back(s.name);
      if (s.name == args[0]) return s.handler(Args(args.begin() + 1, args.end()), globals);
    }
  }
  if (!args.empty()) {
    std::string hint = Suggest(args[0], names);
    std::cerr << "dexec image: unknown command \"" << args[0] << "\""
              << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n";
  }
  std::cerr << "usage: dexec image ls|rm|tag|history|inspect|import|load|save ...\n";
  return 2;
}

}  // namespace dockit::dexec

// `dexec system check [--repair]`: is the store consistent (after a crash, a kill, a full disk)?
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "parser/suggest.hpp"
#include "runtime/store.hpp"

namespace dockit::dexec {

int RunSystem(const Args& args, const Globals& globals) {
  constexpr const char* kUsage = "usage: dexec system check [--repair]\n";
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (args[0] != "check") {
    std::string hint = Suggest(args[0], {"check"});
    std::cerr << "dexec system: unknown command \"" << args[0] << "\""
              << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n"
              << kUsage;
    return 2;
  }
  bool repair = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] != "--repair") {
      std::cerr << kUsage;
      return 2;
    }
    repair = true;
  }
  auto store = runtime::Store::Open(StoreRoot(globals), /*clear_debris=*/false);
  if (!store) {
    std::cerr << "dexec system check: " << store.Error().message << "\n";
    return 1;
  }
  runtime::CheckReport report = store->Check(repair);
  for (const std::string& r : report.removed) std::cout << "removed " << r << "\n";
  for (const std::string& d : report.debris) {
    std::cout << d << " (harmless: the next build or --repair removes it)\n";
  }
  for (const std::string& p : report.problems) std::cout << p << "\n";
  if (report.Consistent()) {
    std::cout << "store " << store->Dir() << ": consistent\n";
    return 0;
  }
  std::cout << "store " << store->Dir() << ": " << report.problems.size() << " problem"
            << (report.problems.size() == 1 ? "" : "s") << "\n";
  return 1;
}

}  // namespace dockit::dexec

// `dexec build` (without --sim): the real build on namespaces and overlayfs.
#include <iostream>
#include <string>

#include "cli/dexec/common.hpp"
#include "cli/dexec/root.hpp"
#include "cli/dexec/verbs.hpp"
#include "runtime/build_command.hpp"

namespace dockit::dexec {
namespace {

constexpr const char* kUsage =
    "usage: dexec build [-t NAME:TAG]... [-f Dockerfile] [--target STAGE] [--build-arg K=V]...\n"
    "                   [--no-cache] [--network none|host] [-q] CONTEXT\n";

}  // namespace

int RunBuildVerb(const Args& args, const Globals& globals) {
  runtime::RealBuildRequest request;
  request.root = globals.root.empty() ? DefaultRoot() : globals.root;
  bool quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool has_value = i + 1 < args.size();
    std::string_view a = args[i];
    if ((a == "-t" || a == "--tag") && has_value) {
      request.tags.emplace_back(args[++i]);
    } else if ((a == "-f" || a == "--file") && has_value) {
      request.dockerfile = args[++i];
    } else if (a == "--target" && has_value) {
      request.target = std::string(args[++i]);
    } else if (a == "--build-arg" && has_value) {
      AddBuildArg(args[++i], &request.analyze);
    } else if (a == "--no-cache") {
      request.no_cache = true;
    } else if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else if (a == "--network" && has_value) {
      std::string_view mode = args[++i];
      if (mode == "host") {
        request.network = runtime::NetworkMode::kHost;
      } else if (mode == "none" || mode == "default") {
        request.network = runtime::NetworkMode::kNone;
      } else {
        std::cerr << "dexec build: --network " << mode << ": only none and host are supported\n";
        return 2;
      }
    } else if (!a.starts_with('-') && request.context.empty()) {
      request.context = a;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (request.context.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  Result<runtime::Store> store = runtime::Store::Open(request.root);
  if (!store) {
    std::cerr << "ERROR: " << store.Error().message << "\n";
    return 1;
  }
  // Progress goes to stderr, as docker's does; -q prints only the image ID on stdout.
  std::ostream null_stream(nullptr);
  Result<runtime::RealBuildResult> built =
      runtime::RunRealBuild(request, *store, quiet ? null_stream : std::cerr);
  if (!built) {
    std::cerr << runtime::RenderBuildError(request, built.Error());
    return 1;
  }
  if (quiet) std::cout << built->image.config_digest << "\n";
  return 0;
}

}  // namespace dockit::dexec

// `dexec import`, `dexec load` and `dexec save`: images in and out of the store as files.
#include <ctime>
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "runtime/oci.hpp"

namespace dockit::dexec {

int RunImport(const Args& args, const Globals& globals) {
  if (args.size() != 2 || args[0].starts_with('-') || args[1].starts_with('-')) {
    std::cerr << "usage: dexec import FILE NAME[:TAG]\n"
                 "  FILE: a root filesystem tar (plain, .gz, .bz2, .xz or .zst)\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec import: " << store.Error().message << "\n";
    return 1;
  }
  auto image = runtime::ImportRootfs(*store, std::string(args[0]), std::string(args[1]),
                                     static_cast<int64_t>(std::time(nullptr)));
  if (!image) {
    std::cerr << "dexec import: " << image.Error().message << "\n";
    return 1;
  }
  std::cout << image->config_digest << "\n";
  return 0;
}

int RunLoad(const Args& args, const Globals& globals) {
  std::string input;
  bool quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-i" || args[i] == "--input") && i + 1 < args.size()) {
      input = args[++i];
    } else if (args[i].starts_with("--input=")) {
      input = args[i].substr(8);
    } else if (args[i] == "-q" || args[i] == "--quiet") {
      quiet = true;
    } else {
      input.clear();
      break;
    }
  }
  if (input.empty()) {
    std::cerr << "usage: dexec load -i FILE [-q]\n"
                 "  FILE: a docker save archive or an OCI image layout archive\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec load: " << store.Error().message << "\n";
    return 1;
  }
  auto loaded = runtime::LoadArchive(*store, input);
  if (!loaded) {
    std::cerr << "dexec load: " << loaded.Error().message << "\n";
    return 1;
  }
  if (!quiet) {
    for (const std::string& r : *loaded) std::cout << "Loaded image: " << r << "\n";
  }
  return 0;
}

int RunSave(const Args& args, const Globals& globals) {
  std::string output;
  std::vector<std::string> images;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
      output = args[++i];
    } else if (args[i].starts_with("--output=")) {
      output = args[i].substr(9);
    } else if (!args[i].starts_with('-')) {
      images.emplace_back(args[i]);
    } else {
      output.clear();
      break;
    }
  }
  if (output.empty() || images.empty()) {
    std::cerr << "usage: dexec save -o FILE IMAGE...\n"
                 "  writes an OCI image layout archive with docker's manifest.json\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec save: " << store.Error().message << "\n";
    return 1;
  }
  if (auto s = runtime::SaveArchive(*store, images, output); !s) {
    std::cerr << "dexec save: " << s.Error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace dockit::dexec

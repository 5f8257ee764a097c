// `dexec rmi` and `dexec tag`: names in images.json; rmi then collects what nothing references.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "cli/dexec/verbs.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"

namespace dockit::dexec {

namespace {

std::string ConfigDigest(const runtime::Store& store, const std::string& manifest_digest) {
  auto text = store.ReadBlob(manifest_digest);
  if (!text) return manifest_digest;
  auto manifest = runtime::ParseManifest(*text);
  return manifest ? manifest->config_digest : manifest_digest;
}

}  // namespace

int RunRmi(const Args& args, const Globals& globals) {
  bool force = false;
  std::vector<std::string> images;
  for (std::string_view a : args) {
    if (a == "-f" || a == "--force") {
      force = true;
    } else if (a == "--no-prune") {
      // Accepted for docker compatibility: there are no parent images to prune.
    } else if (a.starts_with('-')) {
      std::cerr << "usage: dexec rmi [-f] IMAGE...\n";
      return 2;
    } else {
      images.emplace_back(a);
    }
  }
  if (images.empty()) {
    std::cerr << "usage: dexec rmi [-f] IMAGE...\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec rmi: " << store.Error().message << "\n";
    return 1;
  }
  int status = 0;
  std::set<std::string> untagged_manifests;
  for (const std::string& name : images) {
    auto entries = store->Images();
    if (!entries) {
      std::cerr << "dexec rmi: " << entries.Error().message << "\n";
      return 1;
    }
    std::vector<std::string> references;
    auto normalized = runtime::NormalizeReference(name);
    std::string manifest;
    for (const runtime::ImageEntry& e : *entries) {
      if (normalized && e.reference == *normalized) {
        references.push_back(e.reference);
        manifest = e.manifest_digest;
      }
    }
    if (references.empty()) {
      // An image ID: every name of it goes (docker wants -f when there are several).
      auto resolved = store->Resolve(name);
      if (!resolved) {
        std::cerr << "dexec rmi: " << resolved.Error().message << "\n";
        status = 1;
        continue;
      }
      manifest = *resolved;
      for (const runtime::ImageEntry& e : *entries) {
        if (e.manifest_digest == manifest) references.push_back(e.reference);
      }
      if (references.size() > 1 && !force) {
        std::cerr << "dexec rmi: conflict: unable to delete " << name
                  << " (must be forced): image is referenced in multiple repositories\n";
        status = 1;
        continue;
      }
    }
    for (const std::string& r : references) {
      if (auto s = store->Untag(r); !s) {
        std::cerr << "dexec rmi: " << s.Error().message << "\n";
        status = 1;
        continue;
      }
      std::cout << "Untagged: " << r << "\n";
    }
    untagged_manifests.insert(manifest);
  }
  // An image is deleted when its last name is gone; its layers go with the garbage collection
  // unless another image or the build cache still uses them.
  auto remaining = store->Images();
  std::set<std::string> still_named;
  if (remaining) {
    for (const runtime::ImageEntry& e : *remaining) still_named.insert(e.manifest_digest);
  }
  for (const std::string& m : untagged_manifests) {
    if (!still_named.count(m)) std::cout << "Deleted: " << ConfigDigest(*store, m) << "\n";
  }
  std::vector<std::string> removed;
  auto freed = store->CollectGarbage(&removed);
  if (!freed) {
    std::cerr << "dexec rmi: " << freed.Error().message << "\n";
    return 1;
  }
  for (const std::string& layer : removed) std::cout << "Deleted: " << layer << "\n";
  return status;
}

int RunTag(const Args& args, const Globals& globals) {
  if (args.size() != 2 || args[0].starts_with('-') || args[1].starts_with('-')) {
    std::cerr << "usage: dexec tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec tag: " << store.Error().message << "\n";
    return 1;
  }
  auto lock = store->LockShared();
  auto manifest = store->Resolve(std::string(args[0]));
  if (!manifest) {
    std::cerr << "dexec tag: " << manifest.Error().message << "\n";
    return 1;
  }
  if (auto s = store->Tag(std::string(args[1]), *manifest); !s) {
    std::cerr << "dexec tag: " << s.Error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace dockit::dexec

// `dexec images`: the store's tagged images, newest first, as `docker images` shows them.
#include <algorithm>
#include <iostream>
#include <tuple>

#include "cli/dexec/verbs.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"
#include "sim/docker_table.hpp"
#include "sim/sim_time.hpp"

namespace dockit::dexec {

int RunImages(const Args& args, const Globals& globals) {
  bool quiet = false;
  bool no_trunc = false;
  std::string filter;  // REPOSITORY[:TAG], as `docker images busybox` filters
  for (std::string_view a : args) {
    if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else if (a == "--no-trunc") {
      no_trunc = true;
    } else if (!a.starts_with('-') && filter.empty()) {
      filter = a;
    } else {
      std::cerr << "usage: dexec images [-q] [--no-trunc] [REPOSITORY[:TAG]]\n";
      return 2;
    }
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec images: " << store.Error().message << "\n";
    return 1;
  }
  auto lock = store->LockShared();
  auto entries = store->Images();
  if (!entries) {
    std::cerr << "dexec images: " << entries.Error().message << "\n";
    return 1;
  }
  struct Row {
    std::string repo, tag, id;
    int64_t created;
    uint64_t size;
  };
  std::vector<Row> rows;
  std::string want_repo = filter;
  std::string want_tag;
  if (!filter.empty()) {
    auto normalized = runtime::NormalizeReference(filter);
    if (!normalized) {
      std::cerr << "dexec images: " << normalized.Error().message << "\n";
      return 1;
    }
    want_repo = runtime::SplitTag(*normalized).first;
    // Only a tag that was written filters by tag: `busybox` lists every busybox.
    if (runtime::SplitTag(filter).first != filter) want_tag = runtime::SplitTag(*normalized).second;
  }
  for (const runtime::ImageEntry& e : *entries) {
    auto [entry_repo, entry_tag] = runtime::SplitTag(e.reference);
    if (!want_repo.empty() && entry_repo != want_repo) continue;
    if (!want_tag.empty() && entry_tag != want_tag) continue;
    auto image = runtime::LoadImage(*store, e.reference);
    if (!image) {
      std::cerr << "dexec images: " << e.reference << ": " << image.Error().message << "\n";
      continue;
    }
    uint64_t size = 0;
    for (const runtime::LayerInfo& l : image->layers) size += l.size;
    auto [repo, tag] = runtime::SplitTag(e.reference);
    rows.push_back({repo, tag, image->config_digest, image->created, size});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.created != b.created) return a.created > b.created;
    return std::tie(a.repo, a.tag) < std::tie(b.repo, b.tag);
  });
  auto id = [&](const std::string& digest) { return no_trunc ? digest : digest.substr(7, 12); };
  if (quiet) {
    for (const Row& r : rows) std::cout << id(r.id) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> table = {
      {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}};
  for (const Row& r : rows) {
    table.push_back({r.repo, r.tag, id(r.id), Ago(r.created), sim::HumanSize(r.size)});
  }
  std::cout << sim::DockerTable(table);
  return 0;
}

}  // namespace dockit::dexec

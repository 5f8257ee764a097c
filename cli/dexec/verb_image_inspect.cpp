// `dexec history` and `dexec inspect`: an image's steps and its JSON, as docker shows them.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/dexec/verbs.hpp"
#include "runtime/oci.hpp"
#include "sim/docker_table.hpp"
#include "sim/sim_time.hpp"

namespace dockit::dexec {

namespace {

std::string Ellipsis(const std::string& s, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (++count == max) {
      // Keep max-1 code points and an ellipsis when anything follows.
      size_t rest = i;
      while (rest < s.size() && (static_cast<unsigned char>(s[rest]) & 0xC0) == 0x80) ++rest;
      bool more = false;
      for (size_t j = i + 1; j < s.size(); ++j) {
        if ((static_cast<unsigned char>(s[j]) & 0xC0) != 0x80) more = true;
      }
      return more ? s.substr(0, i) + "…" : s;
    }
  }
  return s;
}

}  // namespace

int RunHistory(const Args& args, const Globals& globals) {
  bool no_trunc = false;
  bool quiet = false;
  std::string name;
  for (std::string_view a : args) {
    if (a == "--no-trunc") {
      no_trunc = true;
    } else if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else if (!a.starts_with('-') && name.empty()) {
      name = a;
    } else {
      name.clear();
      break;
    }
  }
  if (name.empty()) {
    std::cerr << "usage: dexec history [-q] [--no-trunc] IMAGE\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec history: " << store.Error().message << "\n";
    return 1;
  }
  auto lock = store->LockShared();
  auto image = runtime::LoadImage(*store, name);
  if (!image) {
    std::cerr << "dexec history: " << image.Error().message << "\n";
    return 1;
  }
  std::string id = no_trunc ? image->config_digest : image->config_digest.substr(7, 12);
  if (quiet) {
    std::cout << id << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> table = {
      {"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}};
  for (size_t i = image->history.size(); i-- > 0;) {
    const plan::HistoryEntry& h = image->history[i];
    table.push_back({i + 1 == image->history.size() ? id : "<missing>", Ago(h.created),
                     no_trunc ? h.created_by : Ellipsis(h.created_by, 45), sim::HumanSize(h.size),
                     ""});
  }
  std::cout << sim::DockerTable(table);
  return 0;
}

int RunInspect(const Args& args, const Globals& globals) {
  std::vector<std::string> names;
  for (std::string_view a : args) {
    if (a.starts_with('-')) {
      std::cerr << "usage: dexec inspect IMAGE...\n";
      return 2;
    }
    names.emplace_back(a);
  }
  if (names.empty()) {
    std::cerr << "usage: dexec inspect IMAGE...\n";
    return 2;
  }
  auto store = runtime::Store::Open(StoreRoot(globals));
  if (!store) {
    std::cerr << "dexec inspect: " << store.Error().message << "\n";
    return 1;
  }
  auto lock = store->LockShared();
  auto entries = store->Images();
  using J = nlohmann::ordered_json;
  J out = J::array();
  int status = 0;
  for (const std::string& name : names) {
    auto image = runtime::LoadImage(*store, name);
    if (!image) {
      std::cerr << "dexec inspect: " << image.Error().message << "\n";
      status = 1;
      continue;
    }
    J tags = J::array();
    if (entries) {
      for (const runtime::ImageEntry& e : *entries) {
        if (e.manifest_digest == image->manifest_digest) tags.push_back(e.reference);
      }
    }
    uint64_t size = 0;
    J layers = J::array();
    for (const runtime::LayerInfo& l : image->layers) {
      size += l.size;
      layers.push_back(l.diff_id);
    }
    J config = J::parse(runtime::ConfigJson(*image)).at("config");
    out.push_back(J{{"Id", image->config_digest},
                    {"RepoTags", tags},
                    {"RepoDigests", J::array()},
                    {"Parent", ""},
                    {"Comment", ""},
                    {"Created", runtime::FormatRfc3339(image->created)},
                    {"DockerVersion", ""},
                    {"Author", ""},
                    {"Config", config},
                    {"Architecture", image->architecture},
                    {"Os", image->os},
                    {"Size", size},
                    {"RootFS", {{"Type", "layers"}, {"Layers", layers}}},
                    {"Metadata", {{"LastTagTime", "0001-01-01T00:00:00Z"}}},
                    {"Descriptor",
                     {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                      {"digest", image->manifest_digest}}}});
  }
  std::cout << out.dump(4) << "\n";
  return status;
}

}  // namespace dockit::dexec

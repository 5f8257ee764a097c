// Volumes, networks and what pruning frees: every report's reclaimed space is the exact
// difference in StoredBytes() (each layer counted once across images and the build cache).
#include <algorithm>
#include <set>

#include "planner/digest.hpp"
#include "sim/world.hpp"

namespace dockit::sim {
namespace {

std::string Section(const std::string& title, const std::vector<std::string>& lines) {
  if (lines.empty()) return "";
  std::string out = title + ":\n";
  for (const std::string& line : lines) out += line + "\n";
  return out + "\n";
}

}  // namespace

uint64_t World::LayerBytes() const {
  std::map<std::string, uint64_t> sizes;
  for (const auto& [id, image] : images_) {
    for (const auto& layer : image.layers.Layers()) sizes[layer->diff_id] = layer->size;
  }
  for (const auto& [diff_id, layer] : cache_layers_) sizes[diff_id] = layer->size;
  uint64_t total = 0;
  for (const auto& [diff_id, size] : sizes) total += size;
  return total;
}

void World::CollectTexts() {
  std::set<std::string, std::less<>> used;
  auto add_layer = [&](const plan::Layer& layer) {
    for (const plan::FileChange& c : layer.changes) {
      if (!c.digest.empty()) used.insert(c.digest);
    }
  };
  for (const auto& [id, image] : images_) {
    for (const auto& layer : image.layers.Layers()) add_layer(*layer);
  }
  for (const auto& [diff_id, layer] : cache_layers_) add_layer(*layer);
  for (const auto& [id, c] : containers_) {
    add_layer(c.layer->Diff());
    for (const auto& layer : c.layer->Lower().Layers()) add_layer(*layer);
  }
  texts_.Retain([&](const std::string& digest) { return used.count(digest) > 0; });
}

uint64_t World::StoredBytes() const {
  uint64_t total = LayerBytes();
  for (const auto& [id, c] : containers_) total += c.layer->Diff().size;
  for (const auto& [name, v] : volumes_) total += v.size;
  return total;
}

void World::AddCacheLayer(std::shared_ptr<const plan::Layer> layer) {
  std::string diff_id = layer->diff_id;
  cache_layers_[diff_id] = std::move(layer);
}

Result<std::string> World::CreateVolume(std::string_view name,
                                        const std::map<std::string, std::string>& labels) {
  std::string n(name);
  if (n.empty()) n = plan::Sha256Of("volume:" + std::to_string(++volume_counter_)).substr(7);
  if (!volumes_.count(n)) volumes_[n] = Volume{n, now_, false, 0, labels};
  return n + "\n";
}

Result<std::string> World::RemoveVolume(std::string_view name, bool force) {
  std::string n(name);
  if (!volumes_.count(n)) {
    if (force) return n + "\n";
    return DaemonError("no-such-volume", "get " + n + ": no such volume");
  }
  std::vector<std::string> users;
  for (const auto& [id, c] : containers_) {
    for (const Mount& m : c.mounts) {
      if (m.type == "volume" && m.source == n) users.push_back(id);
    }
  }
  if (!users.empty()) {
    std::string list;
    for (const std::string& id : users) list += (list.empty() ? "" : " ") + id;
    return DaemonError("volume-in-use", "remove " + n + ": volume is in use - [" + list + "]");
  }
  volumes_.erase(n);
  return n + "\n";
}

Status World::AddVolumeBytes(std::string_view name, uint64_t bytes) {
  auto it = volumes_.find(std::string(name));
  if (it == volumes_.end()) {
    return DaemonError("no-such-volume", "get " + std::string(name) + ": no such volume");
  }
  it->second.size += bytes;
  return OkStatus();
}

Result<std::string> World::CreateNetwork(std::string_view name, std::string_view driver,
                                         const std::map<std::string, std::string>& labels) {
  std::string n(name);
  if (networks_.count(n)) {
    return DaemonError("network-exists", "network with name " + n + " already exists");
  }
  if (driver != "bridge") {
    return DaemonError("bad-driver", "plugin \"" + std::string(driver) + "\" not found");
  }
  uint64_t index = ++network_counter_;
  Network net{n,        plan::Sha256Of("network:" + n + ":" + std::to_string(index)).substr(7),
              "bridge", "172." + std::to_string(17 + index % 15) + ".0.0/16",
              now_,     2,
              labels};
  networks_[n] = net;
  return net.id + "\n";
}

Result<std::string> World::RemoveNetwork(std::string_view name) {
  std::string n(name);
  auto it = networks_.find(n);
  if (it == networks_.end()) {
    for (auto i = networks_.begin(); i != networks_.end(); ++i) {
      if (!n.empty() && i->second.id.rfind(n, 0) == 0) it = i;
    }
  }
  if (it == networks_.end()) {
    return DaemonError("no-such-network", "network " + n + " not found");
  }
  if (it->second.Predefined()) {
    return DaemonError("predefined-network",
                       it->first + " is a pre-defined network and cannot be removed");
  }
  for (const auto& [id, c] : containers_) {
    if (c.network == it->first && c.Running()) {
      return DaemonError("network-in-use", "error while removing network: network " + it->first +
                                               " id " + it->second.id + " has active endpoints");
    }
  }
  networks_.erase(it);
  return n + "\n";
}

PruneReport World::PruneContainers() {
  uint64_t before = StoredBytes();
  std::vector<std::string> removed;
  for (const auto& [id, c] : containers_) {
    if (!c.Running()) removed.push_back(id);
  }
  for (const std::string& id : removed) RemoveContainer(id, false);
  CollectTexts();
  uint64_t reclaimed = before - StoredBytes();
  return {Section("Deleted Containers", removed) +
              "Total reclaimed space: " + HumanSize(reclaimed, 4) + "\n",
          reclaimed};
}

PruneReport World::PruneImages(bool all) {
  uint64_t before = StoredBytes();
  std::vector<std::string> lines;
  std::set<std::string> used;
  for (const auto& [id, c] : containers_) used.insert(c.image_id);
  std::vector<std::string> doomed;
  for (const auto& [id, image] : images_) {
    if (used.count(id)) continue;
    if (all || TagsOf(id).empty()) doomed.push_back(id);
  }
  for (const std::string& id : doomed) {
    for (const std::string& tag : TagsOf(id)) lines.push_back("untagged: " + tag);
    images_.erase(id);
    for (const std::string& tag : TagsOf(id)) tags_.erase(tag);
    lines.push_back("deleted: " + id);
  }
  CollectTexts();
  uint64_t reclaimed = before - StoredBytes();
  return {
      Section("Deleted Images", lines) + "Total reclaimed space: " + HumanSize(reclaimed, 4) + "\n",
      reclaimed};
}

PruneReport World::PruneBuilder() {
  uint64_t before = StoredBytes();
  std::vector<std::string> lines;
  for (const auto& [key, entry] : record_.Entries()) lines.push_back(key.substr(0, 25));
  record_.Clear();
  for (const auto& [diff_id, layer] : cache_layers_) {
    std::string id = diff_id.substr(diff_id.find(':') + 1, 25);
    if (std::find(lines.begin(), lines.end(), id) == lines.end()) lines.push_back(id);
  }
  cache_layers_.clear();
  CollectTexts();
  uint64_t reclaimed = before - StoredBytes();
  return {Section("Deleted build cache objects", lines) +
              "Total reclaimed space: " + HumanSize(reclaimed, 4) + "\n",
          reclaimed};
}

PruneReport World::PruneVolumes(bool all) {
  uint64_t before = StoredBytes();
  std::set<std::string> used;
  for (const auto& [id, c] : containers_) {
    for (const Mount& m : c.mounts) {
      if (m.type == "volume") used.insert(m.source);
    }
  }
  std::vector<std::string> removed;
  for (const auto& [name, v] : volumes_) {
    if (!used.count(name) && (all || v.anonymous)) removed.push_back(name);
  }
  for (const std::string& name : removed) volumes_.erase(name);
  CollectTexts();
  uint64_t reclaimed = before - StoredBytes();
  return {Section("Deleted Volumes", removed) +
              "Total reclaimed space: " + HumanSize(reclaimed, 4) + "\n",
          reclaimed};
}

PruneReport World::PruneNetworks() {
  std::set<std::string> used;
  for (const auto& [id, c] : containers_) used.insert(c.network);
  std::vector<std::string> removed;
  for (const auto& [name, n] : networks_) {
    if (!n.Predefined() && !used.count(name)) removed.push_back(name);
  }
  for (const std::string& name : removed) networks_.erase(name);
  return {Section("Deleted Networks", removed), 0};
}

PruneReport World::PruneSystem(bool all, bool volumes) {
  uint64_t before = StoredBytes();
  auto strip = [](const std::string& text) {
    size_t total = text.find("Total reclaimed space:");
    return total == std::string::npos ? text : text.substr(0, total);
  };
  std::string out = strip(PruneContainers().output);
  out += PruneNetworks().output;
  if (volumes) out += strip(PruneVolumes(false).output);
  out += strip(PruneImages(all).output);
  out += strip(PruneBuilder().output);
  CollectTexts();
  uint64_t reclaimed = before - StoredBytes();
  return {out + "Total reclaimed space: " + HumanSize(reclaimed, 4) + "\n", reclaimed};
}

}  // namespace dockit::sim

// The world's clock and images: tags, lookups, pulls from the catalogue, rmi.
#include "sim/world.hpp"

#include <algorithm>
#include <set>

#include "planner/digest.hpp"

namespace dockit::sim {
namespace {

std::string Hex(std::string_view digest) {
  return std::string(digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest);
}

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

}  // namespace

Diagnostic DaemonError(std::string code, std::string message) {
  return Diagnostic{std::move(code), "Error response from daemon: " + std::move(message), {}};
}

std::string NormalizeReference(std::string_view reference) {
  std::string ref(reference);
  for (const char* prefix : {"docker.io/library/", "docker.io/", "library/"}) {
    std::string_view p = prefix;
    if (ref.rfind(p, 0) == 0) ref = ref.substr(p.size());
  }
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) {
    ref += ":latest";
  }
  return ref;
}

Image ImageFromCatalogue(const CatalogueImage& base) {
  Image image{base.layers, base.config, {}, kCatalogueCreated};
  const auto& layers = base.layers.Layers();
  for (size_t i = 0; i < base.history.size(); ++i) {
    uint64_t size = i < layers.size() ? layers[i]->size : 0;
    image.history.push_back({base.history[i], kCatalogueCreated, size, false});
  }
  return image;
}

std::vector<std::string> Container::Argv() const {
  std::vector<std::string> argv = entrypoint;
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return argv;
}

World::World() {
  auto add = [&](const char* name, const char* driver, const char* subnet) {
    Network n{name, Hex(plan::Sha256Of(std::string("network:") + name)), driver, subnet, now_, 2,
              {}};
    networks_[name] = n;
  };
  add("bridge", "bridge", "172.17.0.0/16");
  add("host", "host", "");
  add("none", "null", "");
}

void World::Advance(int64_t seconds) {
  if (seconds > 0) AdvanceTo(now_ + seconds);
}

std::string World::AddImage(Image image, std::string_view reference) {
  std::string id = ImageId(image);
  images_.emplace(id, std::move(image));
  if (!reference.empty()) tags_[NormalizeReference(reference)] = id;
  return id;
}

const Image* World::ImageById(std::string_view id) const {
  auto it = images_.find(std::string(id));
  return it == images_.end() ? nullptr : &it->second;
}

std::vector<std::string> World::TagsOf(std::string_view image_id) const {
  std::vector<std::string> out;
  for (const auto& [ref, id] : tags_) {
    if (id == image_id) out.push_back(ref);
  }
  return out;
}

Result<std::string> World::FindImage(std::string_view reference) const {
  std::string ref(reference);
  if (auto it = tags_.find(NormalizeReference(ref)); it != tags_.end()) return it->second;
  std::string hex = Hex(ref);
  if (IsHex(hex) && hex.size() <= 64) {
    std::vector<std::string> matches;
    for (const auto& [id, image] : images_) {
      if (Hex(id).rfind(hex, 0) == 0) matches.push_back(id);
    }
    if (matches.size() == 1) return matches[0];
    if (matches.size() > 1) {
      return DaemonError("ambiguous-image", "multiple IDs found with provided prefix: " + hex);
    }
  }
  return DaemonError("no-such-image", "No such image: " + NormalizeReference(ref));
}

Result<std::string> World::PullIfMissing(std::string_view reference, std::string* output) {
  if (auto found = FindImage(reference); found.Ok()) return found;
  std::string ref = NormalizeReference(reference);
  std::string pulled = "Unable to find image '" + ref + "' locally\n";
  auto base = FindBaseImage(ref);
  if (!base.Ok()) {
    Diagnostic error = DaemonError("pull-failed", base.Error().message);
    error.message = pulled + error.message;
    return error;
  }
  Image image = ImageFromCatalogue(base.Value());
  // The text of the files the catalogue writes for real (/etc/passwd, /etc/os-release, ...), so
  // that `cat` and the RUN model read them.
  for (const auto& [path, text] : base.Value().text_files) texts_.Put(text);
  size_t colon = ref.rfind(':');
  pulled += ref.substr(colon + 1) + ": Pulling from library/" + ref.substr(0, colon) + "\n";
  for (const std::string& diff_id : image.layers.DiffIds()) {
    pulled += Hex(diff_id).substr(0, 12) + ": Pull complete\n";
  }
  std::string id = AddImage(std::move(image), ref);
  pulled += "Digest: " + plan::Sha256Of("manifest:" + id) + "\n";
  pulled += "Status: Downloaded newer image for " + ref + "\n";
  if (output != nullptr) *output += pulled;
  return id;
}

Status World::Tag(std::string_view source, std::string_view target) {
  auto id = FindImage(source);
  if (!id.Ok()) return id.Error();
  std::string ref = NormalizeReference(target);
  if (ref.empty() || ref.find_first_of(" \t") != std::string::npos) {
    return Diagnostic{"bad-reference",
                      "Error parsing reference: \"" + std::string(target) +
                          "\" is not a valid repository/tag: invalid reference format",
                      {}};
  }
  tags_[ref] = id.Value();
  return OkStatus();
}

Result<std::string> World::Untag(std::string_view reference) {
  std::string ref = NormalizeReference(reference);
  if (!tags_.erase(ref)) return DaemonError("no-such-image", "No such image: " + ref);
  return "Untagged: " + ref + "\n";
}

Result<std::string> World::RemoveImage(std::string_view reference, bool force) {
  auto found = FindImage(reference);
  if (!found.Ok()) return found.Error();
  const std::string id = found.Value();
  std::string normalized = NormalizeReference(reference);
  bool by_tag = tags_.count(normalized) > 0;
  std::vector<std::string> tags = TagsOf(id);
  std::vector<std::string> lines;
  const Container* user = nullptr;
  for (const auto& [cid, c] : containers_) {
    if (c.image_id != id) continue;
    if (user == nullptr || (c.Running() && !user->Running())) user = &c;
  }
  std::string short_id = Hex(id).substr(0, 12);
  if (by_tag && tags.size() > 1) {  // only the reference goes
    tags_.erase(normalized);
    return "Untagged: " + normalized + "\n";
  }
  if (!by_tag && tags.size() > 1 && !force) {
    return DaemonError("image-conflict", "conflict: unable to delete " + short_id +
                                             " (must be forced) - image is referenced in "
                                             "multiple repositories");
  }
  if (user != nullptr && user->Running()) {
    return DaemonError("image-conflict", "conflict: unable to delete " + short_id +
                                             " (cannot be forced) - image is being used by "
                                             "running container " +
                                             user->ShortId());
  }
  if (user != nullptr && !force) {
    if (by_tag) {
      return DaemonError("image-conflict", "conflict: unable to remove repository reference \"" +
                                               std::string(reference) +
                                               "\" (must force) - container " + user->ShortId() +
                                               " is using its referenced image " + short_id);
    }
    return DaemonError("image-conflict", "conflict: unable to delete " + short_id +
                                             " (must be forced) - image is being used by "
                                             "stopped container " +
                                             user->ShortId());
  }
  for (const std::string& tag : tags) {
    tags_.erase(tag);
    lines.push_back("Untagged: " + tag);
  }
  // With -f and a stopped container using it, Docker deletes the image and leaves the container
  // pointing at a missing ID; the simulator keeps the image (untagged, <none>) instead, so that
  // no container ever refers to a missing image.
  if (user == nullptr) {
    auto deleted = DeleteImage(id, &lines);
    if (!deleted.Ok()) return deleted.Error();
  }
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

Result<std::string> World::DeleteImage(const std::string& id, std::vector<std::string>* lines) {
  images_.erase(id);
  for (const std::string& tag : TagsOf(id)) tags_.erase(tag);
  lines->push_back("Deleted: " + id);
  CollectTexts();
  return id;
}

}  // namespace dockit::sim

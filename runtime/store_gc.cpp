// Garbage collection: mark what tagged images and the build record reference, sweep the rest.
// Layers are renamed into tmp/ before they are deleted, so a kill midway never leaves half a
// layer in layers/ (only debris in tmp/, which the next Open removes).
#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <set>

#include "runtime/image_files.hpp"
#include "runtime/oci.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

namespace fs = std::filesystem;

namespace {

uint64_t TreeSize(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total += static_cast<uint64_t>(st.st_size);
    }
  }
  return total;
}

}  // namespace

Result<uint64_t> Store::CollectGarbage(std::vector<std::string>* removed) const {
  auto lock = LockExclusive();
  if (!lock) return lock.Error();
  // Mark. Hex names: blobs and layers share the digest space, so one set serves both.
  std::set<std::string> blobs;
  std::set<std::string> layers;
  auto index = ReadIndex();
  if (!index) return index.Error();
  // A tagged image that cannot be read stops the collection: marking it incompletely would
  // delete layers it still needs (`dexec system check` says what is wrong).
  auto unreadable = [](const std::string& reference, const Diagnostic& error) {
    return StoreError("gc-refused",
                      "not collecting garbage: image " + reference + ": " + error.message);
  };
  for (const auto& [reference, manifest_digest] : *index) {
    blobs.insert(DigestHex(manifest_digest));
    auto text = ReadBlob(manifest_digest);
    if (!text) return unreadable(reference, text.Error());
    auto manifest = ParseManifest(*text);
    if (!manifest) return unreadable(reference, manifest.Error());
    blobs.insert(DigestHex(manifest->config_digest));
    for (const std::string& d : manifest->layer_digests) blobs.insert(DigestHex(d));
    auto config = ReadBlob(manifest->config_digest);
    if (!config) return unreadable(reference, config.Error());
    auto image = ParseConfigJson(*config);
    if (!image) return unreadable(reference, image.Error());
    for (const LayerInfo& l : image->layers) layers.insert(DigestHex(l.diff_id));
  }
  // The build cache keeps its layers alive (as BuildKit's cache does) until the record forgets
  // them; an entry may name a layer by diff_id or by blob digest.
  auto record = LoadRecord();
  if (!record) return record.Error();
  for (const auto& [key, entry] : record->Entries()) {
    if (entry.layer_digest.empty()) continue;
    layers.insert(DigestHex(entry.layer_digest));
    blobs.insert(DigestHex(entry.layer_digest));
  }
  for (const std::string& hex : layers) {
    if (auto info = Layer("sha256:" + hex)) blobs.insert(DigestHex(info->blob_digest));
  }
  // Sweep.
  uint64_t freed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_ + "/layers", ec)) {
    std::string hex = entry.path().filename().string();
    if (layers.count(hex)) continue;
    auto temp = TempDir("gc");
    if (!temp) return temp.Error();
    std::string doomed = *temp + "/" + hex;
    if (auto s = RenamePath(entry.path().string(), doomed); !s) return s.Error();
    freed += TreeSize(doomed);
    RemoveTree(*temp);
    if (removed) removed->push_back("sha256:" + hex);
  }
  for (const auto& entry : fs::directory_iterator(dir_ + "/blobs/sha256", ec)) {
    std::string hex = entry.path().filename().string();
    if (blobs.count(hex)) continue;
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) == 0) freed += static_cast<uint64_t>(st.st_size);
    ::unlink(entry.path().c_str());
  }
  return freed;
}

}  // namespace dockit::runtime

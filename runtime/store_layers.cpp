// Layers: a gzip blob in blobs/ and an unpacked snapshot in layers/<diff_id hex>/, renamed in
// as a whole directory so a layer is either absent or complete.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "runtime/archive_blob.hpp"
#include "runtime/image_files.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

namespace fs = std::filesystem;

namespace {

std::string LayerJson(const LayerInfo& info) {
  nlohmann::json j = {{"diff_id", info.diff_id},
                      {"blob_digest", info.blob_digest},
                      {"blob_size", info.blob_size},
                      {"size", info.size}};
  return j.dump(1) + "\n";
}

}  // namespace

bool Store::HasLayer(const std::string& diff_id) const { return Layer(diff_id).has_value(); }

std::string Store::LayerDir(const std::string& diff_id) const {
  return dir_ + "/layers/" + DigestHex(diff_id) + "/fs";
}

std::optional<LayerInfo> Store::Layer(const std::string& diff_id) const {
  if (!IsDigest(diff_id)) return std::nullopt;
  auto text = ReadWholeFile(dir_ + "/layers/" + DigestHex(diff_id) + "/layer.json");
  if (!text) return std::nullopt;
  try {
    nlohmann::json j = nlohmann::json::parse(*text);
    LayerInfo info;
    info.diff_id = j.at("diff_id").get<std::string>();
    info.blob_digest = j.at("blob_digest").get<std::string>();
    info.blob_size = j.at("blob_size").get<uint64_t>();
    info.size = j.at("size").get<uint64_t>();
    if (info.diff_id != diff_id) return std::nullopt;
    return info;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Result<LayerInfo> Store::PublishLayer(const std::string& temp_dir, const LayerInfo& info) const {
  // layer.json is written inside the directory first, so the rename publishes both at once.
  if (auto s = WriteSyncedFile(temp_dir + "/layer.json", LayerJson(info)); !s) {
    RemoveTree(temp_dir);
    return s.Error();
  }
  std::string target = dir_ + "/layers/" + DigestHex(info.diff_id);
  if (std::rename(temp_dir.c_str(), target.c_str()) != 0) {
    int error = errno;
    RemoveTree(temp_dir);
    // Another process stored the same layer first: theirs is as good as ours.
    if ((error == EEXIST || error == ENOTEMPTY) && HasLayer(info.diff_id)) {
      return *Layer(info.diff_id);
    }
    return StoreError("store-io",
                      "cannot rename " + temp_dir + " to " + target + ": " + std::strerror(error));
  }
  SyncDir(dir_ + "/layers");
  return info;
}

Result<LayerInfo> Store::AddLayerFromUpper(const std::string& upper_dir) const {
  auto temp = TempDir("layer");
  if (!temp) return temp.Error();
  auto facts = WriteLayer(upper_dir, *temp + "/blob");
  if (!facts) {
    RemoveTree(*temp);
    return facts.Error();
  }
  auto digest = PutBlobFile(*temp + "/blob");
  if (!digest) {
    RemoveTree(*temp);
    return digest.Error();
  }
  LayerInfo info{facts->diff_id, *digest, facts->blob_size, facts->size};
  if (HasLayer(info.diff_id)) {
    RemoveTree(*temp);
    RemoveTree(upper_dir);
    return *Layer(info.diff_id);
  }
  if (auto s = RenamePath(upper_dir, *temp + "/fs"); !s) {
    RemoveTree(*temp);
    return StoreError("store-io", s.Error().message +
                                      " (the upper directory must be made under the store's tmp/)");
  }
  return PublishLayer(*temp, info);
}

Result<LayerInfo> Store::AddLayerFromBlob(const std::string& blob_path, const LayerLimits& limits,
                                          const std::string& expected_diff_id) const {
  auto temp = TempDir("layer");
  if (!temp) return temp.Error();
  std::string blob = *temp + "/blob.gz";
  auto gzip = WriteGzipBlob(blob_path, blob);
  if (!gzip) {
    RemoveTree(*temp);
    return gzip.Error();
  }
  if (!expected_diff_id.empty() && gzip->diff_id != expected_diff_id) {
    RemoveTree(*temp);
    return StoreError("diff-id-mismatch", "layer " + blob_path + " has diff_id " + gzip->diff_id +
                                              ", but the image config says " + expected_diff_id);
  }
  if (auto existing = Layer(gzip->diff_id); existing && HasBlob(existing->blob_digest)) {
    RemoveTree(*temp);
    return *existing;
  }
  std::error_code ec;
  fs::create_directory(*temp + "/fs", ec);
  // Device nodes and fifos are part of images (a debootstrap rootfs has /dev/null, a RUN may
  // mknod): Docker keeps them, and so does the store. They are harmless here: the store is
  // readable by its owner only, and the sandbox mounts every root nodev.
  LayerLimits store_limits = limits;
  store_limits.allow_devices = true;
  auto facts = UnpackLayer(blob, *temp + "/fs", store_limits);
  if (!facts) {
    RemoveTree(*temp);
    return facts.Error();
  }
  auto digest = PutBlobFile(blob);
  if (!digest) {
    RemoveTree(*temp);
    return digest.Error();
  }
  return PublishLayer(*temp, LayerInfo{gzip->diff_id, *digest, gzip->blob_size, facts->size});
}

}  // namespace dockit::runtime

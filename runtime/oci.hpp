// OCI images in the store: config and manifest JSON (OCI image spec v1.1, with the docker
// media types' fields that docker and podman read), and the archive formats images travel in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

// An image as the store holds it.
struct StoredImage {
  std::string manifest_digest;
  std::string config_digest;      // the image ID
  std::vector<LayerInfo> layers;  // bottom first
  plan::ImageConfig config;
  std::vector<plan::HistoryEntry> history;
  int64_t created = 0;
  std::string architecture = "amd64";
  std::string os = "linux";
};

// Writes the config and manifest blobs of an image made of stored layers and returns it
// (not yet tagged). `created` is Unix seconds.
// The caller holds the store's shared lock (as for every write).
Result<StoredImage> CommitImage(const Store& store, const std::vector<std::string>& diff_ids,
                                const plan::ImageConfig& config,
                                const std::vector<plan::HistoryEntry>& history, int64_t created);

// Reads an image by reference, digest or ID prefix.
Result<StoredImage> LoadImage(const Store& store, const std::string& reference);

// The image config JSON (OCI) for `image`, as `dexec inspect` shows it; and back.
// Deterministic (sorted keys, no whitespace), so the same image always has the same ID.
std::string ConfigJson(const StoredImage& image);
// Fills config, history, created, architecture, os and the layers' diff_ids (only those).
Result<StoredImage> ParseConfigJson(std::string_view text);

// The parts of a manifest the store follows.
struct ManifestRef {
  std::string config_digest;
  std::vector<std::string> layer_digests;  // blob digests, bottom first
};
Result<ManifestRef> ParseManifest(std::string_view text);

// Stores `config_json` as it is (a loaded image keeps its ID) and a manifest over the stored
// layers its rootfs.diff_ids name; errors if a layer is missing.
Result<StoredImage> CommitConfig(const Store& store, const std::string& config_json);

// RFC 3339 in UTC ("2025-01-06T09:00:00Z") and back (fractions and offsets accepted).
std::string FormatRfc3339(int64_t unix_seconds);
std::optional<int64_t> ParseRfc3339(std::string_view text);

// `docker import`: a root filesystem tar (plain, gzip, bzip2 or xz) becomes a one-layer image
// tagged `reference`.
Result<StoredImage> ImportRootfs(const Store& store, const std::string& tar_path,
                                 const std::string& reference, int64_t now);

// `docker load`: a `docker save` archive (manifest.json, <id>.json, layer tars) or an OCI
// image layout archive (oci-layout, index.json, blobs/); every image in it is stored and
// tagged with the names the archive gives (RepoTags, or org.opencontainers.image.ref.name).
// Returns the references loaded.
Result<std::vector<std::string>> LoadArchive(const Store& store, const std::string& archive_path);

// `docker save`, as an OCI image layout archive that also carries docker's manifest.json (so
// both `docker load` and `skopeo copy oci-archive:` take it). Written to a temporary name next
// to `out_path`, then renamed.
Status SaveArchive(const Store& store, const std::vector<std::string>& references,
                   const std::string& out_path);

}  // namespace dockit::runtime

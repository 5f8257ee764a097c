// The content-addressed store under ROOT/runtime:
//   blobs/sha256/<hex>      layer blobs (gzip tar), image configs and manifests, by digest
//   layers/<hex>/           one unpacked snapshot per layer diff_id: fs/ (an overlayfs lower
//                           directory) and layer.json (diff_id, blob digest, sizes)
//   images.json             reference ("name:tag") -> manifest digest
//   record.json             the build record (planner/build_record.hpp) of real builds
//   tmp/                    everything is written here first, then renamed into place
//   lock                    flock(2): shared for builds and readers, exclusive for rmi, GC
//                           and check --repair (which delete)
//   index.lock              flock(2) held only while images.json or record.json is rewritten
// A blob or layer exists only once it is completely written (rename is atomic), so a process
// killed at any point leaves only tmp/ debris, which Check() reports and Open() removes when it
// holds the lock alone.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/build_record.hpp"
#include "runtime/layer_archive.hpp"

namespace dockit::runtime {

// An flock(2) on ROOT/runtime/lock, released by the destructor (and by the kernel when the
// process dies, so a killed build never leaves the store locked).
class StoreLock {
 public:
  StoreLock() = default;
  explicit StoreLock(int fd) : fd_(fd) {}
  StoreLock(StoreLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StoreLock& operator=(StoreLock&& other) noexcept;
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  int fd_ = -1;
};

struct LayerInfo {
  std::string diff_id;
  std::string blob_digest;
  uint64_t blob_size = 0;
  uint64_t size = 0;  // as `docker history` counts it
};

struct ImageEntry {
  std::string reference;        // "name:tag" (docker's normalisation: "busybox" = "busybox:latest")
  std::string manifest_digest;  // the OCI manifest's digest (the image ID is its config digest)
};

struct CheckReport {
  std::vector<std::string> problems;  // each a sentence naming the object: empty = consistent
  std::vector<std::string> removed;   // tmp/ debris removed (with repair)
  bool Consistent() const { return problems.empty(); }
};

class Store {
 public:
  // Opens (creating if needed) ROOT/runtime. Not being able to create it is an error naming
  // the directory.
  static Result<Store> Open(const std::string& root);

  const std::string& Dir() const { return dir_; }  // ROOT/runtime
  std::string RecordPath() const { return dir_ + "/record.json"; }
  // A fresh, empty directory under tmp/ (removed by the next Open or Check if left behind).
  Result<std::string> TempDir(std::string_view purpose) const;

  // Blocks until the lock is held. Builds, imports, loads, tag and readers take it shared
  // (their writes are atomic renames, and images.json/record.json updates take index.lock);
  // rmi, garbage collection and repairs, which delete, take it exclusively.
  Result<StoreLock> LockExclusive() const;
  Result<StoreLock> LockShared() const;

  // Blobs. PutBlobFile hashes a file written under tmp/ and renames it into place (if the
  // digest is already stored the file is removed); PutBlob writes bytes the same way.
  Result<std::string> PutBlobFile(const std::string& temp_path) const;
  Result<std::string> PutBlob(std::string_view bytes) const;
  bool HasBlob(const std::string& digest) const;
  std::string BlobPath(const std::string& digest) const;
  Result<std::string> ReadBlob(const std::string& digest) const;  // small blobs (JSON)

  // Layers. AddLayerFromUpper writes the blob of a RUN/COPY upper directory (WriteLayer) and
  // then renames the directory itself into layers/ as the snapshot; AddLayerFromBlob unpacks a
  // blob (import, load) into a snapshot. Both return the existing layer if the diff_id is
  // already stored.
  Result<LayerInfo> AddLayerFromUpper(const std::string& upper_dir) const;
  Result<LayerInfo> AddLayerFromBlob(const std::string& blob_path,
                                     const LayerLimits& limits = {}) const;
  bool HasLayer(const std::string& diff_id) const;
  std::optional<LayerInfo> Layer(const std::string& diff_id) const;
  std::string LayerDir(const std::string& diff_id) const;  // .../layers/<hex>/fs

  // Image references.
  Result<std::vector<ImageEntry>> Images() const;
  // "busybox" -> "busybox:latest"; a digest or an unambiguous image-ID prefix resolves too.
  Result<std::string> Resolve(const std::string& reference) const;  // -> manifest digest
  Status Tag(const std::string& reference, const std::string& manifest_digest) const;
  Status Untag(const std::string& reference) const;

  // The build record of real builds; UpdateRecord reloads it under index.lock, applies
  // `change` and saves it atomically, so concurrent builds never lose each other's entries.
  Result<plan::BuildRecord> LoadRecord() const;
  Status UpdateRecord(const std::function<void(plan::BuildRecord&)>& change) const;

  // Removes blobs and layers no image references (after rmi); returns the bytes freed.
  Result<uint64_t> CollectGarbage() const;

  // Verifies every blob's digest, every layer's snapshot and metadata, every image's manifest,
  // config and layers, and the record's JSON; with `repair` removes tmp/ debris.
  CheckReport Check(bool repair) const;

 private:
  explicit Store(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace dockit::runtime

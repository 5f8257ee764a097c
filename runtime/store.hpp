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
  // What interrupted writes left under tmp/ (and half-written index files): harmless, since
  // nothing in the store refers to it, so it does not make the store inconsistent; the next
  // writer that holds the lock alone, or a repair, removes it.
  std::vector<std::string> debris;
  std::vector<std::string> removed;  // debris removed (with repair)
  bool Consistent() const { return problems.empty(); }
};

class Store {
 public:
  // Opens (creating if needed) ROOT/runtime. Not being able to create it is an error naming
  // the directory. Removes tmp/ debris when nobody holds the lock, unless `clear_debris` is
  // false (`dexec system check` without --repair reports it instead).
  static Result<Store> Open(const std::string& root, bool clear_debris = true);

  const std::string& Dir() const { return dir_; }  // ROOT/runtime
  std::string RecordPath() const { return dir_ + "/record.json"; }
  // A fresh, empty directory under tmp/ (removed by the next Open or Check if left behind).
  Result<std::string> TempDir(std::string_view purpose) const;

  // Blocks until the lock is held. Writing to tmp/ (TempDir, PutBlob, AddLayer*, CommitImage)
  // needs one of them held, since Open() clears tmp/ whenever nobody holds the lock. Builds,
  // imports, loads, tag and readers take it shared (their writes are atomic renames, and
  // images.json/record.json updates take index.lock); rmi, garbage collection and repairs, which
  // delete, take it exclusively.
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
  // The upper directory must be on the store's filesystem (made under TempDir()); on success
  // it is gone (moved into layers/, or removed when the layer was already stored).
  Result<LayerInfo> AddLayerFromUpper(const std::string& upper_dir) const;
  // The blob may be gzip, plain, bzip2, xz or zstd; the store keeps gzip (a gzip blob as it
  // is, others recompressed), so the diff_id is always the digest of the tar as given. With
  // `expected_diff_id` a different tar is an error before anything is unpacked (image loads
  // check each layer against its config's rootfs.diff_ids).
  Result<LayerInfo> AddLayerFromBlob(const std::string& blob_path, const LayerLimits& limits = {},
                                     const std::string& expected_diff_id = "") const;
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

  // Removes blobs and layers that neither a tagged image nor the build record references
  // (after rmi); returns the bytes freed and, in *removed, the removed digests. Takes the
  // exclusive lock itself: the caller must not hold a StoreLock.
  Result<uint64_t> CollectGarbage(std::vector<std::string>* removed = nullptr) const;

  // Verifies every blob's digest, every layer's snapshot and metadata, every image's manifest,
  // config and layers, and the record's JSON; with `repair` removes tmp/ debris. Takes the
  // exclusive lock itself (a build in progress owns its tmp/ files), so it waits for builds.
  CheckReport Check(bool repair) const;

 private:
  explicit Store(std::string dir) : dir_(std::move(dir)) {}
  // index.lock, held while images.json or record.json is read, modified and rewritten.
  Result<StoreLock> LockIndex() const;
  Result<std::map<std::string, std::string>> ReadIndex() const;
  Status WriteIndex(const std::map<std::string, std::string>& index) const;
  // Moves a finished layer directory (fs/ and layer.json) into layers/.
  Result<LayerInfo> PublishLayer(const std::string& temp_dir, const LayerInfo& info) const;
  void ClearDebris(CheckReport* report) const;
  std::string dir_;
};

}  // namespace dockit::runtime

// `dexec save`: an OCI image layout tar (oci-layout, index.json, blobs/sha256/...) that also
// carries docker's manifest.json, so skopeo (oci-archive:), podman and docker load all take it.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "runtime/image_files.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"

namespace dockit::runtime {

namespace {

using json = nlohmann::json;

Diagnostic SaveError(const std::string& message) { return StoreError("save-failed", message); }

class TarWriter {
 public:
  explicit TarWriter(const std::string& path) : path_(path), a_(archive_write_new()) {
    archive_write_set_format_pax_restricted(a_);
    ok_ = archive_write_open_filename(a_, path.c_str()) == ARCHIVE_OK;
  }
  ~TarWriter() { archive_write_free(a_); }
  bool ok() const { return ok_; }
  std::string Error() const {
    return path_ + ": " + (archive_error_string(a_) ? archive_error_string(a_) : "write failed");
  }

  bool Directory(const std::string& name) { return Header(name, AE_IFDIR, 0755, 0); }

  bool Bytes(const std::string& name, std::string_view bytes) {
    if (!Header(name, AE_IFREG, 0644, bytes.size())) return false;
    return archive_write_data(a_, bytes.data(), bytes.size()) ==
           static_cast<la_ssize_t>(bytes.size());
  }

  bool File(const std::string& name, const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!in) return false;
    std::fseek(in.get(), 0, SEEK_END);
    long size = std::ftell(in.get());
    std::fseek(in.get(), 0, SEEK_SET);
    if (size < 0 || !Header(name, AE_IFREG, 0644, static_cast<uint64_t>(size))) return false;
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0) {
      if (archive_write_data(a_, buffer, n) != static_cast<la_ssize_t>(n)) return false;
    }
    return true;
  }

  bool Close() { return archive_write_close(a_) == ARCHIVE_OK; }

 private:
  // Fixed owners and times, so saving the same images twice gives the same bytes.
  bool Header(const std::string& name, mode_t type, mode_t perm, uint64_t size) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                               archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), perm);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e.get(), 0, 0);
    return archive_write_header(a_, e.get()) == ARCHIVE_OK;
  }

  std::string path_;
  archive* a_;
  bool ok_ = false;
};

}  // namespace

Status SaveArchive(const Store& store, const std::vector<std::string>& references,
                   const std::string& out_path) {
  auto lock = store.LockShared();  // no GC may delete a blob while it is copied
  if (!lock) return lock.Error();
  json index_manifests = json::array();
  json docker_manifest = json::array();
  std::vector<std::string> blobs;  // in order, each once
  std::set<std::string> seen;
  auto add_blob = [&](const std::string& digest) {
    if (seen.insert(digest).second) blobs.push_back(digest);
  };
  for (const std::string& reference : references) {
    auto image = LoadImage(store, reference);
    if (!image) return image.Error();
    auto manifest = store.ReadBlob(image->manifest_digest);
    if (!manifest) return manifest.Error();
    // A name (not an ID) is saved with its tag; an ID prefix saves the image without one.
    std::optional<std::string> name;
    if (auto normalized = NormalizeReference(reference); normalized) {
      auto index = store.Images();
      if (index) {
        for (const ImageEntry& e : *index) {
          if (e.reference == *normalized) name = *normalized;
        }
      }
    }
    json descriptor = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                       {"digest", image->manifest_digest},
                       {"size", manifest->size()}};
    json repo_tags = json::array();
    if (name) {
      descriptor["annotations"] = {{"io.containerd.image.name", FullReference(*name)},
                                   {"org.opencontainers.image.ref.name", SplitTag(*name).second}};
      repo_tags.push_back(*name);
    }
    index_manifests.push_back(descriptor);
    add_blob(image->manifest_digest);
    add_blob(image->config_digest);
    json layers = json::array();
    for (const LayerInfo& l : image->layers) {
      if (!store.HasBlob(l.blob_digest)) {
        return SaveError("image " + reference + ": layer blob " + l.blob_digest + " is missing");
      }
      add_blob(l.blob_digest);
      layers.push_back("blobs/sha256/" + DigestHex(l.blob_digest));
    }
    docker_manifest.push_back({{"Config", "blobs/sha256/" + DigestHex(image->config_digest)},
                               {"RepoTags", repo_tags},
                               {"Layers", layers}});
  }
  json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", index_manifests}};
  std::string temp = out_path + ".tmp-" + std::to_string(::getpid());
  {
    TarWriter tar(temp);
    if (!tar.ok()) return SaveError("cannot write " + tar.Error());
    bool ok = tar.Bytes("oci-layout", R"({"imageLayoutVersion":"1.0.0"})") &&
              tar.Bytes("index.json", index.dump()) &&
              tar.Bytes("manifest.json", docker_manifest.dump()) && tar.Directory("blobs") &&
              tar.Directory("blobs/sha256");
    for (const std::string& digest : blobs) {
      if (!ok) break;
      ok = tar.File("blobs/sha256/" + DigestHex(digest), store.BlobPath(digest));
    }
    if (!ok || !tar.Close()) {
      std::string error = tar.Error();
      ::unlink(temp.c_str());
      return SaveError("cannot write " + error);
    }
  }
  if (auto s = SyncFile(temp); !s) {
    ::unlink(temp.c_str());
    return s.Error();
  }
  if (auto s = RenamePath(temp, out_path); !s) {
    ::unlink(temp.c_str());
    return s.Error();
  }
  return OkStatus();
}

}  // namespace dockit::runtime

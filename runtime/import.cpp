// `dexec import`: a root filesystem tar becomes a one-layer image, as `docker import` makes it
// (an empty config: docker import sets no Env or Cmd either).
#include "runtime/image_files.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"

namespace dockit::runtime {

Result<StoredImage> ImportRootfs(const Store& store, const std::string& tar_path,
                                 const std::string& reference, int64_t now) {
  // A bad name is refused before any work is done.
  auto normalized = NormalizeReference(reference);
  if (!normalized) return normalized.Error();
  auto lock = store.LockShared();
  if (!lock) return lock.Error();
  auto layer = store.AddLayerFromBlob(tar_path);
  if (!layer) return layer.Error();
  plan::HistoryEntry history;
  history.created_by = "import";
  history.created = now;
  history.size = layer->size;
  auto image = CommitImage(store, {layer->diff_id}, plan::ImageConfig{}, {history}, now);
  if (!image) return image.Error();
  if (auto s = store.Tag(*normalized, image->manifest_digest); !s) return s.Error();
  return image;
}

}  // namespace dockit::runtime

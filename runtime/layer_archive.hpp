// Layers as tar change sets (OCI image layer spec) and as overlayfs directories.
//
// A layer lives in two forms: the gzip blob that images carry (regular tar entries, `.wh.NAME`
// for a deleted NAME, `.wh..wh..opq` for a directory whose lower contents are hidden) and the
// unpacked snapshot that overlayfs stacks as a lower directory (a deleted NAME is a 0/0
// character device, an opaque directory has the `trusted.overlay.opaque=y` xattr). A RUN's
// overlay upper directory is already in the second form; WriteLayer turns it into the first,
// UnpackLayer does the reverse for blobs that come from elsewhere (import, load, a base image).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"

namespace dockit::runtime {

// Caps on what unpacking accepts: a hostile or broken archive must not fill the disk.
struct LayerLimits {
  uint64_t max_file_size = uint64_t{8} << 30;    // one entry
  uint64_t max_total_size = uint64_t{32} << 30;  // all entries
  uint64_t max_entries = 1'000'000;
  // Device nodes and fifos are refused in blobs from elsewhere; the store may allow them when
  // it unpacks a layer its own RUN step wrote (RUN mknod), as Docker keeps them.
  bool allow_devices = false;
};

// What a layer is, in both forms.
struct LayerFacts {
  std::string diff_id;      // sha256 of the uncompressed tar
  std::string blob_digest;  // sha256 of the gzip blob
  uint64_t blob_size = 0;   // bytes of the gzip blob
  uint64_t size = 0;        // as `docker history` counts it: regular files' sizes (a hard-
                            // linked inode once) plus symlink targets' lengths
  // Sorted by path, in the simulator's model (sim/layer_stack.hpp): a kWhiteout's path is the
  // hidden path itself, an opaque directory is one kOpaqueDirectory entry with the directory's
  // metadata, the second and later paths of a hard-linked inode are kHardlink entries whose
  // link_target is the first path ("/a/b"). Device nodes and fifos have no kind and are not
  // listed (they are still in the tar).
  std::vector<plan::FileChange> changes;
};

// Writes `upper_dir` (an overlayfs upper directory, or any directory tree) as a layer: the
// gzip blob goes to `blob_path` (written there directly; the caller renames it into the
// store). Entries are sorted by name, owners are numeric, device whiteouts become `.wh.`
// entries and opaque directories get a `.wh..wh..opq` entry, so the same tree always gives
// the same diff_id. Sockets are skipped, as Docker does. Modification times are kept in whole
// seconds (plain ustar headers); of the extended attributes only security.capability is kept.
// The blob is not fsync'ed: the store does that before it renames the blob into place.
Result<LayerFacts> WriteLayer(const std::string& upper_dir, const std::string& blob_path);

// Unpacks a layer blob (gzip or plain tar, detected) into the empty directory `dest_dir` as an
// overlayfs lower directory. Rejects, with the entry's name: absolute names and names with
// `..`, hard links whose target is not a file this layer extracted earlier, device nodes and
// fifos (unless `limits.allow_devices`), and anything past `limits`. Symlinks are stored as
// they are (they are resolved inside the container's root, never on the host), and an entry
// whose parent path crosses a symlink is refused: every component is opened with O_NOFOLLOW,
// so nothing is ever written through one. A "./" root entry (as `tar -C rootfs -c .` writes)
// is skipped; a later entry for a path replaces an earlier one, as tar does. Only the
// security.capability xattr is applied: a layer cannot set trusted.overlay.* attributes except
// through `.wh.` entries. On error `dest_dir` may hold a partial tree: the caller unpacks into
// a temporary directory.
Result<LayerFacts> UnpackLayer(const std::string& blob_path, const std::string& dest_dir,
                               const LayerLimits& limits = {});

// Flattens layer directories (bottom first) into `dest_dir` the way overlayfs would show them,
// without mounting: used to read files of an image (its /etc/passwd, COPY --from sources) and
// to compare trees in tests. Whiteouts delete, opaque directories hide what is below; modes,
// owners, mtimes, symlinks and hard links (within a layer) are kept.
Status FlattenLayers(const std::vector<std::string>& layer_dirs, const std::string& dest_dir);

}  // namespace dockit::runtime

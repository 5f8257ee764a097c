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
  std::vector<plan::FileChange> changes;  // sorted by path
};

// Writes `upper_dir` (an overlayfs upper directory, or any directory tree) as a layer: the
// gzip blob goes to `blob_path` (written there directly; the caller renames it into the
// store). Entries are sorted by name, owners are numeric, device whiteouts become `.wh.`
// entries and opaque directories get a `.wh..wh..opq` entry, so the same tree always gives
// the same diff_id. Sockets are skipped, as Docker does.
Result<LayerFacts> WriteLayer(const std::string& upper_dir, const std::string& blob_path);

// Unpacks a layer blob (gzip or plain tar, detected) into the empty directory `dest_dir` as an
// overlayfs lower directory. Rejects, with the entry's name: absolute names and names with
// `..`, hard links whose target is outside the layer or missing, symlinks are stored as they
// are (they are resolved inside the container's root, never on the host) but no entry is ever
// written through a symlink, device nodes other than whiteouts, and anything past `limits`.
// On error `dest_dir` may hold a partial tree: the caller unpacks into a temporary directory.
Result<LayerFacts> UnpackLayer(const std::string& blob_path, const std::string& dest_dir,
                               const LayerLimits& limits = {});

// Flattens layer directories (bottom first) into `dest_dir` the way overlayfs would show them,
// without mounting: used to read files of an image (its /etc/passwd, COPY --from sources) and
// to compare trees in tests. Whiteouts delete, opaque directories hide what is below.
Status FlattenLayers(const std::vector<std::string>& layer_dirs, const std::string& dest_dir);

}  // namespace dockit::runtime

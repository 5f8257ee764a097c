// What COPY and ADD write into a step's view of the image (the overlay's merged directory):
// from the build context, the exact files the plan selected, or from another stage's or
// image's root filesystem (--from). Destinations are resolved inside the image root (its
// symlinks followed, never out of it); sources are never read through a symlink: context files
// are opened beneath the context without following any symlink, and a symlink is copied as a
// symlink. Owners are root unless --chown (names from the image's /etc/passwd and
// /etc/group), modes the source's unless --chmod, missing parents are made root-owned 0755.
#pragma once

#include <string>

#include "parser/diagnostic.hpp"
#include "planner/plan.hpp"

namespace dockit::runtime {

// COPY/ADD from the context into `dest_root`. ADD of a local tar archive (plain, gzip, bzip2
// or xz) extracts it into the destination directly (runtime/add_archive.hpp): the archive's
// owners (or --chown's), modes, mtimes and hard links. `scratch_dir` is no longer used.
Status CopyFromContext(const plan::Step& step, const std::string& context_dir,
                       const std::string& dest_root, const std::string& scratch_dir);

// COPY --from: each source (a path, or a pattern in its last component) in `source_root`,
// resolved inside that root, a folder's contents copied into the destination folder.
Status CopyFromTree(const plan::Step& step, const std::string& source_root,
                    const std::string& dest_root);

}  // namespace dockit::runtime

// ADD of a local archive: a tar (plain, gzip, bzip2 or xz, as Docker's ADD accepts) extracted
// as it is into a destination directory of the image, the way Docker's ADD unpacks it and not
// the way a layer is unpacked: owners are the archive's (or --chown's, for every entry), modes
// and mtimes the archive's, hard links stay hard links, and `.wh.NAME` is an ordinary file.
//
// The archive is untrusted: absolute names and names with `..` are refused, every parent
// component is opened with O_NOFOLLOW from the destination directory (a symlink the archive or
// the image put there is never written through: the entry is refused), hard links may only
// point to files this archive extracted earlier, device nodes are refused (fifos are made), and
// sizes are capped by LayerLimits.
#pragma once

#include <optional>
#include <string>

#include "parser/diagnostic.hpp"
#include "runtime/copy_paths.hpp"
#include "runtime/layer_archive.hpp"

namespace dockit::runtime {

// Whether the open regular file `fd` is a tar archive ADD extracts: a plain, gzip, bzip2 or xz
// stream whose first tar header reads. Anything else (a .gz of a text file, an empty tar) is
// copied as a file, as Docker does. Reads with pread: the file offset is unchanged.
bool IsAddArchive(int fd);

// Extracts the archive open as `fd` into the directory `dest_dir_fd` (any fd of a directory,
// O_PATH is fine). `chown`, when set, owns every extracted entry; otherwise the archive's
// numeric owners are kept. `shown` names the archive in errors. On error the destination may
// hold part of the archive (nothing outside it is touched); the caller's step fails.
Status ExtractAddArchive(int fd, const std::string& shown, int dest_dir_fd,
                         const std::optional<Owner>& chown, const LayerLimits& limits = {});

}  // namespace dockit::runtime

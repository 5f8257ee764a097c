// Layer blobs as the store keeps them: gzip. A tar that arrives plain (docker save), or
// compressed some other way (an import of a .tar.xz), is gzip-compressed byte for byte, so its
// diff_id (the digest of the uncompressed tar) never changes.
#pragma once

#include <cstdint>
#include <string>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

struct GzipBlob {
  std::string diff_id;      // sha256 of the uncompressed stream
  std::string blob_digest;  // sha256 of the gzip file written
  uint64_t blob_size = 0;
};

// Reads `input` (gzip, bzip2, xz, zstd or plain; libarchive detects it) and writes it as gzip
// to `output` (a gzip input is copied unchanged, keeping its blob digest).
Result<GzipBlob> WriteGzipBlob(const std::string& input, const std::string& output);

}  // namespace dockit::runtime

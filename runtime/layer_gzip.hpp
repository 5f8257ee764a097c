// The two streams under a layer tar: writing gzip while hashing both sides (the tar bytes give
// the diff_id, the gzip bytes the blob digest), and reading a blob back while hashing both
// sides the same way. One pass over the data each way: a layer is never held in memory.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/digest.hpp"
#include "runtime/layer_fs.hpp"

namespace dockit::runtime {

// Tar bytes in, a gzip file out. The gzip header has no name and a zero mtime, so the same tar
// always gives the same blob.
class HashingGzipWriter {
 public:
  HashingGzipWriter() = default;
  ~HashingGzipWriter();
  HashingGzipWriter(const HashingGzipWriter&) = delete;
  HashingGzipWriter& operator=(const HashingGzipWriter&) = delete;

  Status Open(const std::string& path);
  Status Write(std::string_view tar_bytes);
  // Flushes the gzip trailer; the digests are valid afterwards.
  Status Finish();

  const std::string& diff_id() const { return diff_id_; }
  const std::string& blob_digest() const { return blob_digest_; }
  uint64_t blob_size() const { return blob_size_; }

 private:
  Status Deflate(int flush);

  std::string path_;
  Fd out_;
  z_stream zs_{};
  bool zs_ready_ = false;
  std::vector<unsigned char> buffer_ = std::vector<unsigned char>(1 << 16);
  plan::Sha256 tar_hash_;
  plan::Sha256 blob_hash_;
  std::string diff_id_;
  std::string blob_digest_;
  uint64_t blob_size_ = 0;
};

// A blob file in, tar bytes out: gzip (one or more members) is inflated, a plain tar passes
// through; anything else is an error that names the compression.
class HashingTarReader {
 public:
  HashingTarReader() = default;
  ~HashingTarReader();
  HashingTarReader(const HashingTarReader&) = delete;
  HashingTarReader& operator=(const HashingTarReader&) = delete;

  Status Open(const std::string& path);
  // The next chunk of tar bytes (empty at the end), valid until the next call.
  Result<std::string_view> Read();
  // Reads what the tar reader left unread (the end-of-archive padding) so the digests cover
  // the whole blob, then finishes them.
  Status Finish();

  const std::string& diff_id() const { return diff_id_; }
  const std::string& blob_digest() const { return blob_digest_; }
  uint64_t blob_size() const { return blob_size_; }
  // The last error Read() hit, for the libarchive callback that can only return -1.
  const std::optional<Diagnostic>& error() const { return error_; }
  void set_error(Diagnostic error) { error_ = std::move(error); }

 private:
  // Refills in_ from the file; false at its end.
  Result<bool> Fill();

  std::string path_;
  Fd in_;
  bool gzip_ = false;
  bool at_eof_ = false;
  bool stream_end_ = false;  // the current gzip member is complete
  z_stream zs_{};
  bool zs_ready_ = false;
  std::vector<unsigned char> in_buf_ = std::vector<unsigned char>(1 << 16);
  size_t in_len_ = 0;
  size_t in_pos_ = 0;
  std::vector<unsigned char> out_buf_ = std::vector<unsigned char>(1 << 17);
  plan::Sha256 tar_hash_;
  plan::Sha256 blob_hash_;
  std::string diff_id_;
  std::string blob_digest_;
  uint64_t blob_size_ = 0;
  std::optional<Diagnostic> error_;
};

}  // namespace dockit::runtime

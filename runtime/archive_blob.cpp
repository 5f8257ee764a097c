#include "runtime/archive_blob.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "planner/digest.hpp"
#include "runtime/image_files.hpp"

namespace dockit::runtime {
namespace {

Diagnostic BlobError(const std::string& message) { return StoreError("bad-layer", message); }

bool StartsWithGzipMagic(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char magic[2] = {0, 0};
  size_t n = std::fread(magic, 1, 2, f);
  std::fclose(f);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

// Writes gzip to a FILE while hashing what is written.
class GzipWriter {
 public:
  explicit GzipWriter(std::FILE* out) : out_(out) {
    stream_ = {};
    ok_ = deflateInit2(&stream_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                       Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipWriter() { deflateEnd(&stream_); }
  bool Write(const void* data, size_t size, bool finish) {
    stream_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    stream_.avail_in = static_cast<uInt>(size);
    unsigned char buffer[65536];
    int rc;
    do {
      stream_.next_out = buffer;
      stream_.avail_out = sizeof buffer;
      rc = deflate(&stream_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return false;
      size_t have = sizeof buffer - stream_.avail_out;
      if (have > 0) {
        if (std::fwrite(buffer, 1, have, out_) != have) return false;
        hash_.Update(std::string_view(reinterpret_cast<char*>(buffer), have));
        size_ += have;
      }
    } while (stream_.avail_out == 0 || (finish && rc != Z_STREAM_END));
    return ok_;
  }
  std::string Digest() { return hash_.Finish(); }
  uint64_t Size() const { return size_; }

 private:
  std::FILE* out_;
  z_stream stream_;
  bool ok_ = false;
  plan::Sha256 hash_;
  uint64_t size_ = 0;
};

}  // namespace

Result<GzipBlob> WriteGzipBlob(const std::string& input, const std::string& output) {
  bool copy = StartsWithGzipMagic(input);
  std::unique_ptr<archive, int (*)(archive*)> reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_raw(reader.get());
  if (archive_read_open_filename(reader.get(), input.c_str(), 1 << 16) != ARCHIVE_OK) {
    return BlobError("cannot read " + input + ": " + archive_error_string(reader.get()));
  }
  archive_entry* entry = nullptr;
  if (archive_read_next_header(reader.get(), &entry) != ARCHIVE_OK) {
    return BlobError("cannot read " + input + ": " + archive_error_string(reader.get()));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(output.c_str(), "wb"),
                                                      std::fclose);
  if (!out) return BlobError("cannot write " + output);
  GzipWriter gzip(out.get());
  plan::Sha256 diff_id;
  char buffer[65536];
  for (;;) {
    la_ssize_t n = archive_read_data(reader.get(), buffer, sizeof buffer);
    if (n < 0) return BlobError("cannot read " + input + ": " + archive_error_string(reader.get()));
    if (n == 0) break;
    diff_id.Update(std::string_view(buffer, static_cast<size_t>(n)));
    if (!copy && !gzip.Write(buffer, static_cast<size_t>(n), false)) {
      return BlobError("cannot write " + output);
    }
  }
  GzipBlob blob;
  blob.diff_id = diff_id.Finish();
  if (copy) {
    // The gzip blob stays as it came, so manifests that name it keep their digests.
    out.reset();
    std::error_code ec;
    std::filesystem::copy_file(input, output, std::filesystem::copy_options::overwrite_existing,
                               ec);
    if (ec) return BlobError("cannot copy " + input + ": " + ec.message());
    std::string error;
    auto digest = plan::Sha256OfFile(output, &error);
    if (!digest) return BlobError(error);
    blob.blob_digest = *digest;
    blob.blob_size = std::filesystem::file_size(output, ec);
    return blob;
  }
  if (!gzip.Write(nullptr, 0, true) || std::fflush(out.get()) != 0) {
    return BlobError("cannot write " + output);
  }
  blob.blob_digest = gzip.Digest();
  blob.blob_size = gzip.Size();
  return blob;
}

}  // namespace dockit::runtime

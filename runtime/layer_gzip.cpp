#include "runtime/layer_gzip.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dockit::runtime {
namespace {

// zlib's windowBits for a gzip wrapper (15 bits of window, +16 selects gzip).
constexpr int kGzipWindow = 15 + 16;

Status WriteAll(int fd, const unsigned char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path, errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return OkStatus();
}

// What the first bytes of a blob say about its compression; "" for none we recognise.
std::string CompressionOf(const unsigned char* b, size_t n) {
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    if (n < magic.size()) return false;
    return std::memcmp(b, magic.begin(), magic.size()) == 0;
  };
  if (starts({0x1f, 0x8b})) return "gzip";
  if (starts({0x28, 0xb5, 0x2f, 0xfd})) return "zstd";
  if (starts({0xfd, '7', 'z', 'X', 'Z', 0x00})) return "xz";
  if (starts({'B', 'Z', 'h'})) return "bzip2";
  return "";
}

}  // namespace

HashingGzipWriter::~HashingGzipWriter() {
  if (zs_ready_) deflateEnd(&zs_);
}

Status HashingGzipWriter::Open(const std::string& path) {
  path_ = path;
  out_ = Fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out_.Valid()) return ErrnoError(path, errno);
  if (deflateInit2(&zs_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return LayerError("layer-io", path + ": zlib deflateInit2 failed");
  }
  zs_ready_ = true;
  return OkStatus();
}

Status HashingGzipWriter::Write(std::string_view tar_bytes) {
  tar_hash_.Update(tar_bytes);
  zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(tar_bytes.data()));
  zs_.avail_in = static_cast<uInt>(tar_bytes.size());
  return Deflate(Z_NO_FLUSH);
}

Status HashingGzipWriter::Deflate(int flush) {
  int ret = Z_OK;
  do {
    zs_.next_out = buffer_.data();
    zs_.avail_out = static_cast<uInt>(buffer_.size());
    ret = deflate(&zs_, flush);
    if (ret == Z_STREAM_ERROR) return LayerError("layer-io", path_ + ": zlib deflate failed");
    size_t have = buffer_.size() - zs_.avail_out;
    if (have > 0) {
      blob_hash_.Update(std::string_view(reinterpret_cast<const char*>(buffer_.data()), have));
      blob_size_ += have;
      if (Status written = WriteAll(out_.Get(), buffer_.data(), have, path_); !written) {
        return written;
      }
    }
  } while (zs_.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
  return OkStatus();
}

Status HashingGzipWriter::Finish() {
  zs_.next_in = nullptr;
  zs_.avail_in = 0;
  if (Status flushed = Deflate(Z_FINISH); !flushed) return flushed;
  deflateEnd(&zs_);
  zs_ready_ = false;
  if (close(out_.Release()) != 0) return ErrnoError(path_, errno);
  diff_id_ = tar_hash_.Finish();
  blob_digest_ = blob_hash_.Finish();
  return OkStatus();
}

HashingTarReader::~HashingTarReader() {
  if (zs_ready_) inflateEnd(&zs_);
}

Status HashingTarReader::Open(const std::string& path) {
  path_ = path;
  in_ = Fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in_.Valid()) return ErrnoError(path, errno);
  Result<bool> filled = Fill();
  if (!filled) return filled.Error();
  std::string compression = CompressionOf(in_buf_.data(), in_len_);
  if (compression == "gzip") {
    gzip_ = true;
    // +32: zlib detects the gzip header itself; each member is reset in Read().
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) {
      return LayerError("layer-io", path + ": zlib inflateInit2 failed");
    }
    zs_ready_ = true;
  } else if (!compression.empty()) {
    return LayerError("unsupported-layer",
                      path + ": " + compression + " layers are not supported (gzip or plain tar)");
  }
  return OkStatus();
}

Result<bool> HashingTarReader::Fill() {
  while (true) {
    ssize_t n = read(in_.Get(), in_buf_.data(), in_buf_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path_, errno);
    }
    in_pos_ = 0;
    in_len_ = static_cast<size_t>(n);
    if (n == 0) {
      at_eof_ = true;
      return false;
    }
    blob_hash_.Update(std::string_view(reinterpret_cast<const char*>(in_buf_.data()), in_len_));
    blob_size_ += in_len_;
    return true;
  }
}

Result<std::string_view> HashingTarReader::Read() {
  if (!gzip_) {
    if (in_pos_ == in_len_ && !at_eof_) {
      Result<bool> filled = Fill();
      if (!filled) return filled.Error();
    }
    std::string_view chunk(reinterpret_cast<const char*>(in_buf_.data()) + in_pos_,
                           in_len_ - in_pos_);
    in_pos_ = in_len_;
    tar_hash_.Update(chunk);
    return chunk;
  }
  while (true) {
    if (in_pos_ == in_len_ && !at_eof_) {
      Result<bool> filled = Fill();
      if (!filled) return filled.Error();
    }
    bool input_left = in_pos_ < in_len_;
    if (stream_end_) {
      if (!input_left) return std::string_view();
      // Another gzip member follows (concatenated gzip is still one valid blob).
      inflateReset(&zs_);
      stream_end_ = false;
    }
    if (!input_left) return LayerError("bad-layer", path_ + ": the gzip stream is truncated");
    zs_.next_in = in_buf_.data() + in_pos_;
    zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
    zs_.next_out = out_buf_.data();
    zs_.avail_out = static_cast<uInt>(out_buf_.size());
    int ret = inflate(&zs_, Z_NO_FLUSH);
    in_pos_ = in_len_ - zs_.avail_in;
    if (ret == Z_STREAM_END) {
      stream_end_ = true;
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      return LayerError("bad-layer",
                        path_ + ": corrupt gzip data (" + (zs_.msg ? zs_.msg : "zlib error") + ")");
    }
    size_t produced = out_buf_.size() - zs_.avail_out;
    if (produced > 0) {
      std::string_view chunk(reinterpret_cast<const char*>(out_buf_.data()), produced);
      tar_hash_.Update(chunk);
      return chunk;
    }
  }
}

Status HashingTarReader::Finish() {
  while (true) {
    Result<std::string_view> chunk = Read();
    if (!chunk) return chunk.Error();
    if (chunk->empty()) break;
  }
  diff_id_ = tar_hash_.Finish();
  blob_digest_ = blob_hash_.Finish();
  return OkStatus();
}

}  // namespace dockit::runtime

// SHA-256 digests in OCI's `sha256:<hex>` form, for context files, cache keys and layers.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace dockit::plan {

// Incremental SHA-256 (OpenSSL EVP).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& Update(std::string_view bytes);
  // Length-prefixed, so that ("ab","c") and ("a","bc") hash differently.
  Sha256& Field(std::string_view bytes);
  // "sha256:" + 64 lower-case hex digits. The object cannot be updated afterwards.
  std::string Finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

std::string Sha256Of(std::string_view bytes);
// The digest of a file's contents, read in chunks; nullopt (and *error) when it cannot be read.
std::optional<std::string> Sha256OfFile(const std::filesystem::path& path, std::string* error);

}  // namespace dockit::plan

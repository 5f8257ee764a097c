#include "sim/text_store.hpp"

namespace dockit::sim {

FileContent TextStore::Put(std::string_view text) {
  FileContent content = FileContent::Bytes(text);
  texts_.try_emplace(content.digest, text);
  return content;
}

std::optional<std::string_view> TextStore::Get(std::string_view digest) const {
  auto it = texts_.find(digest);
  if (it == texts_.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace dockit::sim

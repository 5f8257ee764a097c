// The text of the small files whose content the simulator must read back: /etc/passwd after a
// useradd, a requirements.txt copied from the context, what `echo hi > f` wrote. Layers hold only
// digests (working_layer.hpp's FileContent); this store maps a digest to its text. It is part
// of the world's state, so `cat` and the RUN model read the same text after a save and a load.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/working_layer.hpp"

namespace dockit::sim {

class TextStore {
 public:
  // Keeps `text` and gives the content to write: its digest is the text's SHA-256, as
  // FileContent::Bytes computes it.
  FileContent Put(std::string_view text);
  // The text of a digest, when the store holds it (synthetic contents never have text).
  std::optional<std::string_view> Get(std::string_view digest) const;

  const std::map<std::string, std::string, std::less<>>& All() const { return texts_; }
  // Drops the texts whose digest `keep` rejects (image and cache pruning).
  template <typename Keep>
  void Retain(Keep keep) {
    std::erase_if(texts_, [&](const auto& entry) { return !keep(entry.first); });
  }

 private:
  std::map<std::string, std::string, std::less<>> texts_;
};

}  // namespace dockit::sim

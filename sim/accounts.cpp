#include "sim/accounts.hpp"

#include "planner/chown_spec.hpp"

namespace dockit::sim {

std::optional<std::string> ReadText(const Tree& view, const TextStore& texts,
                                    std::string_view path) {
  Result<Node> node = view.Stat(path);
  if (!node || node->kind != NodeKind::kFile) return std::nullopt;
  std::optional<std::string_view> text = texts.Get(node->digest);
  if (!text) return std::nullopt;
  return std::string(*text);
}

Result<Owner> ResolveOwner(const Tree& view, const TextStore& texts, std::string_view spec) {
  std::string passwd = ReadText(view, texts, "/etc/passwd").value_or("");
  std::string groups = spec.find(':') == std::string_view::npos
                           ? ""
                           : ReadText(view, texts, "/etc/group").value_or("");
  Result<plan::FileOwner> owner = plan::ResolveChown(spec, passwd, groups);
  if (!owner) return owner.Error();
  return Owner{owner->uid, owner->gid};
}

}  // namespace dockit::sim

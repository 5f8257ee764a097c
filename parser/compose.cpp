#include "parser/compose.hpp"

#include <charconv>

namespace dockit {
namespace {

std::string ScalarOr(const YamlNode* n, std::string fallback = "") {
  return n && n->IsScalar() ? n->value : fallback;
}

std::optional<unsigned> ParsePort(std::string_view s) {
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || ptr != s.data() + s.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// The file offset of byte `i` of a scalar's value: exact for plain scalars and for quoted ones
// without escapes, which is what environment entries are.
uint32_t OffsetInScalar(const YamlNode& n, size_t i) {
  uint32_t base = n.range.begin.offset + (n.plain ? 0 : 1);
  return std::min<uint32_t>(base + static_cast<uint32_t>(i), n.range.end.offset);
}

void ReadDependsOn(const YamlNode& node, ComposeService& s) {
  if (node.IsSequence()) {
    for (const YamlNode& item : node.items) {
      if (item.IsScalar()) s.depends_on.push_back({item.value, &item});
    }
  } else if (node.IsMap()) {
    for (const YamlEntry& e : node.entries) {
      ComposeDependency d{e.key.value, &e.key};
      d.short_form = false;
      if (const YamlNode* c = e.value.Find("condition"); c && c->IsScalar()) {
        d.condition = c->value;
        d.condition_node = c;
      }
      s.depends_on.push_back(std::move(d));
    }
  }
}

void ReadBuild(const YamlNode& node, ComposeService& s) {
  ComposeBuild b;
  b.node = &node;
  if (node.IsScalar()) {
    b.context = node.value;
    b.context_node = &node;
  } else if (node.IsMap()) {
    if (const YamlNode* c = node.Find("context"); c && c->IsScalar()) {
      b.context = c->value;
      b.context_node = c;
    }
    if (const YamlNode* d = node.Find("dockerfile"); d && d->IsScalar()) {
      b.dockerfile = d->value;
      b.dockerfile_node = d;
    }
    b.dockerfile_inline = node.Find("dockerfile_inline") != nullptr;
  } else {
    return;
  }
  s.build = std::move(b);
}

void ReadEnvironment(const YamlNode& node, ComposeService& s) {
  if (node.IsMap()) {
    for (const YamlEntry& e : node.entries) {
      ComposeEnvVar v{e.key.value};
      v.node = &e.value;
      v.has_value = !e.value.IsNull();
      v.value = e.value.IsScalar() ? e.value.value : "";
      v.value_offset = OffsetInScalar(e.value, 0);
      s.environment.push_back(std::move(v));
    }
  } else if (node.IsSequence()) {
    for (const YamlNode& item : node.items) {
      if (!item.IsScalar()) continue;
      size_t eq = item.value.find('=');
      ComposeEnvVar v{item.value.substr(0, eq)};
      v.node = &item;
      v.has_value = eq != std::string::npos;
      if (v.has_value) v.value = item.value.substr(eq + 1);
      v.value_offset = OffsetInScalar(item, v.has_value ? eq + 1 : 0);
      s.environment.push_back(std::move(v));
    }
  }
}

ComposeService ReadService(const YamlEntry& entry) {
  ComposeService s;
  s.name = entry.key.value;
  s.key = &entry.key;
  s.body = &entry.value;
  const YamlNode& body = entry.value;
  if (!body.IsMap()) return s;
  s.image = ScalarOr(body.Find("image"));
  s.network_mode = ScalarOr(body.Find("network_mode"));
  if (const YamlNode* d = body.Find("depends_on")) ReadDependsOn(*d, s);
  s.healthcheck = body.Find("healthcheck");
  if (const YamlNode* b = body.Find("build")) ReadBuild(*b, s);
  if (const YamlNode* e = body.Find("environment")) ReadEnvironment(*e, s);
  if (const YamlNode* p = body.Find("ports"); p && p->IsSequence()) {
    for (const YamlNode& item : p->items) s.ports.push_back(&item);
  }
  if (const YamlNode* x = body.Find("expose"); x && x->IsSequence()) {
    for (const YamlNode& item : x->items) s.expose.push_back(&item);
  }
  return s;
}

Diagnostic Error(const SourceRange& at, std::string message) {
  return Diagnostic{"compose-structure", std::move(message), at, Severity::kError};
}

}  // namespace

std::optional<unsigned> ContainerPortOf(std::string_view spec) {
  if (size_t slash = spec.find('/'); slash != std::string_view::npos) spec = spec.substr(0, slash);
  if (size_t colon = spec.rfind(':'); colon != std::string_view::npos) {
    spec = spec.substr(colon + 1);
  }
  return ParsePort(spec);
}

bool ComposeService::HasHealthcheck() const {
  if (!healthcheck || !healthcheck->IsMap()) return false;
  if (const YamlNode* d = healthcheck->Find("disable"); d && d->IsScalar() && d->value == "true") {
    return false;
  }
  const YamlNode* test = healthcheck->Find("test");
  if (test && test->IsScalar() && test->value == "NONE") return false;
  if (test && test->IsSequence() && !test->items.empty() && test->items[0].value == "NONE") {
    return false;
  }
  // Without `test`, the image's own HEALTHCHECK runs with the options given here.
  return true;
}

std::vector<unsigned> ComposeService::ContainerPorts() const {
  std::vector<unsigned> out;
  for (const YamlNode* p : ports) {
    std::optional<unsigned> port;
    if (p->IsScalar()) {
      port = ContainerPortOf(p->value);
    } else if (p->IsMap()) {
      if (const YamlNode* t = p->Find("target"); t && t->IsScalar()) port = ParsePort(t->value);
    }
    if (port) out.push_back(*port);
  }
  for (const YamlNode* x : expose) {
    if (x->IsScalar()) {
      if (auto port = ContainerPortOf(x->value)) out.push_back(*port);
    }
  }
  return out;
}

const ComposeService* ComposeFile::FindService(std::string_view name) const {
  for (const ComposeService& s : services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<std::shared_ptr<const ComposeFile>> ParseCompose(std::shared_ptr<const SourceFile> file) {
  auto yaml = ParseYaml(*file);
  if (!yaml) return yaml.Error();
  auto compose = std::make_shared<ComposeFile>();
  compose->file = file;
  compose->root = std::move(yaml).Value();
  const YamlNode& root = compose->root;
  if (root.IsNull()) return std::shared_ptr<const ComposeFile>(compose);  // an empty file
  if (!root.IsMap()) {
    return Error(root.range, "the top level of a compose file must be a mapping");
  }
  compose->version = root.FindEntry("version");
  if (const YamlEntry* services = root.FindEntry("services")) {
    if (!services->value.IsMap() && !services->value.IsNull()) {
      return Error(services->value.range, "services must be a mapping");
    }
    for (const YamlEntry& e : services->value.entries) {
      compose->services.push_back(ReadService(e));
    }
  }
  return std::shared_ptr<const ComposeFile>(compose);
}

}  // namespace dockit

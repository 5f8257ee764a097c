// A `ports:` entry like 22:22 written without quotes: YAML 1.1 reads it as a base-60 number.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

// YAML 1.1's base-60 integer: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ (PyYAML's resolver).
std::optional<long long> Sexagesimal(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty() || s[0] < '1' || s[0] > '9') return std::nullopt;
  long long value = 0, part = 0;
  size_t i = 0, digits = 0;
  for (; i < s.size() && s[i] != ':'; ++i) {
    if (s[i] == '_') continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    part = part * 10 + (s[i] - '0');
    if (part > 1'000'000'000) return std::nullopt;
  }
  if (i == s.size()) return std::nullopt;  // no colon: a plain integer
  value = part;
  while (i < s.size()) {
    ++i;  // the colon
    part = 0;
    digits = 0;
    for (; i < s.size() && s[i] != ':'; ++i, ++digits) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      part = part * 10 + (s[i] - '0');
    }
    if (digits == 0 || digits > 2 || part > 59) return std::nullopt;
    value = value * 60 + part;
  }
  return value;
}

void Check(ComposeContext& ctx) {
  for (const ComposeService& s : ctx.Compose().services) {
    for (const YamlNode* port : s.ports) {
      if (!port->IsScalar() || !port->plain) continue;
      auto number = Sexagesimal(port->value);
      if (!number) continue;
      ctx.Report(
          port->range,
          "unquoted " + port->value + " is the base-60 number " + std::to_string(*number) +
              " to YAML 1.1 readers: write \"" + port->value + "\"",
          Fix{"quote the port mapping",
              {{port->range.begin.offset, port->range.end.offset, "\"" + port->value + "\""}}});
    }
  }
}

}  // namespace

const Rule kComposePortBase60{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-port-base60",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "An unquoted HOST:CONTAINER port with a container port under 60",
        .rationale =
            "YAML 1.1 reads an unquoted `22:22` as the base-60 (sexagesimal) integer 1342, like a "
            "clock time: it happens whenever every part after the first colon is below 60. "
            "docker-compose v1 (Python, PyYAML) then published a nonsense port or failed with "
            "\"Invalid port\". Docker Compose v2 reads YAML 1.2 through Go's yaml.v3 and gets the "
            "string \"22:22\", so today's `docker compose` is not affected; but Docker's own "
            "documentation still asks for quoted port mappings, and the file is also read by "
            "other YAML 1.1 tools (PyYAML-based scripts, Ansible, older CI integrations). "
            "Mappings like 8080:80 are strings in both versions and are not reported. --fix "
            "adds double quotes.",
        .bad = {{"services:\n  ssh:\n    image: linuxserver/openssh-server\n    ports:\n      - "
                 "2222:22\n",
                 {"5:9"},
                 "services:\n  ssh:\n    image: linuxserver/openssh-server\n    ports:\n      - "
                 "\"2222:22\"\n"},
                {"services:\n  dns:\n    image: pihole/pihole\n    ports: [53:53, 8080:80]\n",
                 {"4:13"},
                 "services:\n  dns:\n    image: pihole/pihole\n    ports: [\"53:53\", 8080:80]\n"}},
        .good = {{"services:\n  ssh:\n    image: linuxserver/openssh-server\n    ports:\n      - "
                  "\"2222:22\"\n      - 8080:80\n      - 53:53/udp\n",
                  {}}},
    },
    nullptr,
    Check};

}  // namespace dockit::lint

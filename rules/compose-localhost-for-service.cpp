// An environment value that reaches another service through localhost or 127.0.0.1: inside a
// container that is the container itself; services reach each other by service name.
#include <algorithm>
#include <charconv>

#include "parser/text.hpp"
#include "rules/all.hpp"
#include "rules/compose_util.hpp"

namespace dockit::lint {
namespace {

struct LocalHost {
  size_t pos = 0;  // in the value
  size_t size = 0;
  std::string scheme = {};            // "postgres" in postgres://u@localhost/db; "" when none
  std::optional<unsigned> port = {};  // written, or the scheme's default
  bool whole = false;                 // the value is just the host
};

std::optional<unsigned> SchemePort(std::string_view scheme) {
  if (scheme == "postgres" || scheme == "postgresql") return 5432;
  if (scheme == "mysql" || scheme == "mariadb" || scheme == "mysql2") return 3306;
  if (scheme == "redis" || scheme == "rediss") return 6379;
  if (scheme == "mongodb") return 27017;
  if (scheme == "amqp" || scheme == "amqps") return 5672;
  return std::nullopt;
}

bool IsWebScheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss";
}

std::vector<LocalHost> FindLocalHosts(std::string_view value) {
  std::vector<LocalHost> out;
  std::string lower = text::AsciiLower(value);
  for (std::string_view host : {"localhost", "127.0.0.1"}) {
    for (size_t pos = lower.find(host); pos != std::string::npos; pos = lower.find(host, pos + 1)) {
      size_t end = pos + host.size();
      auto boundary = [](char c, std::string_view set) {
        return set.find(c) != std::string_view::npos;
      };
      if (pos > 0 && !boundary(lower[pos - 1], "/@=,; \"'(")) continue;
      if (end < lower.size() && !boundary(lower[end], ":/,; \"')?")) continue;
      LocalHost h{pos, host.size()};
      // The token holding the host, and its scheme.
      size_t token = lower.find_last_of(",; =\"'", pos);
      token = token == std::string::npos ? 0 : token + 1;
      std::string_view before = std::string_view(lower).substr(token, pos - token);
      if (size_t sep = before.find("://"); sep != std::string_view::npos) {
        h.scheme = std::string(before.substr(0, sep));
        if (h.scheme.starts_with("jdbc:")) h.scheme = h.scheme.substr(5);
      }
      if (end < lower.size() && lower[end] == ':') {
        unsigned port = 0;
        size_t i = end + 1;
        for (; i < lower.size() && i < end + 6 && lower[i] >= '0' && lower[i] <= '9'; ++i) {
          port = port * 10 + static_cast<unsigned>(lower[i] - '0');
        }
        if (i > end + 1 && port > 0 && port <= 65535) h.port = port;
      }
      if (!h.port) h.port = SchemePort(h.scheme);
      h.whole = token == 0 && pos == 0 && end == lower.size();
      out.push_back(std::move(h));
    }
  }
  return out;
}

bool Contains(const std::vector<unsigned>& ports, unsigned port) {
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}

// Whether `service` publishes container port `port` on the same host port, so that a browser
// on the host reaches it at localhost:port.
bool PublishedAsIs(const ComposeService& service, unsigned port) {
  for (const YamlNode* p : service.ports) {
    if (p->IsScalar()) {
      std::string_view spec = p->value;
      if (size_t slash = spec.find('/'); slash != std::string_view::npos) {
        spec = spec.substr(0, slash);
      }
      size_t last = spec.rfind(':');
      if (last == std::string_view::npos) continue;
      std::string_view host = spec.substr(0, last);
      if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        host = host.substr(colon + 1);
      }
      if (host == std::to_string(port)) return true;
    } else if (p->IsMap()) {
      const YamlNode* published = p->Find("published");
      if (published && published->IsScalar() && published->value == std::to_string(port)) {
        return true;
      }
    }
  }
  return false;
}

std::string EnvName(std::string_view name) {
  std::string out = text::AsciiLower(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// Variables whose URLs a browser uses: frontend build variables and the origins, redirects and
// public URLs that a server sends to browsers. localhost there is the user's machine.
bool BrowserFacing(std::string_view key) {
  std::string k = EnvName(key);
  for (std::string_view prefix : {"react_app_", "vite_", "vue_app_", "next_public_", "nuxt_public_",
                                  "gatsby_", "expo_public_", "public_"}) {
    if (k.starts_with(prefix)) return true;
  }
  // And a service's own public address (GF_SERVER_ROOT_URL, SITE_URL): its port may be one
  // the file does not show.
  for (std::string_view part :
       {"origin", "cors", "redirect", "callback", "public", "allowed", "trusted", "external",
        "browser", "csrf", "root_url", "base_url", "site_url", "app_url", "server_url", "self"}) {
    if (k.find(part) != std::string::npos) return true;
  }
  return false;
}

// DB_HOST=localhost: the service whose name or image family the key's prefix names, or whose
// port the sibling <PREFIX>_PORT gives.
const ComposeService* ServiceNamedByKey(const std::vector<const ComposeService*>& others,
                                        const ComposeService& self, std::string_view key) {
  std::string k = EnvName(key);
  std::string prefix;
  for (std::string_view suffix : {"_hostname", "_host", "_server", "_addr", "_address"}) {
    if (k.ends_with(suffix)) {
      prefix = k.substr(0, k.size() - suffix.size());
      break;
    }
  }
  if (prefix.empty()) return nullptr;
  std::optional<unsigned> sibling_port;
  for (const ComposeEnvVar& v : self.environment) {
    if (EnvName(v.name) == prefix + "_port") {
      unsigned port = 0;
      if (std::from_chars(v.value.data(), v.value.data() + v.value.size(), port).ec ==
          std::errc()) {
        sibling_port = port;
      }
    }
  }
  // APP_HOST=127.0.0.1 in service app is where app itself listens.
  if (EnvName(self.name) == prefix || ImageFamily(self.image) == prefix) return nullptr;
  if (sibling_port && Contains(ListeningPorts(self), *sibling_port)) return nullptr;
  for (const ComposeService* t : others) {
    std::string family = ImageFamily(t->image);
    bool database = (prefix == "db" || prefix == "database") && SlowToBeReady(family);
    if (EnvName(t->name) == prefix || family == prefix || database ||
        (sibling_port && Contains(ListeningPorts(*t), *sibling_port))) {
      return t;
    }
  }
  return nullptr;
}

void Check(ComposeContext& ctx) {
  const ComposeFile& compose = ctx.Compose();
  for (const ComposeService& s : compose.services) {
    // Host networking, or sharing another container's network: localhost is shared.
    if (!s.network_mode.empty() && s.network_mode != "bridge") continue;
    std::vector<const ComposeService*> others;
    for (const ComposeService& t : compose.services) {
      if (&t == &s) continue;
      if (!t.network_mode.empty() && t.network_mode != "bridge") continue;
      others.push_back(&t);
    }
    std::vector<unsigned> own = ListeningPorts(s);
    for (const ComposeEnvVar& v : s.environment) {
      if (!v.has_value) continue;
      for (const LocalHost& h : FindLocalHosts(v.value)) {
        const ComposeService* target = nullptr;
        if (h.port) {
          if (Contains(own, *h.port)) continue;
          for (const ComposeService* t : others) {
            if (Contains(ListeningPorts(*t), *h.port)) {
              target = t;
              break;
            }
          }
          // A web URL to a port published as is may be meant for the user's browser.
          if (target && IsWebScheme(h.scheme) &&
              (PublishedAsIs(*target, *h.port) || BrowserFacing(v.name))) {
            continue;
          }
        } else if (h.whole) {
          target = ServiceNamedByKey(others, s, v.name);
        }
        if (!target) continue;
        std::string host(v.value.substr(h.pos, h.size));
        // Exact for plain values and quoted ones without escapes; kept inside the value else.
        uint32_t limit = v.node->range.end.offset;
        uint32_t begin = std::min(v.value_offset + static_cast<uint32_t>(h.pos), limit);
        uint32_t end = std::min(v.value_offset + static_cast<uint32_t>(h.pos + h.size), limit);
        ctx.Report(ctx.File().RangeOf(begin, end),
                   host + " in " + v.name + " is the container of service \"" + s.name +
                       "\" itself, not service \"" + target->name + "\": use the host name \"" +
                       target->name + "\"");
      }
    }
  }
}

}  // namespace

const Rule kComposeLocalhostForService{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-localhost-for-service",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "A service reaches another service through localhost",
        .rationale =
            "Each service runs in its own container with its own network namespace: localhost "
            "and 127.0.0.1 inside `app` are `app` itself, so `DATABASE_URL=postgres://"
            "localhost:5432/db` fails with \"connection refused\" although it worked when the app "
            "ran on the host. On the Compose network every service is reachable by its service "
            "name (`db:5432`). Reported in `environment:` values when localhost names a port "
            "that another service of the file listens on (from its `ports`, `expose` or its "
            "well-known image: postgres 5432, mysql 3306, redis 6379 ...) and the service itself "
            "does not, or when a key such as DB_HOST or REDIS_HOST is exactly localhost and names "
            "another service. Not reported: services with `network_mode: host` or "
            "`service:...` (they share a network namespace), healthchecks and commands (they run "
            "inside the container and rightly use localhost), and http(s) URLs to a port the "
            "other service publishes under the same number or in variables a browser reads "
            "(NEXT_PUBLIC_*, VITE_*, REACT_APP_*, *ORIGIN*, *CORS*, *REDIRECT*, *CALLBACK*, "
            "*PUBLIC* ...), which are meant for the user's machine.",
        .bad = {{"services:\n  app:\n    image: example/app\n    environment:\n"
                 "      DATABASE_URL: postgres://app:secret@localhost:5432/app\n  db:\n"
                 "    image: postgres:16\n",
                 {"5:43"}},
                {"services:\n  app:\n    image: example/app\n    environment:\n"
                 "      - REDIS_HOST=127.0.0.1\n  redis:\n    image: redis:7\n",
                 {"5:20"}},
                {"services:\n  web:\n    image: example/web\n    environment:\n"
                 "      API_URL: http://localhost:8000/api\n  api:\n    image: example/api\n"
                 "    expose: [\"8000\"]\n",
                 {"5:23"}},
                {"services:\n  api:\n    image: example/api\n    environment:\n"
                 "      SPRING_DATASOURCE_URL: jdbc:mysql://localhost/shop\n  mysql:\n"
                 "    image: mysql:8\n",
                 {"5:43"}}},
        .good = {{"services:\n  app:\n    image: example/app\n    environment:\n"
                  "      DATABASE_URL: postgres://app:secret@db:5432/app\n  db:\n"
                  "    image: postgres:16\n",
                  {}},
                 {"services:\n  app:\n    image: example/app\n    network_mode: host\n"
                  "    environment:\n      DATABASE_URL: postgres://localhost:5432/app\n  db:\n"
                  "    image: postgres:16\n    network_mode: host\n",
                  {}},
                 {"services:\n  db:\n    image: postgres:16\n    healthcheck:\n"
                  "      test: [\"CMD-SHELL\", \"pg_isready -h localhost -p 5432\"]\n",
                  {}},
                 {"services:\n  frontend:\n    image: example/frontend\n    environment:\n"
                  "      NEXT_PUBLIC_API_URL: http://localhost:8000\n  api:\n"
                  "    image: example/api\n    ports: [\"8000:8000\"]\n",
                  {}},
                 {"services:\n  api:\n    image: example/api\n    environment:\n"
                  "      CORS_ALLOWED_ORIGINS: http://localhost:3000\n      API_HOST: 127.0.0.1\n"
                  "  frontend:\n    image: example/frontend\n    expose: [\"3000\"]\n",
                  {}},
                 {"services:\n  kafka:\n    image: bitnami/kafka:3.7\n    environment:\n"
                  "      KAFKA_CFG_ADVERTISED_LISTENERS: PLAINTEXT://localhost:9092\n"
                  "      NO_PROXY: localhost,127.0.0.1\n  zookeeper:\n"
                  "    image: zookeeper:3.9\n",
                  {}}},
    },
    nullptr,
    Check};

}  // namespace dockit::lint

// curl inside the simulated world: from the host through published ports, or from a container
// to itself (localhost) or to another by name or alias on a user network.
#include "sim/world.hpp"

namespace dockit::sim {
namespace {

struct Url {
  std::string host;
  int port = 80;
  std::string path = "/";
};

std::optional<Url> ParseUrl(std::string_view url) {
  std::string s(url);
  if (s.rfind("http://", 0) == 0) s = s.substr(7);
  Url u;
  size_t slash = s.find('/');
  if (slash != std::string::npos) {
    u.path = s.substr(slash);
    s = s.substr(0, slash);
  }
  size_t colon = s.rfind(':');
  u.host = s.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos) {
      return std::nullopt;
    }
    u.port = std::stoi(port);
  } else if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) {
    u.host = "localhost";  // "8080": a port on the host
    u.port = std::stoi(s);
  }
  if (u.host.empty()) return std::nullopt;
  return u;
}

Diagnostic Refused(const Url& u) {
  return Diagnostic{"curl-7",
                    "curl: (7) Failed to connect to " + u.host + " port " + std::to_string(u.port) +
                        " after 0 ms: Couldn't connect to server",
                    {}};
}

bool IsLocal(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "0.0.0.0";
}

}  // namespace

Result<std::string> World::Request(std::string_view url, std::string_view from) {
  std::optional<Url> parsed = ParseUrl(url);
  if (!parsed) {
    return Diagnostic{"curl-3", "curl: (3) URL rejected: Bad hostname or port", {}};
  }
  const Url& u = *parsed;
  const Container* target = nullptr;
  int port = u.port;
  if (from.empty()) {
    if (!IsLocal(u.host)) {
      return Diagnostic{"curl-6", "curl: (6) Could not resolve host: " + u.host, {}};
    }
    for (const auto& [id, c] : containers_) {
      if (!c.Running()) continue;
      if (c.network == "host" && c.behaviour.listen_port == u.port) target = &c;
      for (const PortBinding& p : c.ports) {
        if (p.host_port == u.port && p.protocol == "tcp") {
          target = &c;
          port = p.container_port;
        }
      }
    }
  } else {
    auto self = FindContainer(from);
    if (!self.Ok()) return self.Error();
    const Container& me = containers_.at(self.Value());
    if (!me.Running()) return DaemonError("not-running", "container " + me.id + " is not running");
    if (IsLocal(u.host)) {
      target = &me;
    } else {
      const Network& net = networks_.at(me.network);
      for (const auto& [id, c] : containers_) {
        if (!c.Running() || c.network != me.network) continue;
        bool by_ip = c.ip == u.host;
        bool by_name = net.User() &&
                       (c.name == u.host || c.ShortId() == u.host ||
                        std::find(c.aliases.begin(), c.aliases.end(), u.host) != c.aliases.end());
        if (by_ip || by_name) target = &c;
      }
      if (target == nullptr) {
        return Diagnostic{"curl-6", "curl: (6) Could not resolve host: " + u.host, {}};
      }
    }
  }
  if (target == nullptr) return Refused(u);
  if (target->paused) {
    return Diagnostic{"curl-28",
                      "curl: (28) Failed to connect to " + u.host + " port " +
                          std::to_string(u.port) + " after 300000 ms: Timeout was reached",
                      {}};
  }
  const Behaviour& b = target->behaviour;
  if (!b.listen_port || *b.listen_port != port || now_ < target->ProgramStart() + b.listen_at) {
    if (from.empty() && target->network != "host") {
      // docker-proxy accepts on the published port, then finds nothing behind it.
      return Diagnostic{"curl-56", "curl: (56) Recv failure: Connection reset by peer", {}};
    }
    return Refused(u);
  }
  if (b.response.empty()) {
    return Diagnostic{"curl-52", "curl: (52) Empty reply from server", {}};
  }
  return b.response;
}

}  // namespace dockit::sim

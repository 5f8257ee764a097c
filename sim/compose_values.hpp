// The short syntaxes inside a compose service, parsed as Compose parses them: Go durations
// (`1m30s`), `ports:` strings, `volumes:` strings and command lines split into words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockit::sim {

// A Go `time.ParseDuration` string ("1m30s", "1.5s", "500ms", "2h", "0"), in nanoseconds;
// nullopt when it is not one. Compose's durations are these.
std::optional<int64_t> ParseGoDuration(std::string_view text);

// One published or exposed port of a `ports:` short-form entry. `published` is 0 when no host
// port is written (Docker picks one; see ComposePort::random_published).
struct PortSpec {
  std::string host_ip;
  uint16_t published = 0;
  uint16_t target = 0;
  std::string protocol = "tcp";
};

// "80", "8080:80", "127.0.0.1:8080:80/udp", "[::1]:8080:80", "127.0.0.1::80",
// "8000-8002:9000-9002" (one spec per port of the range), "8000-8002:80" (a host range for one
// port: the range's first port). An error message for anything else.
struct PortParse {
  std::vector<PortSpec> ports;
  std::string error;  // "" when ports is valid
};
PortParse ParsePortSpec(std::string_view text);

// A `volumes:` short-form entry: `SOURCE:TARGET[:MODE]` or `TARGET` (an anonymous volume).
// SOURCE is a host path when it starts with `.`, `/` or `~`, else a named volume.
struct VolumeSpec {
  bool bind = false;   // SOURCE is a host path
  std::string source;  // "" for an anonymous volume
  std::string target;
  bool read_only = false;
  std::string mode;  // the MODE as written ("ro", "rw,z", ...)
  std::string error;
};
VolumeSpec ParseVolumeSpec(std::string_view text);

// Compose's command-line split of a string `command:` / `entrypoint:` (go-shellwords): blanks
// separate words, single quotes keep everything, double quotes keep all but `\"`, `\\` and `\$`,
// a backslash outside quotes escapes the next character. nullopt for an unterminated quote.
std::optional<std::vector<std::string>> SplitCommandLine(std::string_view text);

// `no`, `always`, `unless-stopped`, `on-failure`, `on-failure:N`.
bool IsRestartPolicy(std::string_view text);

// `/a/./b/../c` → `/a/c`; `base` joined with a relative `path` first; `~` is left as written.
std::string ResolveHostPath(std::string_view base, std::string_view path);

}  // namespace dockit::sim

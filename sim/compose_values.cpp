#include "sim/compose_values.hpp"

#include <charconv>
#include <cmath>

namespace dockit::sim {
namespace {

std::optional<unsigned> Number(std::string_view s) {
  unsigned n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return n;
}

// "8000" or "8000-8002" → [first, last]; ports are 1..65535 (0 for none is the caller's call).
std::optional<std::pair<unsigned, unsigned>> PortRange(std::string_view s) {
  size_t dash = s.find('-');
  auto first = Number(s.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : Number(s.substr(dash + 1));
  if (!first || !last || *first == 0 || *last > 65535 || *first > *last) return std::nullopt;
  return std::pair{*first, *last};
}

}  // namespace

std::optional<int64_t> ParseGoDuration(std::string_view text) {
  if (text == "0") return 0;
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    size_t i = 0;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == 0 || text.substr(0, i) == ".") return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, value);
    if (ec != std::errc() || ptr != text.data() + i) return std::nullopt;
    text.remove_prefix(i);
    size_t u = 0;
    while (u < text.size() && !((text[u] >= '0' && text[u] <= '9') || text[u] == '.')) ++u;
    std::string_view unit = text.substr(0, u);
    text.remove_prefix(u);
    double scale = 0;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s") {
      scale = 1e9;
    } else if (unit == "m") {
      scale = 60e9;
    } else if (unit == "h") {
      scale = 3600e9;
    } else {
      return std::nullopt;  // Go requires a unit on every number but a lone "0"
    }
    total += value * scale;
    if (total > 9.2e18) return std::nullopt;
  }
  int64_t ns = static_cast<int64_t>(std::llround(total));
  return negative ? -ns : ns;
}

PortParse ParsePortSpec(std::string_view text) {
  PortParse out;
  std::string_view spec = text;
  std::string protocol = "tcp";
  if (size_t slash = spec.rfind('/'); slash != std::string_view::npos) {
    protocol = std::string(spec.substr(slash + 1));
    spec = spec.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
      out.error = "invalid proto: " + protocol;
      return out;
    }
  }
  std::string host_ip;
  if (!spec.empty() && spec.front() == '[') {  // [::1]:8080:80
    size_t close = spec.find(']');
    if (close == std::string_view::npos || close + 1 >= spec.size() || spec[close + 1] != ':') {
      out.error = "invalid IP address in port spec: " + std::string(text);
      return out;
    }
    host_ip = std::string(spec.substr(1, close - 1));
    spec = spec.substr(close + 2);
  }
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() > 3 || (!host_ip.empty() && parts.size() != 2)) {
    out.error = "invalid port spec: " + std::string(text);
    return out;
  }
  if (parts.size() == 3) host_ip = std::string(parts[0]);
  std::string_view host = parts.size() >= 2 ? parts[parts.size() - 2] : std::string_view();
  auto container = PortRange(parts.back());
  if (!container) {
    out.error = "invalid containerPort: " + std::string(parts.back());
    return out;
  }
  std::optional<std::pair<unsigned, unsigned>> published;
  if (!host.empty()) {
    published = PortRange(host);
    if (!published) {
      out.error = "invalid hostPort: " + std::string(host);
      return out;
    }
  }
  unsigned count = container->second - container->first + 1;
  if (published && published->second - published->first + 1 != count &&
      published->second != published->first && count != 1) {
    out.error = "invalid ranges specified for container and host ports: " + std::string(text);
    return out;
  }
  for (unsigned i = 0; i < count; ++i) {
    PortSpec p;
    p.host_ip = host_ip;
    p.protocol = protocol;
    p.target = static_cast<uint16_t>(container->first + i);
    if (published) {
      bool one = published->first == published->second;
      p.published = static_cast<uint16_t>(one ? published->first : published->first + i);
    }
    out.ports.push_back(p);
  }
  return out;
}

VolumeSpec ParseVolumeSpec(std::string_view text) {
  VolumeSpec v;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() == 1) {
    v.target = std::string(parts[0]);
  } else if (parts.size() == 2 || parts.size() == 3) {
    v.source = std::string(parts[0]);
    v.target = std::string(parts[1]);
    if (parts.size() == 3) v.mode = std::string(parts[2]);
  } else {
    v.error = "invalid volume specification: \"" + std::string(text) + "\": too many colons";
    return v;
  }
  if (v.target.empty() || v.target.front() != '/') {
    v.error = "invalid volume specification: \"" + std::string(text) +
              "\": the container path must be absolute";
    return v;
  }
  if (parts.size() >= 2 && v.source.empty()) {
    v.error = "invalid volume specification: \"" + std::string(text) + "\": empty source";
    return v;
  }
  v.bind = !v.source.empty() &&
           (v.source.front() == '.' || v.source.front() == '/' || v.source.front() == '~');
  for (size_t start = 0; start <= v.mode.size() && !v.mode.empty();) {
    size_t comma = v.mode.find(',', start);
    std::string_view opt = std::string_view(v.mode).substr(start, comma - start);
    if (opt == "ro") {
      v.read_only = true;
    } else if (opt != "rw" && opt != "z" && opt != "Z" && opt != "nocopy" && opt != "cached" &&
               opt != "delegated" && opt != "consistent" && opt != "shared" && opt != "rshared" &&
               opt != "slave" && opt != "rslave" && opt != "private" && opt != "rprivate") {
      v.error = "invalid volume specification: \"" + std::string(text) + "\": unknown mode \"" +
                std::string(opt) + "\"";
      return v;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return v;
}

std::optional<std::vector<std::string>> SplitCommandLine(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
    } else if (c == '\'') {
      size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() &&
            (text[j + 1] == '"' || text[j + 1] == '\\' || text[j + 1] == '$')) {
          ++j;
        }
        word += text[j];
      }
      if (j >= text.size()) return std::nullopt;
      i = j;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

bool IsRestartPolicy(std::string_view text) {
  if (text == "no" || text == "always" || text == "unless-stopped" || text == "on-failure") {
    return true;
  }
  if (text.starts_with("on-failure:")) return Number(text.substr(11)).has_value();
  return false;
}

std::string ResolveHostPath(std::string_view base, std::string_view path) {
  std::string joined =
      (!path.empty() && (path.front() == '/' || path.front() == '~')) || base.empty()
          ? std::string(path)
          : std::string(base) + "/" + std::string(path);
  bool absolute = !joined.empty() && joined.front() == '/';
  std::vector<std::string> parts;
  for (size_t start = 0; start <= joined.size();) {
    size_t slash = joined.find('/', start);
    if (slash == std::string::npos) slash = joined.size();
    std::string part = joined.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  if (out.empty()) out = ".";
  return out;
}

}  // namespace dockit::sim

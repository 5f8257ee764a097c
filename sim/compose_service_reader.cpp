#include "sim/compose_service_reader.hpp"

#include <algorithm>
#include <charconv>

#include "parser/suggest.hpp"
#include "sim/compose_values.hpp"

namespace dockit::sim {
namespace {

// The service properties of the Compose Specification's schema (compose-spec.json); anything
// else but `x-` extensions is an error there.
const std::vector<std::string_view> kServiceKeys = {"annotations",
                                                    "attach",
                                                    "build",
                                                    "blkio_config",
                                                    "cap_add",
                                                    "cap_drop",
                                                    "cgroup",
                                                    "cgroup_parent",
                                                    "command",
                                                    "configs",
                                                    "container_name",
                                                    "cpu_count",
                                                    "cpu_percent",
                                                    "cpu_shares",
                                                    "cpu_quota",
                                                    "cpu_period",
                                                    "cpu_rt_period",
                                                    "cpu_rt_runtime",
                                                    "cpus",
                                                    "cpuset",
                                                    "credential_spec",
                                                    "depends_on",
                                                    "deploy",
                                                    "develop",
                                                    "device_cgroup_rules",
                                                    "devices",
                                                    "dns",
                                                    "dns_opt",
                                                    "dns_search",
                                                    "domainname",
                                                    "entrypoint",
                                                    "env_file",
                                                    "label_file",
                                                    "environment",
                                                    "expose",
                                                    "extends",
                                                    "external_links",
                                                    "extra_hosts",
                                                    "gpus",
                                                    "group_add",
                                                    "healthcheck",
                                                    "hostname",
                                                    "image",
                                                    "init",
                                                    "ipc",
                                                    "isolation",
                                                    "labels",
                                                    "links",
                                                    "logging",
                                                    "mac_address",
                                                    "mem_limit",
                                                    "mem_reservation",
                                                    "mem_swappiness",
                                                    "memswap_limit",
                                                    "models",
                                                    "network_mode",
                                                    "networks",
                                                    "oom_kill_disable",
                                                    "oom_score_adj",
                                                    "pid",
                                                    "pids_limit",
                                                    "platform",
                                                    "ports",
                                                    "post_start",
                                                    "pre_start",
                                                    "pre_stop",
                                                    "privileged",
                                                    "profiles",
                                                    "provider",
                                                    "pull_policy",
                                                    "pull_refresh_after",
                                                    "read_only",
                                                    "restart",
                                                    "runtime",
                                                    "scale",
                                                    "secrets",
                                                    "security_opt",
                                                    "shm_size",
                                                    "stdin_open",
                                                    "stop_grace_period",
                                                    "stop_signal",
                                                    "storage_opt",
                                                    "sysctls",
                                                    "tmpfs",
                                                    "tty",
                                                    "ulimits",
                                                    "use_api_socket",
                                                    "user",
                                                    "userns_mode",
                                                    "uts",
                                                    "volumes",
                                                    "volumes_from",
                                                    "working_dir"};

class Reader {
 public:
  Reader(const SourceFile& file, std::string_view dir, ComposeServiceDraft& draft)
      : file_(file), dir_(dir), d_(draft), s_(draft.service) {}

  Status Apply(const YamlNode& body) {
    if (body.IsNull()) return OkStatus();
    if (!body.IsMap()) return Error(body, Path("") + " must be a mapping");
    for (const YamlEntry& e : body.entries) {
      const std::string& key = e.key.value;
      if (!key.starts_with("x-") &&
          std::find(kServiceKeys.begin(), kServiceKeys.end(), key) == kServiceKeys.end()) {
        std::string hint = Suggest(key, kServiceKeys);
        return Diagnostic{"compose-invalid",
                          Path("") + " additional properties '" + key + "' not allowed" +
                              (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"),
                          e.key.range, Severity::kError};
      }
      Status st = Field(key, e.value);
      if (!st) return st;
    }
    return OkStatus();
  }

 private:
  std::string Path(std::string_view field) const {
    return "services." + s_.name + (field.empty() ? "" : "." + std::string(field));
  }
  ComposeSite Site(const YamlNode& n) const { return ComposeSite{&file_, n.range}; }
  Diagnostic Error(const YamlNode& n, std::string message) const {
    return Diagnostic{"compose-invalid", std::move(message), n.range, Severity::kError};
  }

  Result<std::string> String(const YamlNode& n, std::string_view field) const {
    if (!n.IsScalar()) return Error(n, Path(field) + " must be a string");
    return n.value;
  }
  Result<unsigned> Unsigned(const YamlNode& n, std::string_view field) const {
    unsigned v = 0;
    const std::string& t = n.value;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (!n.IsScalar() || t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
      return Error(n, Path(field) + " must be a non-negative integer");
    }
    return v;
  }
  Result<int64_t> Duration(const YamlNode& n, std::string_view field) const {
    auto d = n.IsScalar() ? ParseGoDuration(n.value) : std::nullopt;
    if (!d || *d < 0) {
      return Error(n, Path(field) + ": invalid duration \"" + n.value +
                          "\" (write it as Go does: 10s, 1m30s, 500ms)");
    }
    return *d;
  }
  Result<bool> Bool(const YamlNode& n, std::string_view field) const {
    auto b = YamlBool(n);
    if (!b) return Error(n, Path(field) + " must be a boolean");
    return *b;
  }
  Result<std::vector<std::string>> Strings(const YamlNode& n, std::string_view field) const {
    if (!n.IsSequence()) return Error(n, Path(field) + " must be a list");
    std::vector<std::string> out;
    for (const YamlNode& item : n.items) {
      auto v = String(item, field);
      if (!v) return v.Error();
      out.push_back(*v);
    }
    return out;
  }

  Status Field(const std::string& key, const YamlNode& v) {
    if (key == "image") return Set(v, key, s_.image);
    if (key == "container_name") return Set(v, key, s_.container_name);
    if (key == "working_dir") return Set(v, key, s_.working_dir);
    if (key == "user") return Set(v, key, s_.user);
    if (key == "hostname") return Set(v, key, s_.hostname);
    if (key == "network_mode") {
      d_.network_mode_site = Site(v);
      Status st = Set(v, key, s_.network_mode);
      if (st && s_.network_mode.starts_with("service:")) {
        Implicit(s_.network_mode.substr(8), v);
      }
      return st;
    }
    if (key == "links" || key == "volumes_from") {
      if (!v.IsSequence()) return Error(v, Path(key) + " must be a list");
      for (const YamlNode& item : v.items) {
        auto s = String(item, key);
        if (!s) return s.Error();
        if (s->starts_with("container:")) continue;  // a container outside the project
        Implicit(s->substr(0, s->find(':')), item);
      }
      return OkStatus();
    }
    if (key == "restart") {
      Status st = Set(v, key, s_.restart);
      if (st && !IsRestartPolicy(s_.restart)) {
        return Error(v, Path(key) + ": invalid restart policy \"" + s_.restart +
                            "\" (no, always, on-failure[:max-retries], unless-stopped)");
      }
      return st;
    }
    if (key == "stop_grace_period") {
      auto d = Duration(v, key);
      if (!d) return d.Error();
      s_.stop_grace_period = *d;
      return OkStatus();
    }
    if (key == "scale") {
      auto n = Unsigned(v, key);
      if (!n) return n.Error();
      s_.replicas = *n;
      return OkStatus();
    }
    if (key == "deploy") {
      if (const YamlNode* r = v.Find("replicas")) {
        auto n = Unsigned(*r, "deploy.replicas");
        if (!n) return n.Error();
        s_.replicas = *n;
      }
      return OkStatus();
    }
    if (key == "profiles") {
      auto list = Strings(v, key);
      if (!list) return list.Error();
      for (std::string& p : list.Value()) {
        if (std::find(s_.profiles.begin(), s_.profiles.end(), p) == s_.profiles.end()) {
          s_.profiles.push_back(std::move(p));
        }
      }
      return OkStatus();
    }
    if (key == "expose") {
      if (!v.IsSequence()) return Error(v, Path(key) + " must be a list");
      for (const YamlNode& item : v.items) {
        if (!item.IsScalar()) return Error(item, Path(key) + " items must be strings or numbers");
        if (item.value.find(':') != std::string::npos || !ParsePortSpec(item.value).error.empty()) {
          return Error(item, Path(key) + ": invalid port \"" + item.value +
                                 "\" (PORT, PORT-PORT, with /tcp, /udp or /sctp)");
        }
        if (std::find(s_.expose.begin(), s_.expose.end(), item.value) == s_.expose.end()) {
          s_.expose.push_back(item.value);
        }
      }
      return OkStatus();
    }
    if (key == "command" || key == "entrypoint") return Command(key, v);
    if (key == "build") return Build(v);
    if (key == "environment") return Environment(v);
    if (key == "env_file") return EnvFile(v);
    if (key == "ports") return Ports(v);
    if (key == "volumes") return Volumes(v);
    if (key == "networks") return Networks(v);
    if (key == "depends_on") return DependsOn(v);
    if (key == "healthcheck") return Healthcheck(v);
    if (key == "provider") {
      const YamlNode* type = v.Find("type");
      if (!type) return Error(v, Path(key) + ".type is required");
      return Set(*type, "provider.type", s_.provider);
    }
    return OkStatus();  // not modelled (labels, logging, ...): read by nobody yet
  }

  void Implicit(std::string service, const YamlNode& at) {
    ComposeDependency dep;
    dep.service = std::move(service);
    dep.site = Site(at);
    d_.implicit_depends_on.push_back(std::move(dep));
  }

  Status Set(const YamlNode& v, std::string_view field, std::string& out) {
    auto s = String(v, field);
    if (!s) return s.Error();
    out = *s;
    return OkStatus();
  }

  Status Command(const std::string& key, const YamlNode& v) {
    auto& out = key == "command" ? s_.command : s_.entrypoint;
    if (v.IsNull()) {
      out.reset();
    } else if (v.IsScalar()) {
      auto words = SplitCommandLine(v.value);
      if (!words) return Error(v, Path(key) + ": unterminated quote in \"" + v.value + "\"");
      out = std::move(*words);
    } else {
      auto list = Strings(v, key);
      if (!list) return Error(v, Path(key) + " must be a string or a list of strings");
      out = std::move(list).Value();
    }
    return OkStatus();
  }

  Status KeyValues(const YamlNode& v, std::string_view field,
                   std::vector<std::pair<std::string, std::optional<std::string>>>& out) {
    if (v.IsMap()) {
      for (const YamlEntry& e : v.entries) {
        if (e.value.IsNull()) {
          out.emplace_back(e.key.value, std::nullopt);
        } else if (e.value.IsScalar()) {
          out.emplace_back(e.key.value, e.value.value);
        } else {
          return Error(e.value, Path(field) + "." + e.key.value +
                                    " must be a string, number, boolean or null");
        }
      }
    } else if (v.IsSequence()) {
      for (const YamlNode& item : v.items) {
        if (!item.IsScalar()) return Error(item, Path(field) + " items must be strings");
        size_t eq = item.value.find('=');
        if (eq == 0) return Error(item, Path(field) + ": empty variable name");
        if (eq == std::string::npos) {
          out.emplace_back(item.value, std::nullopt);
        } else {
          out.emplace_back(item.value.substr(0, eq), item.value.substr(eq + 1));
        }
      }
    } else if (!v.IsNull()) {
      return Error(v, Path(field) + " must be a mapping or a list");
    }
    return OkStatus();
  }

  Status Environment(const YamlNode& v) { return KeyValues(v, "environment", d_.environment); }

  Status EnvFile(const YamlNode& v) {
    auto add = [&](const YamlNode& n) -> Status {
      ComposeEnvFileRef ref;
      ref.site = Site(n);
      if (n.IsScalar()) {
        ref.path = n.value;
      } else if (n.IsMap() && n.Find("path")) {
        auto p = String(*n.Find("path"), "env_file.path");
        if (!p) return p.Error();
        ref.path = *p;
        if (const YamlNode* r = n.Find("required")) {
          auto b = Bool(*r, "env_file.required");
          if (!b) return b.Error();
          ref.required = *b;
        }
      } else {
        return Error(n, Path("env_file") + " items must be paths or {path, required}");
      }
      ref.path = ResolveHostPath(dir_, ref.path);
      d_.env_files.push_back(std::move(ref));
      return OkStatus();
    };
    if (v.IsScalar()) return add(v);
    if (!v.IsSequence()) return Error(v, Path("env_file") + " must be a string or a list");
    for (const YamlNode& item : v.items) {
      Status st = add(item);
      if (!st) return st;
    }
    return OkStatus();
  }

  Status Build(const YamlNode& v) {
    ComposeBuildSpec b = s_.build.value_or(ComposeBuildSpec{});
    if (!s_.build) b.context = dir_.empty() ? "." : std::string(dir_);
    b.site = Site(v);
    if (v.IsScalar()) {
      b.context = ResolveHostPath(dir_, v.value);
    } else if (v.IsMap()) {
      for (const YamlEntry& e : v.entries) {
        const std::string& k = e.key.value;
        if (k == "context") {
          auto c = String(e.value, "build.context");
          if (!c) return c.Error();
          // A URL (git, https) stays as written.
          bool url = c->find("://") != std::string::npos || c->starts_with("git@");
          b.context = url ? *c : ResolveHostPath(dir_, *c);
        } else if (k == "dockerfile") {
          Status st = Set(e.value, "build.dockerfile", b.dockerfile);
          if (!st) return st;
        } else if (k == "dockerfile_inline") {
          Status st = Set(e.value, "build.dockerfile_inline", b.dockerfile_inline);
          if (!st) return st;
        } else if (k == "target") {
          Status st = Set(e.value, "build.target", b.target);
          if (!st) return st;
        } else if (k == "args") {
          std::vector<std::pair<std::string, std::optional<std::string>>> args;
          Status st = KeyValues(e.value, "build.args", args);
          if (!st) return st;
          for (auto& [name, value] : args) b.args[name] = std::move(value);
        }
      }
    } else {
      return Error(v, Path("build") + " must be a string (the context) or a mapping");
    }
    s_.build = std::move(b);
    return OkStatus();
  }

  Status Ports(const YamlNode& v) {
    if (!v.IsSequence()) return Error(v, Path("ports") + " must be a list");
    for (const YamlNode& item : v.items) {
      std::vector<ComposePort> ports;
      if (item.IsScalar()) {
        PortParse parsed = ParsePortSpec(item.value);
        if (!parsed.error.empty()) return Error(item, Path("ports") + ": " + parsed.error);
        for (const PortSpec& p : parsed.ports) {
          ComposePort port{p.host_ip, p.published, p.published == 0,
                           p.target,  p.protocol,  Site(item)};
          ports.push_back(port);
        }
      } else if (item.IsMap()) {
        const YamlNode* target = item.Find("target");
        if (!target) return Error(item, Path("ports") + " item: target is required");
        auto t = Unsigned(*target, "ports.target");
        if (!t || *t == 0 || *t > 65535) {
          return Error(*target, Path("ports") + ": invalid target port \"" + target->value + "\"");
        }
        ComposePort port;
        port.target = static_cast<uint16_t>(*t);
        port.site = Site(item);
        if (const YamlNode* p = item.Find("published"); p && !p->IsNull()) {
          PortParse parsed = ParsePortSpec(p->IsScalar() ? p->value + ":1" : "");
          if (!parsed.error.empty() || parsed.ports.empty()) {
            return Error(*p, Path("ports") + ": invalid published port \"" + p->value + "\"");
          }
          port.published = parsed.ports.front().published;
        }
        port.random_published = port.published == 0;
        if (const YamlNode* h = item.Find("host_ip")) {
          Status st = Set(*h, "ports.host_ip", port.host_ip);
          if (!st) return st;
        }
        if (const YamlNode* p = item.Find("protocol")) {
          Status st = Set(*p, "ports.protocol", port.protocol);
          if (!st) return st;
        }
        ports.push_back(port);
      } else {
        return Error(item, Path("ports") + " items must be strings, numbers or mappings");
      }
      for (ComposePort& p : ports) {
        bool same = std::any_of(s_.ports.begin(), s_.ports.end(), [&](const ComposePort& q) {
          return !p.random_published && q.host_ip == p.host_ip && q.published == p.published &&
                 q.target == p.target && q.protocol == p.protocol;
        });
        if (!same) s_.ports.push_back(std::move(p));
      }
    }
    return OkStatus();
  }

  Status Volumes(const YamlNode& v) {
    if (!v.IsSequence()) return Error(v, Path("volumes") + " must be a list");
    for (const YamlNode& item : v.items) {
      ComposeMount m;
      m.site = Site(item);
      if (item.IsScalar()) {
        VolumeSpec spec = ParseVolumeSpec(item.value);
        if (!spec.error.empty()) return Error(item, Path("volumes") + ": " + spec.error);
        m.type = spec.bind ? ComposeMount::Type::kBind : ComposeMount::Type::kVolume;
        m.source = spec.bind ? ResolveHostPath(dir_, spec.source) : spec.source;
        m.target = spec.target;
        m.read_only = spec.read_only;
      } else if (item.IsMap()) {
        std::string type = "volume";
        if (const YamlNode* t = item.Find("type")) {
          Status st = Set(*t, "volumes.type", type);
          if (!st) return st;
        }
        if (type == "volume") {
          m.type = ComposeMount::Type::kVolume;
        } else if (type == "bind") {
          m.type = ComposeMount::Type::kBind;
        } else if (type == "tmpfs") {
          m.type = ComposeMount::Type::kTmpfs;
        } else if (type == "image") {
          m.type = ComposeMount::Type::kImage;
        } else {
          return Error(*item.Find("type"), Path("volumes") + ": unsupported volume type \"" + type +
                                               "\" (volume, bind, tmpfs, image)");
        }
        const YamlNode* target = item.Find("target");
        if (!target) return Error(item, Path("volumes") + " item: target is required");
        Status st = Set(*target, "volumes.target", m.target);
        if (!st) return st;
        if (const YamlNode* s = item.Find("source")) {
          st = Set(*s, "volumes.source", m.source);
          if (!st) return st;
        }
        if (m.type == ComposeMount::Type::kBind) {
          if (m.source.empty())
            return Error(item, Path("volumes") + ": a bind mount needs a source");
          m.source = ResolveHostPath(dir_, m.source);
        }
        if (const YamlNode* r = item.Find("read_only")) {
          auto b = Bool(*r, "volumes.read_only");
          if (!b) return b.Error();
          m.read_only = *b;
        }
      } else {
        return Error(item, Path("volumes") + " items must be strings or mappings");
      }
      auto same = std::find_if(s_.volumes.begin(), s_.volumes.end(),
                               [&](const ComposeMount& o) { return o.target == m.target; });
      if (same != s_.volumes.end()) {
        *same = std::move(m);
      } else {
        s_.volumes.push_back(std::move(m));
      }
    }
    return OkStatus();
  }

  Status Networks(const YamlNode& v) {
    auto put = [&](ComposeServiceNetwork n) {
      auto it = std::find_if(s_.networks.begin(), s_.networks.end(),
                             [&](const ComposeServiceNetwork& o) { return o.name == n.name; });
      if (it != s_.networks.end()) {
        *it = std::move(n);
      } else {
        s_.networks.push_back(std::move(n));
      }
    };
    if (v.IsSequence()) {
      for (const YamlNode& item : v.items) {
        auto name = String(item, "networks");
        if (!name) return name.Error();
        put(ComposeServiceNetwork{*name, {}, {}, Site(item)});
      }
    } else if (v.IsMap()) {
      for (const YamlEntry& e : v.entries) {
        ComposeServiceNetwork n{e.key.value, {}, {}, Site(e.key)};
        if (e.value.IsMap()) {
          if (const YamlNode* a = e.value.Find("aliases")) {
            auto list = Strings(*a, "networks." + e.key.value + ".aliases");
            if (!list) return list.Error();
            n.aliases = std::move(list).Value();
          }
          if (const YamlNode* ip = e.value.Find("ipv4_address")) {
            Status st = Set(*ip, "networks.ipv4_address", n.ipv4_address);
            if (!st) return st;
          }
        } else if (!e.value.IsNull()) {
          return Error(e.value, Path("networks." + e.key.value) + " must be a mapping or null");
        }
        put(std::move(n));
      }
    } else {
      return Error(v, Path("networks") + " must be a list or a mapping");
    }
    std::sort(s_.networks.begin(), s_.networks.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return OkStatus();
  }

  Status DependsOn(const YamlNode& v) {
    auto put = [&](ComposeDependency dep) {
      auto it = std::find_if(s_.depends_on.begin(), s_.depends_on.end(),
                             [&](const ComposeDependency& o) { return o.service == dep.service; });
      if (it != s_.depends_on.end()) {
        *it = std::move(dep);
      } else {
        s_.depends_on.push_back(std::move(dep));
      }
    };
    if (v.IsSequence()) {
      for (const YamlNode& item : v.items) {
        auto name = String(item, "depends_on");
        if (!name) return name.Error();
        ComposeDependency dep;
        dep.service = *name;
        dep.site = Site(item);
        put(std::move(dep));
      }
    } else if (v.IsMap()) {
      for (const YamlEntry& e : v.entries) {
        ComposeDependency dep;
        dep.service = e.key.value;
        dep.site = Site(e.key);
        if (!e.value.IsMap() && !e.value.IsNull()) {
          return Error(e.value, Path("depends_on." + e.key.value) + " must be a mapping");
        }
        if (const YamlNode* c = e.value.Find("condition")) {
          if (c->value == "service_started") {
            dep.condition = DependencyCondition::kServiceStarted;
          } else if (c->value == "service_healthy") {
            dep.condition = DependencyCondition::kServiceHealthy;
          } else if (c->value == "service_completed_successfully") {
            dep.condition = DependencyCondition::kServiceCompletedSuccessfully;
          } else {
            return Error(*c, Path("depends_on." + e.key.value + ".condition") +
                                 " must be one of service_started, service_healthy, "
                                 "service_completed_successfully");
          }
        }
        if (const YamlNode* r = e.value.Find("required")) {
          auto b = Bool(*r, "depends_on.required");
          if (!b) return b.Error();
          dep.required = *b;
        }
        if (const YamlNode* r = e.value.Find("restart")) {
          auto b = Bool(*r, "depends_on.restart");
          if (!b) return b.Error();
          dep.restart = *b;
        }
        put(std::move(dep));
      }
    } else {
      return Error(v, Path("depends_on") + " must be a list or a mapping");
    }
    std::sort(s_.depends_on.begin(), s_.depends_on.end(),
              [](const auto& a, const auto& b) { return a.service < b.service; });
    return OkStatus();
  }

  Status Healthcheck(const YamlNode& v) {
    if (!v.IsMap()) return Error(v, Path("healthcheck") + " must be a mapping");
    ComposeHealthcheck h = s_.healthcheck.value_or(ComposeHealthcheck{});
    h.site = Site(v);
    for (const YamlEntry& e : v.entries) {
      const std::string& k = e.key.value;
      std::string field = "healthcheck." + k;
      if (k == "test") {
        if (e.value.IsScalar()) {
          h.test = e.value.value == "NONE" ? std::vector<std::string>{"NONE"}
                                           : std::vector<std::string>{"CMD-SHELL", e.value.value};
        } else {
          auto list = Strings(e.value, field);
          if (!list) return Error(e.value, Path(field) + " must be a string or a list");
          if (list->empty() ||
              ((*list)[0] != "CMD" && (*list)[0] != "CMD-SHELL" && (*list)[0] != "NONE")) {
            return Error(
                e.value,
                Path(field) + ": a list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"");
          }
          h.test = std::move(list).Value();
        }
        h.disabled = !h.test.empty() && h.test[0] == "NONE";
      } else if (k == "disable") {
        auto b = Bool(e.value, field);
        if (!b) return b.Error();
        h.disabled = *b;
      } else if (k == "retries") {
        auto n = Unsigned(e.value, field);
        if (!n) return n.Error();
        h.retries = *n;
      } else if (k == "interval" || k == "timeout" || k == "start_period" ||
                 k == "start_interval") {
        auto d = Duration(e.value, field);
        if (!d) return d.Error();
        (k == "interval"       ? h.interval
         : k == "timeout"      ? h.timeout
         : k == "start_period" ? h.start_period
                               : h.start_interval) = *d;
      }
    }
    s_.healthcheck = std::move(h);
    return OkStatus();
  }

  const SourceFile& file_;
  std::string_view dir_;
  ComposeServiceDraft& d_;
  ComposeService& s_;
};

}  // namespace

std::optional<bool> YamlBool(const YamlNode& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& v = node.value;
  if (v == "true" || v == "True" || v == "TRUE") return true;
  if (v == "false" || v == "False" || v == "FALSE") return false;
  return std::nullopt;
}

Status ApplyServiceLayer(const YamlNode& body, const SourceFile& file, std::string_view dir,
                         ComposeServiceDraft& draft) {
  return Reader(file, dir, draft).Apply(body);
}

}  // namespace dockit::sim

#include "rules/compose_util.hpp"

#include <algorithm>

#include "parser/text.hpp"

namespace dockit::lint {
namespace {

struct Family {
  std::string_view name;
  std::vector<std::string_view> repositories;  // last path components that belong to it
  std::vector<unsigned> ports;
  bool slow_to_be_ready;
};

const std::vector<Family>& Families() {
  static const std::vector<Family> kFamilies{
      {"postgres", {"postgres", "postgresql", "postgis", "timescaledb", "pgvector"}, {5432}, true},
      {"mysql", {"mysql", "mysql-server", "percona-server"}, {3306}, true},
      {"mariadb", {"mariadb"}, {3306}, true},
      {"mongo", {"mongo", "mongodb", "mongodb-community-server"}, {27017}, true},
      {"mssql", {"mssql/server", "server"}, {1433}, true},
      {"rabbitmq", {"rabbitmq"}, {5672, 15672}, true},
      {"elasticsearch", {"elasticsearch"}, {9200, 9300}, true},
      {"opensearch", {"opensearch"}, {9200}, true},
      {"cassandra", {"cassandra"}, {9042}, true},
      {"couchdb", {"couchdb"}, {5984}, true},
      {"neo4j", {"neo4j"}, {7474, 7687}, true},
      {"kafka", {"kafka", "cp-kafka"}, {9092}, true},
      {"redis", {"redis", "redis-stack", "redis-stack-server", "valkey"}, {6379}, false},
      {"memcached", {"memcached"}, {11211}, false},
      {"zookeeper", {"zookeeper", "cp-zookeeper"}, {2181}, false},
      {"minio", {"minio"}, {9000}, false},
      {"nats", {"nats"}, {4222}, false},
      {"influxdb", {"influxdb"}, {8086}, false},
      {"grafana", {"grafana", "grafana-oss", "grafana-enterprise"}, {3000}, false},
      {"prometheus", {"prometheus"}, {9090}, false},
      {"gitea", {"gitea"}, {3000}, false},
      {"keycloak", {"keycloak"}, {8080}, false},
      {"jenkins", {"jenkins"}, {8080}, false},
      {"adminer", {"adminer"}, {8080}, false},
      {"mailhog", {"mailhog", "mailpit"}, {1025, 8025}, false},
      {"jaeger", {"all-in-one", "jaeger"}, {16686}, false},
      {"nginx", {"nginx", "nginx-unprivileged", "httpd"}, {80}, false},
  };
  return kFamilies;
}

const Family* FindFamily(std::string_view family) {
  for (const Family& f : Families()) {
    if (f.name == family) return &f;
  }
  return nullptr;
}

}  // namespace

std::string ImageFamily(std::string_view image) {
  if (size_t at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  size_t slash = image.rfind('/');
  if (size_t colon = image.rfind(':');
      colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    image = image.substr(0, colon);
  }
  std::string repo = text::AsciiLower(image);
  std::string last = repo.substr(repo.rfind('/') + 1);
  for (const Family& f : Families()) {
    for (std::string_view r : f.repositories) {
      if (r.find('/') != std::string_view::npos ? repo.ends_with(r) : last == r) {
        // "server" alone is too common a name; it is MSSQL only under mssql/.
        if (r == "server" && !repo.ends_with("mssql/server")) continue;
        return std::string(f.name);
      }
    }
  }
  return last;
}

std::vector<unsigned> DefaultPorts(std::string_view family) {
  const Family* f = FindFamily(family);
  return f ? f->ports : std::vector<unsigned>{};
}

std::vector<unsigned> ListeningPorts(const ComposeService& service) {
  std::vector<unsigned> out = service.ContainerPorts();
  for (unsigned p : DefaultPorts(ImageFamily(service.image))) out.push_back(p);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool SlowToBeReady(std::string_view family) {
  const Family* f = FindFamily(family);
  return f && f->slow_to_be_ready;
}

}  // namespace dockit::lint

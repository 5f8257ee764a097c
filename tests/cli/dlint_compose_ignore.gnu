tests/cli/compose/compose.yaml:2.1-2.8: warning: the top-level version is obsolete: Compose ignores it and uses the newest file format [compose-obsolete-version]
tests/cli/compose/compose.yaml:7.43-7.52: warning: localhost in DATABASE_URL is the container of service "app" itself, not service "db": use the host name "db" [compose-localhost-for-service]
tests/cli/compose/compose.yaml:9.9-9.11: info: "db" has a healthcheck, but depends_on only waits for its container to start: use condition: service_healthy [compose-depends-on-not-healthy]

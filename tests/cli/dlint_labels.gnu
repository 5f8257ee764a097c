tests/cli/labels.Dockerfile:9.1-9.50: info: comment for FROM should follow the format: `# runtime <description>` [invalid-definition-description]
tests/cli/labels.Dockerfile:9.6-9.39: error: image "quay.io/distroless/static:nonroot" comes from quay.io, which is not a trusted registry (trusted-registries in .dlint.yaml, --trusted-registry) [untrusted-registry]
tests/cli/labels.Dockerfile:11.18-11.38: warning: label "maintainer" is not a valid email address: "ops at example.com" [label-invalid-email]
tests/cli/labels.Dockerfile:11.81-11.85: info: label "team" is not in the label schema (strict-labels is on) [label-not-in-schema]

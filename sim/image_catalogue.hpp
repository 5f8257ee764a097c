// The simulator's base images (issue 5, "The world"): scratch, busybox, alpine, debian,
// ubuntu 18.04 and 22.04, python 3.7 and 3.11 (full, slim, alpine), node, nginx, postgres, mysql
// and redis, each as its real number of layers with the sizes `docker history` shows
// (uncompressed), the files that matter as real entries (/etc/passwd, /etc/group,
// /etc/os-release, the package database, /bin/sh, the interpreters and servers) and the
// image config the official image sets. The rest of each layer's bytes is one synthetic file,
// /usr/lib/.dockit-catalogue-filler-layer-N, so that the sizes add up exactly. Figures and their
// sources: sim/catalogue.md. Any other reference is an error that names the catalogue.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"
#include "sim/layer_stack.hpp"

namespace dockit::sim {

struct CatalogueImage {
  std::string reference;  // the canonical catalogue name, e.g. "python:3.11-slim"
  LayerStack layers;
  plan::ImageConfig config;
  std::vector<std::string> history;  // one `created_by` line per layer, bottom first
  // The text of the files the catalogue writes with real content (/etc/passwd, /etc/group,
  // /etc/os-release's target, ...), as the merged view has them: the layers hold only digests,
  // and the RUN model (useradd, cat) needs the text. Each digest in the view matches its text.
  std::map<std::string, std::string, std::less<>> text_files;
};

// The image for a reference such as "python:3.11-slim", "docker.io/library/redis:7" or
// "nginx" (no tag is "latest"). A digest (`@sha256:...`) is refused: the catalogue has no
// real digests. The same reference always gives the same layers (same diff_ids).
Result<CatalogueImage> FindBaseImage(std::string_view reference);

// Every reference the catalogue accepts (canonical names and their aliases), sorted.
std::vector<std::string> CatalogueReferences();

// The canonical names only, in catalogue order.
std::vector<std::string> CatalogueImages();

}  // namespace dockit::sim

// Where dexec keeps its state: --root DIR, else $DEXEC_ROOT, else /var/lib/dexec for root and
// $XDG_DATA_HOME/dexec (~/.local/share/dexec) for other users.
#pragma once

#include <string>

namespace dockit::dexec {

std::string DefaultRoot();

}  // namespace dockit::dexec

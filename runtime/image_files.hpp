// Small filesystem steps the store is made of: whole-file reads, fsync'd writes, renames and
// tree removal, each an error value naming the path (the store never throws).
#pragma once

#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

// A store error without a source position.
Diagnostic StoreError(std::string code, std::string message);

Result<std::string> ReadWholeFile(const std::string& path);
// Creates (or truncates) `path` and writes `bytes`, then fsyncs it: the caller renames it.
Status WriteSyncedFile(const std::string& path, std::string_view bytes);
Status SyncFile(const std::string& path);
Status SyncDir(const std::string& dir);
// rename(2), with the paths in the error.
Status RenamePath(const std::string& from, const std::string& to);
// rm -rf; errors are ignored (debris is reported by Check, not by the step that failed).
void RemoveTree(const std::string& path);
// Opens (creating) `path` and takes flock(2) `operation` (LOCK_SH, LOCK_EX, maybe | LOCK_NB);
// returns the fd, or -1 with errno set.
int LockFile(const std::string& path, int operation);

// "sha256:<64 hex>"?
bool IsDigest(std::string_view digest);
// "sha256:abc" -> "abc".
std::string DigestHex(const std::string& digest);

}  // namespace dockit::runtime

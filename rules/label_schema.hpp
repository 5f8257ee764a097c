// hadolint's label schema: the labels a team requires (`label-schema:` in .dlint.yaml or
// .hadolint.yaml, `--require-label LABEL:TYPE`) and the value checks of each type. The label-*
// rules (DL3049-DL3058) read the schema from RuleSettings; these validators are their pure core.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace dockit::lint {

enum class LabelType { kText, kUrl, kEmail, kRfc3339, kSemver, kSpdx, kHash };

// hadolint's names: text, url, email, rfc3339, semver, spdx, hash; "" is text, as in hadolint.
std::optional<LabelType> ParseLabelType(std::string_view name);
std::string_view LabelTypeName(LabelType type);
// "text, url, email, rfc3339, semver, spdx, hash", for error messages.
std::string_view LabelTypeNames();

// An absolute URI (RFC 3986: a scheme, then a valid hier-part, query and fragment); http, https
// and ftp need a host.
bool IsValidUrl(std::string_view value);
// An RFC 3339 date-time: 2024-05-01T12:30:00Z, with optional fractional seconds and a Z or
// +hh:mm offset; the date and time must exist (leap years, second 60 for leap seconds).
bool IsValidRfc3339(std::string_view value);
// Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional -prerelease and +build.
bool IsValidSemver(std::string_view value);
// An SPDX license expression: ids of the SPDX License List (case-insensitive, as SPDX matches
// them), `+`, LicenseRef-*, WITH exceptions, AND, OR and parentheses.
bool IsValidSpdxExpression(std::string_view value);
// One id of the SPDX License List, case-insensitive.
bool IsSpdxLicenseId(std::string_view id);
// A git object name: lower-case hex, abbreviated (7 to 40 digits) or a full SHA-256 (64).
bool IsValidGitHash(std::string_view value);
// An RFC 5322 address (addr-spec: dot-atom or quoted local part, dot-atom or [literal] domain),
// optionally as a mailbox `Display Name <addr-spec>`. Non-ASCII UTF-8 is allowed (RFC 6532).
bool IsValidEmail(std::string_view value);

// rules/spdx_ids.cpp: the SPDX License List and its exceptions (current and deprecated ids).
extern const std::vector<std::string_view> kSpdxLicenseIds;
extern const std::vector<std::string_view> kSpdxExceptionIds;

}  // namespace dockit::lint

// The label schema's value checks (rules/label_schema.cpp), edge cases of each type.
#include "rules/label_schema.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "parser/text.hpp"

namespace dockit::lint {
namespace {

TEST_CASE("label types by hadolint's names", "[rules][labels]") {
  CHECK(ParseLabelType("url") == LabelType::kUrl);
  CHECK(ParseLabelType("hash") == LabelType::kHash);
  CHECK(ParseLabelType("") == LabelType::kText);
  CHECK_FALSE(ParseLabelType("URL"));
  CHECK_FALSE(ParseLabelType("string"));
  for (auto t : {LabelType::kText, LabelType::kUrl, LabelType::kEmail, LabelType::kRfc3339,
                 LabelType::kSemver, LabelType::kSpdx, LabelType::kHash}) {
    CHECK(ParseLabelType(LabelTypeName(t)) == t);
  }
}

TEST_CASE("url: RFC 3986 absolute URIs", "[rules][labels]") {
  for (const char* ok :
       {"https://github.com/example/app", "http://localhost:8080/x?q=1#top",
        "https://user:pw@example.com/", "https://[2001:db8::1]:443/a", "https://ex%41mple.com",
        "git+ssh://git@example.com/repo.git", "mailto:ops@example.com", "urn:isbn:0451450523",
        "file:///etc/os-release", "HTTPS://EXAMPLE.COM", "https://example.com/a%20b"}) {
    INFO(ok);
    CHECK(IsValidUrl(ok));
  }
  for (const char* bad :
       {"", "github.com/example/app", "://example.com", "1http://x", "https://exa mple.com",
        "https://example.com/a b", "https:/example.com", "http://", "https://example.com:80x/",
        "https://example.com/%zz", "https://example.com/%4", "https://[::1/", "ht_tp://x",
        "https://example.com/#a#b", "https://example.com/\"quoted\""}) {
    INFO(bad);
    CHECK_FALSE(IsValidUrl(bad));
  }
}

TEST_CASE("rfc3339: date-time with offsets and fractional seconds", "[rules][labels]") {
  for (const char* ok :
       {"2024-05-01T12:30:00Z", "2024-05-01t12:30:00z", "2024-05-01T12:30:00.123456789Z",
        "2024-05-01T12:30:00+02:00", "2024-05-01T12:30:00.5-08:00", "2024-02-29T00:00:00Z",
        "2000-02-29T23:59:60Z", "1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-08:00"}) {
    INFO(ok);
    CHECK(IsValidRfc3339(ok));
  }
  for (const char* bad : {"",
                          "2024-05-01",
                          "2024-05-01 12:30:00Z",
                          "2024-05-01T12:30Z",
                          "2024-05-01T12:30:00",
                          "2023-02-29T00:00:00Z",
                          "1900-02-29T00:00:00Z",
                          "2024-13-01T00:00:00Z",
                          "2024-04-31T00:00:00Z",
                          "2024-05-01T24:00:00Z",
                          "2024-05-01T12:60:00Z",
                          "2024-05-01T12:30:61Z",
                          "2024-05-01T12:30:00.Z",
                          "2024-05-01T12:30:00+0200",
                          "2024-05-01T12:30:00+24:00",
                          "2024-05-01T12:30:00+02:60",
                          "24-05-01T12:30:00Z",
                          "2024-5-01T12:30:00Z",
                          "2024-05-01T12:30:00ZZ",
                          "2024-05-01T12:30:00 Z"}) {
    INFO(bad);
    CHECK_FALSE(IsValidRfc3339(bad));
  }
}

TEST_CASE("semver: Semantic Versioning 2.0.0 with pre-release and build", "[rules][labels]") {
  for (const char* ok :
       {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
        "1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
        "1.0.0+21AF26D3----117B344092BD", "1.0.0+001", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788"}) {
    INFO(ok);
    CHECK(IsValidSemver(ok));
  }
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03",
                          "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-alpha..1", "1.2.3+build..1",
                          "1.2.3-alpha_beta", "1.2.-3", " 1.2.3", "1.2.3 ", "a.b.c", "1.2.3-+"}) {
    INFO(bad);
    CHECK_FALSE(IsValidSemver(bad));
  }
}

TEST_CASE("spdx: license expressions from the SPDX License List", "[rules][labels]") {
  for (const char* ok :
       {"MIT", "Apache-2.0", "apache-2.0", "GPL-3.0-or-later", "GPL-2.0+", "GPL-2.0",
        "MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause",
        "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Proprietary",
        "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "((MIT))", "MIT and Apache-2.0",
        "Apache-2.0 WITH LLVM-exception", "MIT WITH AdditionRef-custom", "0BSD"}) {
    INFO(ok);
    CHECK(IsValidSpdxExpression(ok));
  }
  for (const char* bad :
       {"", "Apache 2", "Apache2", "MIT OR", "OR MIT", "MIT AND AND Apache-2.0", "(MIT", "MIT)",
        "()", "MIT WITH", "MIT WITH MIT", "GPL-2.0 WITH Bogus-exception", "LicenseRef-",
        "LicenseRef-a_b", "MIT Apache-2.0", "MIT+ +", "DocumentRef-x:MIT", "Mit Or Apache-2.0"}) {
    INFO(bad);
    CHECK_FALSE(IsValidSpdxExpression(bad));
  }
  CHECK(IsSpdxLicenseId("BSD-3-Clause"));
  CHECK_FALSE(IsSpdxLicenseId("BSD"));
}

TEST_CASE("spdx: the shipped list is sorted, unique and plausible", "[rules][labels]") {
  auto lower_less = [](std::string_view a, std::string_view b) {
    return text::AsciiLower(a) < text::AsciiLower(b);
  };
  CHECK(std::is_sorted(kSpdxLicenseIds.begin(), kSpdxLicenseIds.end(), lower_less));
  CHECK(std::adjacent_find(kSpdxLicenseIds.begin(), kSpdxLicenseIds.end()) ==
        kSpdxLicenseIds.end());
  CHECK(kSpdxLicenseIds.size() > 700);
  CHECK(kSpdxExceptionIds.size() > 60);
}

TEST_CASE("hash: git object names", "[rules][labels]") {
  for (const char* ok : {"3f8a9c2", "3f8a9c2d41b7", "3f8a9c2d41b7e6f0a1b2c3d4e5f60718293a4b5c",
                         "3f8a9c2d41b7e6f0a1b2c3d4e5f60718293a4b5c3f8a9c2d41b7e6f0a1b2c3d4"}) {
    INFO(ok);
    CHECK(IsValidGitHash(ok));
  }
  for (const char* bad : {"", "3f8a9c", "ABCDEF0", "3f8a9cg", "main", " 3f8a9c2d",
                          "3f8a9c2d41b7e6f0a1b2c3d4e5f60718293a4b5c0",
                          "3f8a9c2d41b7e6f0a1b2c3d4e5f60718293a4b5c3f8a9c2d41b7e6f0a1b2c3d"}) {
    INFO(bad);
    CHECK_FALSE(IsValidGitHash(bad));
  }
}

TEST_CASE("email: RFC 5322 addresses and mailboxes", "[rules][labels]") {
  for (const char* ok :
       {"ops@example.com", "ops+images@example.com", "first.last@sub.example.co",
        "\"ops team\"@example.com", "\"a\\\"b\"@example.com", "\"a@b\"@example.com",
        "user@[192.168.0.1]", "user@localhost", "!#$%&'*+-/=?^_`{|}~@example.com",
        "Ops Team <ops@example.com>", "<ops@example.com>", "jos\xC3\xA9@example.com"}) {
    INFO(ok);
    CHECK(IsValidEmail(ok));
  }
  for (const char* bad :
       {"",
        "ops",
        "ops at example.com",
        "@example.com",
        "ops@",
        "ops@@example.com",
        ".ops@example.com",
        "ops.@example.com",
        "o..ps@example.com",
        "ops@example..com",
        "ops@.example.com",
        "a b@example.com",
        "\"unterminated@example.com",
        "\"a\"b@example.com",
        "ops@exa mple.com",
        "ops@[1.2.3.4",
        "Ops <ops@example.com",
        "Ops <ops>",
        "a<b <ops@example.com>",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com"}) {
    INFO(bad);
    CHECK_FALSE(IsValidEmail(bad));
  }
}

}  // namespace
}  // namespace dockit::lint

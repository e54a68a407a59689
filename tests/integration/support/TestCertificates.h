#pragma once
// Throwaway self-signed TLS certificates for tests, made in process with OpenSSL (no openssl
// command line). Shared by the integration tests (tls_test.cpp) and the unit tests
// (auth_http_fetcher_test.cpp, proxy_cimd_test.cpp; tests/CMakeLists.txt adds this file's .cpp
// to mcph_unit_tests).
#include <string>

namespace mcph::testing {

// Writes a self-signed certificate for `name` and its private key as PEM files: an EC P-256 key,
// valid from a minute ago for a day, `name` as the subject's (and so the issuer's) CN and in
// subjectAltName (iPAddress for an IP address, dNSName otherwise). No CA store trusts it; a
// client trusts it only when given the certificate file as its CA. Throws std::runtime_error
// when OpenSSL or a file write fails.
void writeSelfSignedCertificate(const std::string& keyPath, const std::string& certPath,
                                const std::string& name = "127.0.0.1");

}  // namespace mcph::testing

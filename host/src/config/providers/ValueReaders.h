#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "config/reader/ObjectReader.h"
#include "mcphost/auth/ClaimMapping.h"

namespace mcph::config {

/// Readers for the kinds of value auth providers share, so that every provider checks a URL,
/// an algorithm list or claim names the same way and reports them with the same words.

/// The JWS algorithms a token may be signed with: asymmetric only (RFC 8725 §3.1), since a
/// shared secret would let anyone who can verify, sign.
const std::vector<std::string>& supportedJwsAlgorithms();

/// An absolute http(s) URL; https unless `allowHttp` (the operator's allowInsecureHttp).
std::optional<std::string> readHttpUrl(ObjectReader& section, const std::string& key,
                                       bool allowHttp);

/// A list of tokens (scopes, algorithm names): no empty items, no blanks or quotes, and only
/// `allowed` ones when given. Absent key → `fallback`; bad items are reported and dropped.
std::vector<std::string> readTokenList(ObjectReader& section, const std::string& key,
                                       std::vector<std::string> fallback,
                                       const std::vector<std::string>* allowed);

/// The object at `key` naming where identity claims are, for the fields listed in `fields`
/// (any of "userId", "email", "name", "scopes", "clientId"); other keys are unknown.
void readClaimNames(ObjectReader& section, const std::string& key, auth::ClaimNames& out,
                    std::initializer_list<const char*> fields);

/// `allowInsecureHttp`: http:// URLs for this provider's keys (local tests only).
bool readAllowInsecureHttp(ObjectReader& auth);

}  // namespace mcph::config

#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mcph::config {

/// Edit distance with adjacent transpositions counting as one edit ("hots" → "host" is 1).
std::size_t editDistance(const std::string& a, const std::string& b);

/// The candidate a misspelt `word` most likely meant, if one is close enough: the smallest
/// case-insensitive edit distance within a budget that grows with the word's length, or
/// otherwise a candidate that contains the word (e.g. "origins" → "allowedOrigins").
/// Ties go to the earlier candidate.
std::optional<std::string> closestMatch(const std::string& word,
                                        const std::vector<std::string>& candidates);

}  // namespace mcph::config

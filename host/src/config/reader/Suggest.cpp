#include "config/reader/Suggest.h"

#include <algorithm>
#include <cctype>

namespace mcph::config {

namespace {

std::string lower(const std::string& s) {
    std::string out = s;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::size_t budgetFor(const std::string& word) {
    if (word.size() <= 4) {
        return 1;
    }
    return word.size() <= 8 ? 2 : 3;
}

}  // namespace

std::size_t editDistance(const std::string& a, const std::string& b) {
    // Optimal string alignment: Levenshtein plus transposition of two adjacent characters.
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= m; ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

std::optional<std::string> closestMatch(const std::string& word,
                                        const std::vector<std::string>& candidates) {
    const std::string w = lower(word);
    std::optional<std::string> best;
    std::size_t bestDistance = budgetFor(word) + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t distance = editDistance(w, lower(candidate));
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    if (best || w.size() < 4) {
        return best;
    }
    for (const std::string& candidate : candidates) {
        if (lower(candidate).find(w) != std::string::npos) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace mcph::config

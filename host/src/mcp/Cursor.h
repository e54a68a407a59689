#pragma once
// Opaque pagination cursors for list methods. Clients must not parse them; we still validate
// every one we get back (a bad cursor is -32602).
#include <cstddef>
#include <optional>
#include <string>

namespace mcph::mcp {

std::string encodeCursor(std::size_t offset);
std::optional<std::size_t> decodeCursor(const std::string& cursor);

}  // namespace mcph::mcp

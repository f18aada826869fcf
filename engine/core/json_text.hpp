#pragma once
/// @file
/// @brief JSON text for the files MineTwin writes by hand (glTF, the report's specifications).

#include <string>

namespace minetwin {

/// JSON string literal of @p text: quotes, backslashes and control characters escaped, and '<'
/// as \u003c, so the text may sit inside an HTML script element.
std::string json_string(const std::string& text);

}  // namespace minetwin

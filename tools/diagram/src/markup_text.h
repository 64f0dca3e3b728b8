// Text placed inside HTML or SVG markup: the one escaper both drawings use.
#pragma once

#include <string>

namespace simsock::scenario {

/// s with <, >, & and " replaced by their character references.
inline std::string markupText(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

}  // namespace simsock::scenario

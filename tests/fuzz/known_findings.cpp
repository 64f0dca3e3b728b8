#include "known_findings.h"

#include <cctype>

namespace simsock::fuzz {
namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Finding 7: duration.cpp multiplies a fraction of ten digits by the unit before checking it, a signed
// overflow ("0.9999999999s"). Any '.' followed by ten or more digits and a unit letter.
bool longDurationFraction(std::string_view text) {
    for (std::size_t dot = text.find('.'); dot != std::string_view::npos; dot = text.find('.', dot + 1)) {
        std::size_t end = dot + 1;
        while (end < text.size() && digit(text[end])) ++end;
        if (end - dot - 1 >= 10 && end < text.size() && (text[end] == 's' || text[end] == 'm' || text[end] == 'u' ||
                                                         text[end] == 'n'))
            return true;
    }
    return false;
}

}  // namespace

std::string_view knownFinding(std::string_view text) {
    if (longDurationFraction(text)) return "finding 7: duration fraction overflow (tools/model/src/duration.cpp)";
    return {};
}

}  // namespace simsock::fuzz

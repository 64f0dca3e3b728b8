#include "markup_text.h"
#include "simsock/scenario/viewer_page.h"
#include "viewer_assets.h"

namespace simsock::scenario {
namespace {

// JSON inside a script element: "</script" or "<!--" would change how the element ends. A '<' occurs in
// JSON only inside strings, where "\u003c" is the same character.
std::string scriptSafe(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (char c : json) {
        if (c == '<') out += "\\u003c";
        else out += c;
    }
    return out;
}

}  // namespace

std::string pageHtml(const ViewerPage& page) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
                      markupText(page.title) + "</title>\n<style>\n";
    out += detail::kViewerCss;
    out += "</style>\n</head>\n<body>\n<noscript>This page draws its trace with JavaScript.</noscript>\n";
    out += "<script type=\"application/json\" id=\"simsock-data\">" + scriptSafe(pageJson(page)) + "</script>\n<script>\n";
    out += detail::kViewerJs;
    out += "</script>\n</body></html>\n";
    return out;
}

}  // namespace simsock::scenario

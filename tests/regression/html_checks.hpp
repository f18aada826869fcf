#pragma once
// Checks of the HTML reports: well-formed nesting, and headless Chromium (Debian's `chromium`,
// network off) rendering a report to its DOM, console messages and a screenshot.

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace minetwin::test {

// Element nesting is balanced (void elements aside; script and style contents skipped).
inline std::string check_well_formed(const std::string& html) {
  static const std::set<std::string> kVoid{"meta", "img", "br", "hr", "link", "input"};
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = html.find('<', at)) != std::string::npos) {
    if (html.compare(at, 4, "<!--") == 0) {
      at = html.find("-->", at);
      continue;
    }
    if (html.compare(at, 2, "<!") == 0) {
      at = html.find('>', at);
      continue;
    }
    const bool closing = html[at + 1] == '/';
    const std::size_t name_start = at + (closing ? 2 : 1);
    std::size_t name_end = name_start;
    while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end])))
      ++name_end;
    const std::string name = html.substr(name_start, name_end - name_start);
    const std::size_t end = html.find('>', name_end);
    if (name.empty() || end == std::string::npos) return "a stray '<' at " + std::to_string(at);
    if (closing) {
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + ">";
      open.pop_back();
      at = end;
      continue;
    }
    if (kVoid.count(name) == 0) open.push_back(name);
    at = end;
    if (name == "script" || name == "style") {  // raw text up to its end tag
      at = html.find("</" + name + ">", at);
      if (at == std::string::npos) return "<" + name + "> never closed";
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

inline bool has_chromium() {
  return std::system("command -v chromium > /dev/null 2>&1") == 0;
}

struct Rendered {
  std::string dom, console;
};

// Headless Chromium with no network (every host unresolvable), with software WebGL
// (SwiftShader, as the reports' 3D replay needs; opted in, so Chromium does not warn of its
// deprecated automatic fallback).
inline std::string chromium_command() {
  return "timeout 120 chromium --headless=new --no-sandbox --hide-scrollbars "
         "--use-angle=swiftshader --enable-unsafe-swiftshader "
         "--host-resolver-rules='MAP * ~NOTFOUND' ";
}

// The DOM of @p html (with a URL @p fragment, "#..." or "") after its scripts ran, and the
// console messages on the way; @p flags: more of Chromium's (each with a trailing space).
inline Rendered render_dom(const std::filesystem::path& html, const std::string& fragment,
                           const std::filesystem::path& log, const std::string& flags = "") {
  const std::filesystem::path dom = log.parent_path() / (log.stem().string() + ".dom");
  std::system((chromium_command() + flags +
               "--enable-logging=stderr --log-level=0 --dump-dom 'file://" + html.string() +
               fragment + "' > '" + dom.string() + "' 2> '" + log.string() + "'")
                  .c_str());
  Rendered r{test::read_bytes(dom), ""};
  std::istringstream lines(test::read_bytes(log));
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) r.console += line + "\n";
  return r;
}

// Headless Chromium with no network: the DOM after the scripts ran (virtual time: timers and
// animations run to their end), its console messages, and a screenshot.
inline Rendered render(const std::filesystem::path& html, const std::filesystem::path& screenshot) {
  const std::string virtual_time = "--virtual-time-budget=20000 ";
  const Rendered r = render_dom(
      html, "", screenshot.parent_path() / (screenshot.stem().string() + ".log"), virtual_time);
  std::system((chromium_command() + virtual_time + "--window-size=1300,2600 --screenshot='" +
               screenshot.string() + "' 'file://" + html.string() + "' > /dev/null 2>&1")
                  .c_str());
  return r;
}

}  // namespace minetwin::test

// The dashboard's pages: a shell (navigation, engine badges, scripts) around the panels of each
// route. Pages carry no state and no secret: live values arrive by SSE (/api/events) and
// HTMX fragments; the control token lives only in the browser's session storage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"

namespace pmx::dash {

enum class Page { overview, positions, opportunities, history, analytics, settings };

struct PageInfo {
  Page page;
  std::string_view path;
  std::string_view title;
};
const std::vector<PageInfo>& pages();

// The whole HTML document of `page` for engine `instance`. `config` supplies the settings
// page's runtime keys (current values, redacted if secret).
std::string render_page(Page page, std::string_view instance, const Config& config);

}  // namespace pmx::dash

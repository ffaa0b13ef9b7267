#include "pmx/feed/bootstrap/bootstrap_error.h"

namespace pmx {

std::string_view to_string(BootstrapError error) noexcept {
  switch (error) {
    case BootstrapError::ok:
      return "ok";
    case BootstrapError::http_failed:
      return "http_failed";
    case BootstrapError::http_status:
      return "http_status";
    case BootstrapError::bad_json:
      return "bad_json";
    case BootstrapError::bad_shape:
      return "bad_shape";
    case BootstrapError::missing_field:
      return "missing_field";
    case BootstrapError::wrong_type:
      return "wrong_type";
    case BootstrapError::bad_price:
      return "bad_price";
    case BootstrapError::bad_time:
      return "bad_time";
    case BootstrapError::bad_key:
      return "bad_key";
    case BootstrapError::bad_value:
      return "bad_value";
    case BootstrapError::too_many_pages:
      return "too_many_pages";
  }
  return "unknown";
}

}  // namespace pmx

#include "pmx/core/html_escape.h"

#include <gtest/gtest.h>

namespace pmx::dash {
namespace {

TEST(HtmlEscape, ScriptTagInATitleBecomesText) {
  EXPECT_EQ(html_escaped("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST(HtmlEscape, QuotesCannotCloseAnAttribute) {
  EXPECT_EQ(html_escaped("a\" onmouseover='x'"), "a&quot; onmouseover=&#39;x&#39;");
}

TEST(HtmlEscape, AmpersandIsEscapedFirstSoEntitiesAreNotDecoded) {
  EXPECT_EQ(html_escaped("&lt;"), "&amp;lt;");
}

TEST(HtmlEscape, PlainTickerIsUnchanged) {
  EXPECT_EQ(html_escaped("KXBTC-26DEC31-T100000"), "KXBTC-26DEC31-T100000");
}

}  // namespace
}  // namespace pmx::dash

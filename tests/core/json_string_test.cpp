#include "pmx/core/json_string.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(JsonString, QuotesPlainText) {
  EXPECT_EQ(json_string("KXFED-26DEC-H0"), "\"KXFED-26DEC-H0\"");
}

TEST(JsonString, EscapesWhatJsonRequires) {
  EXPECT_EQ(json_string("a\"b\\c\nd\te"), R"("a\"b\\c\nd\te")");
  EXPECT_EQ(json_string(std::string_view("\x01", 1)), R"("\u0001")");
}

TEST(JsonString, EscapesMarkupSoATitleCannotOpenAScriptTag) {
  EXPECT_EQ(json_string("<script>&"), R"("\u003cscript\u003e\u0026")");
}

TEST(JsonString, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(json_string("Zürich"), "\"Zürich\"");
  EXPECT_EQ(json_string("a\xff"
                        "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(json_string("\xe2\x80\xa8"), R"("\u2028")");
}

}  // namespace
}  // namespace pmx

#include "form_fields.h"

#include <gtest/gtest.h>

namespace pmx::dash {
namespace {

TEST(FormFields, ParsesFieldsWithPercentAndPlusDecoding) {
  const FormFields f = parse_form("key=risk.max_drawdown_pct&value=12.5&note=a+b%21");
  ASSERT_TRUE(f.ok()) << f.error;
  EXPECT_EQ(f.get("key"), "risk.max_drawdown_pct");
  EXPECT_EQ(f.get("value"), "12.5");
  EXPECT_EQ(f.get("note"), "a b!");
  EXPECT_FALSE(f.get("missing"));
}

TEST(FormFields, EmptyBodyHasNoFields) {
  const FormFields f = parse_form("");
  EXPECT_TRUE(f.ok());
  EXPECT_TRUE(f.fields.empty());
}

TEST(FormFields, RefusesATruncatedPercentEscape) {
  EXPECT_FALSE(parse_form("mode=live%2").ok());
  EXPECT_FALSE(parse_form("mode=live%").ok());
  EXPECT_FALSE(parse_form("mode=%zz").ok());
}

TEST(FormFields, RefusesAnEncodedNulByte) {
  EXPECT_FALSE(parse_form("mode=li%00ve").ok());
}

TEST(FormFields, RefusesAFieldWithoutEquals) {
  const FormFields f = parse_form("mode=paper&confirm");
  EXPECT_FALSE(f.ok());
  EXPECT_NE(f.error.find("without '='"), std::string::npos);
}

TEST(FormFields, RefusesARepeatedField) {
  EXPECT_FALSE(parse_form("mode=paper&mode=live").ok());
}

TEST(FormFields, RefusesAnOversizedBody) {
  EXPECT_FALSE(parse_form("v=" + std::string(kMaxFormBytes, 'x')).ok());
}

TEST(FormFlag, AcceptsTheUsualSpellingsOnly) {
  EXPECT_EQ(form_flag("true"), true);
  EXPECT_EQ(form_flag("1"), true);
  EXPECT_EQ(form_flag("on"), true);
  EXPECT_EQ(form_flag(""), false);
  EXPECT_EQ(form_flag("false"), false);
  EXPECT_FALSE(form_flag("maybe"));
}

}  // namespace
}  // namespace pmx::dash

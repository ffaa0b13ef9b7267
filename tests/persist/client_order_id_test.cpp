#include "pmx/persist/client_order_id.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(ClientOrderId, FormatsPrefixEpochAndSequence) {
  EXPECT_EQ(format_client_order_id(1795000000, 10042).view(), "pmx-1795000000-10042");
}

TEST(ClientOrderId, LargestValuesFitTheFixedArray) {
  const ClientOrderId id = format_client_order_id(99'999'999'999, UINT64_MAX);
  EXPECT_EQ(id.view(), "pmx-99999999999-18446744073709551615");
}

TEST(ClientOrderId, ParsesWhatItFormats) {
  const auto parsed = parse_client_order_id(format_client_order_id(1795000000, 7).view());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->epoch, 1795000000u);
  EXPECT_EQ(parsed->sequence, 7u);
}

TEST(ClientOrderId, RefusesIdsThisEngineDidNotMint) {
  for (const char* text : {"", "pmx-", "pmx-12", "pmx-12-", "pmx--5", "abc-1-2", "pmx-1-2-3", "pmx-1-x",
                           "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1", "pmx-1-99999999999999999999999"})
    EXPECT_FALSE(parse_client_order_id(text).has_value()) << text;
}

}  // namespace
}  // namespace pmx

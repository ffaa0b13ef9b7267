#include "pmx/feed/instrument_table.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(InstrumentTable, AssignsDenseIdsInRegistrationOrder) {
  InstrumentTable t;
  EXPECT_EQ(t.add(Venue::kalshi, "FED-23DEC-T3.00").value, 0U);
  EXPECT_EQ(t.add(Venue::polymarket, "123456789").value, 1U);
  EXPECT_EQ(t.add(Venue::kalshi, "SENATEOHS-26-D").value, 2U);
  EXPECT_EQ(t.size(), 3U);
}

TEST(InstrumentTable, SameKeyOnTwoVenuesIsTwoInstruments) {
  InstrumentTable t;
  const InstrumentId k = t.add(Venue::kalshi, "12345");
  const InstrumentId p = t.add(Venue::polymarket, "12345");
  EXPECT_NE(k, p);
  EXPECT_EQ(t.find(Venue::kalshi, "12345"), k);
  EXPECT_EQ(t.find(Venue::polymarket, "12345"), p);
  EXPECT_EQ(t.venue(p), Venue::polymarket);
}

TEST(InstrumentTable, AddIsIdempotent) {
  InstrumentTable t;
  const InstrumentId a = t.add(Venue::kalshi, "A-1");
  EXPECT_EQ(t.add(Venue::kalshi, "A-1"), a);
  EXPECT_EQ(t.size(), 1U);
}

TEST(InstrumentTable, FindsByStringViewIntoAnyBuffer) {
  InstrumentTable t;
  const std::string token = "65818619657568813474341868652308942079804919287380422192892211131408793125422";
  const InstrumentId id = t.add(Venue::polymarket, token);
  const std::string frame = "xx" + token + "yy";
  EXPECT_EQ(t.find(Venue::polymarket, std::string_view(frame).substr(2, token.size())), id);
  EXPECT_EQ(t.key(id), token);
  EXPECT_FALSE(t.find(Venue::polymarket, "1").valid());
}

TEST(InstrumentTable, RefusesImplausibleKeys) {
  InstrumentTable t;
  EXPECT_FALSE(t.add(Venue::polymarket, "0xabc").valid());  // token ids are decimal
  EXPECT_FALSE(t.add(Venue::kalshi, "").valid());
  EXPECT_FALSE(t.add(Venue::kalshi, "HAS SPACE").valid());
  EXPECT_FALSE(t.add(Venue::kalshi, std::string(InstrumentTable::kMaxKeyBytes + 1, 'A')).valid());
  EXPECT_EQ(t.size(), 0U);
}

TEST(InstrumentTable, UnknownIdHasEmptyKey) {
  InstrumentTable t;
  EXPECT_EQ(t.key(InstrumentId{7}), "");
  EXPECT_EQ(t.key(InstrumentId{}), "");
}

TEST(InstrumentTable, ACopyOutlivesItsSource) {
  auto source = std::make_unique<InstrumentTable>();
  const InstrumentId k = source->add(Venue::kalshi, "KXBTC-26DEC31-T100000");
  const InstrumentId p = source->add(Venue::polymarket, "123456789");
  InstrumentTable copy(*source);
  InstrumentTable assigned;
  assigned = *source;
  source.reset();  // the copies must not point into its nodes

  for (const InstrumentTable* t : {&copy, &assigned}) {
    EXPECT_EQ(t->key(k), "KXBTC-26DEC31-T100000");
    EXPECT_EQ(t->key(p), "123456789");
    EXPECT_EQ(t->find(Venue::polymarket, "123456789"), p);
    EXPECT_EQ(t->size(), 2u);
  }
}

}  // namespace
}  // namespace pmx

#include "http/content_disposition.hpp"

#include <gtest/gtest.h>

namespace cartable::http {
namespace {

TEST(ContentDisposition, PlainNamesAreSentAsTheyAre) {
  EXPECT_EQ(content_disposition("attachment", "notes 6e A EPS.csv"),
            "attachment; filename=\"notes 6e A EPS.csv\"");
  EXPECT_EQ(content_disposition("inline", "cours.pdf"), "inline; filename=\"cours.pdf\"");
}

TEST(ContentDisposition, OtherNamesGetAnAsciiFallbackAndTheirUtf8Spelling) {
  EXPECT_EQ(content_disposition("attachment", "Été \"1\".pdf"),
            "attachment; filename=\"__t__ _1_.pdf\"; "
            "filename*=UTF-8''%C3%89t%C3%A9%20%221%22.pdf");
  // Quotes, slashes and line breaks cannot end the header or name a directory.
  const std::string tricky = content_disposition("attachment", "a\"b/..\\c\r\nd.csv");
  EXPECT_EQ(tricky.find('\r'), std::string::npos);
  EXPECT_EQ(tricky.find('\n'), std::string::npos);
  EXPECT_NE(tricky.find("filename=\"a_b_.._c__d.csv\""), std::string::npos);
  EXPECT_NE(tricky.find("filename*=UTF-8''a%22b%2F..%5Cc%0D%0Ad.csv"), std::string::npos);
}

}  // namespace
}  // namespace cartable::http

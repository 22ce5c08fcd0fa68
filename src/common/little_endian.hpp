// Fixed-width integers to and from bytes, little-endian: the layout of every signed token.
#pragma once

#include <cstddef>
#include <type_traits>

namespace cartable {

template <class Integer>
void put_little_endian(unsigned char*& out, Integer value) {
  auto bits = static_cast<std::make_unsigned_t<Integer>>(value);
  for (std::size_t i = 0; i < sizeof(Integer); ++i) {
    *out++ = static_cast<unsigned char>(bits >> (8 * i));
  }
}

template <class Integer>
Integer take_little_endian(const unsigned char*& in) {
  std::make_unsigned_t<Integer> bits = 0;
  for (std::size_t i = 0; i < sizeof(Integer); ++i) {
    bits |= static_cast<std::make_unsigned_t<Integer>>(*in++) << (8 * i);
  }
  return static_cast<Integer>(bits);
}

}  // namespace cartable

#include "engine/io/chunk_deflate.hpp"

#include <libdeflate.h>

#include <new>
#include <stdexcept>

namespace minetwin {
namespace {

// HDF5's shuffle filter (H5Zshuffle.c): byte k of element i goes to k * count + i. The element
// size is a constant here, so the compiler unrolls the inner bytes.
template <std::size_t kBytes>
void shuffle(const std::byte* from, std::size_t count, std::byte* to) {
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t k = 0; k < kBytes; ++k) to[k * count + i] = from[i * kBytes + k];
}

}  // namespace

ChunkDeflater::ChunkDeflater(int level) : compressor_(libdeflate_alloc_compressor(level)) {
  if (compressor_ == nullptr) throw std::bad_alloc();
}

ChunkDeflater::~ChunkDeflater() {
  libdeflate_free_compressor(compressor_);
}

std::size_t ChunkDeflater::compress(std::span<const std::byte> values, std::size_t element_bytes,
                                    std::vector<std::byte>& out) {
  if ((element_bytes != 4 && element_bytes != 8) || values.size() % element_bytes != 0)
    throw std::logic_error("ChunkDeflater: values are not whole elements of 4 or 8 bytes");
  const std::size_t count = values.size() / element_bytes;
  shuffled_.resize(values.size());
  if (element_bytes == 4)
    shuffle<4>(values.data(), count, shuffled_.data());
  else
    shuffle<8>(values.data(), count, shuffled_.data());
  const std::size_t start = out.size();
  const std::size_t bound = libdeflate_zlib_compress_bound(compressor_, shuffled_.size());
  out.resize(start + bound);
  const std::size_t size = libdeflate_zlib_compress(compressor_, shuffled_.data(), shuffled_.size(),
                                                    out.data() + start, bound);
  if (size == 0) throw std::runtime_error("deflate: the compressed chunk exceeds its bound");
  out.resize(start + size);
  return size;
}

}  // namespace minetwin

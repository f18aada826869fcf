#pragma once
/// @file
/// @brief Compresses one chunk of a state.nc variable the way HDF5's shuffle and deflate filters
/// store it, with libdeflate instead of zlib.
///
/// state.nc declares every recorded variable with the byte-shuffle and deflate filters (netCDF's
/// nc_def_var_deflate); a reader inflates a chunk and unshuffles it, whatever wrote it. Writing
/// the chunks ourselves (H5Dwrite_chunk) lets the run compress with libdeflate, which produces a
/// standard zlib stream 1.6-2x faster than zlib at the same level, and keep the compressed bytes
/// for the run's raw record file (a quarter of the values' size). The same values and level give
/// the same bytes on every machine (libdeflate has no threads and no time in its output).

#include <cstddef>
#include <span>
#include <vector>

struct libdeflate_compressor;

namespace minetwin {

class ChunkDeflater {
 public:
  /// @p level: libdeflate's level, 1 (fastest) to 12.
  explicit ChunkDeflater(int level = 1);
  ~ChunkDeflater();
  ChunkDeflater(const ChunkDeflater&) = delete;
  ChunkDeflater& operator=(const ChunkDeflater&) = delete;

  /// Appends the compressed chunk of @p values (elements of @p element_bytes each, 4 or 8) to
  /// @p out; returns its size in bytes. Shuffle first (the k-th byte of every element together:
  /// the exponents and high mantissa bytes of neighbouring cells repeat), then deflate in zlib
  /// format, as HDF5's filter pipeline expects.
  std::size_t compress(std::span<const std::byte> values, std::size_t element_bytes,
                       std::vector<std::byte>& out);

 private:
  libdeflate_compressor* compressor_ = nullptr;
  std::vector<std::byte> shuffled_;
};

}  // namespace minetwin

#pragma once
/// @file
/// @brief The soil carbon's loops over a sub-block of cells (docs/models/carbon.md,
/// "Performance"): the moisture deficit and rate modifiers, then (in the component) the decay
/// factors, the pools, the store. The arithmetic of each step is RothC's, written once in
/// rothc.hpp (namespace monthly) and shared with the one-site run that reproduces the official
/// example. Plain loops without branches over arrays, which the compiler vectorises; built with
/// the flags of the models' hot loops (models/CMakeLists.txt), each also for AVX2.

#include <array>
#include <cstddef>

#include "models/carbon/rothc.hpp"

namespace minetwin::carbon {

/// RothC works in t C ha-1, MineTwin's fields in kg C m-2.
inline constexpr double kTonnesPerHectarePerKgPerM2 = 10.0;
/// Back by a multiplication (within an ulp of dividing by 10): a division costs the vectorised
/// loops several multiplications' time.
inline constexpr double kKgPerM2PerTonnePerHectare = 0.1;

/// Cells per sub-block: its scratch stays in L1.
inline constexpr std::size_t kSubBlock = 256;

/// Scratch of one sub-block, in L1.
struct SubBlock {
  std::array<double, kSubBlock> moisture, rate, deficit_before, char_loss, loss;
  std::array<std::array<double, kSubBlock>, 4> factor, pool;
  std::array<double, kSubBlock> covered;  // 1 or 0: one element width in the vectorised loop
};

/// Pass 1: the moisture deficit at the month's end, the moisture rate modifier (b) and the decay
/// rate a·b·c/12 of the pools (the product as decay_factors forms it). A soil that does not decay
/// (held by the spin-up: litter share 0; or an invalid cell) gets rate 0, whose factors are 1.
void moisture_pass(std::size_t count, const double* decays, const float* cover, double threshold,
                   double balance, double temperature_term, const double* deficit_max,
                   double* deficit, double* deficit_before, double* moisture, double* rate,
                   double* covered);

/// The decay factors of the last few distinct rates (most cells of a sub-block share one of a
/// few: bare or covered, at full moisture or at one deficit, or held); four exponentials only for
/// a rate not among them.
class DecayCache {
 public:
  const std::array<double, 4>& factors(double rate) {
    if (entry_[last_].rate == rate) return entry_[last_].factor;
    for (std::size_t j = 0; j < kEntries; ++j) {
      if (entry_[j].rate == rate) {
        last_ = j;
        return entry_[j].factor;
      }
    }
    last_ = next_;
    next_ = (next_ + 1) % kEntries;
    refresh_decay_memo(entry_[last_], rate);
    return entry_[last_].factor;
  }

 private:
  static constexpr std::size_t kEntries = 4;
  std::array<DecayMemo, kEntries> entry_{};  // rate −1 until used: no rate matches it
  std::size_t last_ = 0, next_ = 0;
};

/// Pass 3: decay, split and inputs (t C/ha). A held soil (litter share 0, the spin-up) has decay
/// factors of 1 and no input, so its pools stay as they are, to the bit, and it respires all its
/// litter.
void pool_pass(std::size_t count, const double* dpm, const double* rpm, const double* bio,
               const double* hum, const double* litter, const float* share, const float* ratio,
               const double* to_bio, const double* to_hum, const double* f_dpm, const double* f_rpm,
               const double* f_bio, const double* f_hum, const double* char_loss, double* p_dpm,
               double* p_rpm, double* p_bio, double* p_hum, double* loss);

/// Pass 5: the pools back in kg m-2, biochar's loss, the year's respiration per cell.
void store_pass(std::size_t count, const double* p_dpm, const double* p_rpm, const double* p_bio,
                const double* p_hum, const double* char_loss, const double* loss, double* dpm,
                double* rpm, double* bio, double* hum, double* biochar, float* annual);

}  // namespace minetwin::carbon

#include "models/metals/metals_passes.hpp"

#include <algorithm>
#include <type_traits>

#include "engine/core/wide_vectors.hpp"
#include "models/metals/column_transport.hpp"
#include "models/metals/metals_equations.hpp"

namespace minetwin::metals {
namespace {

// Four lanes as one vector (GCC's generic vectors: AVX2 registers in the AVX2 build, two SSE2
// registers in the baseline one; per-element IEEE operations, so a lane gives the same bits as a
// scalar loop would). A plain loop over lanes with the column in registers did not vectorise:
// GCC sinks the selected stores' arithmetic into branches.
using Double4 = double __attribute__((vector_size(4 * sizeof(double))));

// Loads and stores of V (double, or Double4) by reference (a vector argument or result would
// change the ABI between the builds, which GCC warns about), through unaligned, aliasing vector
// types: a memcpy through a local made GCC store two 16-byte halves and reload 32 bytes, which
// the processor cannot forward (a stall per load).
using UnalignedDouble4 =
    double __attribute__((vector_size(4 * sizeof(double)), aligned(8), may_alias));

template <class V>
[[gnu::always_inline]] inline void load_lanes(V& v, const double* from) {
  if constexpr (std::is_same_v<V, double>) {
    v = *from;
  } else {
    v = *reinterpret_cast<const UnalignedDouble4*>(from);
  }
}
template <class V>
[[gnu::always_inline]] inline void load_lanes(V& v, const float* from) {
  if constexpr (std::is_same_v<V, double>) {
    v = static_cast<double>(*from);
  } else {
    // Element by element: GCC 12 turns this into one conversion from memory, but splits
    // __builtin_convertvector of a loaded float vector into halves (three more instructions).
    v = Double4{from[0], from[1], from[2], from[3]};
  }
}
template <class V>
[[gnu::always_inline]] inline void store_lanes(double* to, const V& v) {
  if constexpr (std::is_same_v<V, double>) {
    *to = v;
  } else {
    *reinterpret_cast<UnalignedDouble4*>(to) = v;
  }
}

// The month's leaching (kg m-2) added to the year's (float), in lanes. Where no water moved it is
// zero, so the sum is the year's as it was.
using Float4 = float __attribute__((vector_size(4 * sizeof(float))));
using UnalignedFloat4 =
    float __attribute__((vector_size(4 * sizeof(float)), aligned(4), may_alias));
template <class V>
[[gnu::always_inline]] inline void add_to_annual(float* annual, const V& leached) {
  if constexpr (std::is_same_v<V, double>) {
    *annual += static_cast<float>(leached);
  } else {
    *reinterpret_cast<UnalignedFloat4*>(annual) += __builtin_convertvector(leached, Float4);
  }
}

// Lanes [j, j + width) of one species, width 4 (V = Double4) or 1 (V = double). The top layer's
// dissolved concentration and capacity go to the sub-block's arrays of the species; the leaching
// (kg m-2) to the year's per cell, and in kg (over the cell's area) to @p out, for the ledger.
template <bool Immobilised>
[[gnu::always_inline]] inline void mobile_mass_lanes(
    std::size_t count, const double* __restrict total_mg_kg, const float* __restrict kd,
    const float* __restrict immobilised, const double* __restrict mass,
    const double* __restrict pore, double* __restrict fixed, double* __restrict capacity,
    double* __restrict amount) {
  for (std::size_t j = 0; j < count; ++j) {
    double metal;
    layer_metal_kg_m2(metal, total_mg_kg[j], mass[j]);
    if constexpr (Immobilised) {
      mobile_metal_kg_m2(fixed[j], amount[j], metal, static_cast<double>(immobilised[j]));
    } else {
      fixed[j] = 0.0;
      amount[j] = metal;
    }
    sorbing_capacity_m(capacity[j], pore[j], static_cast<double>(kd[j]), mass[j]);
  }
}
// Lanes [j, j + width) of one species, width 4 (V = Double4) or 1 (V = double). The top layer's
// dissolved concentration and capacity go to the sub-block's arrays of the species; the leaching
// (kg m-2) to the year's per cell, and in kg (over the cell's area) to @p out, for the ledger.
template <std::size_t Layers, bool Immobilised, class V>
[[gnu::always_inline]] inline void leach_lanes(const SharedLanes& in, std::size_t j,
                                               double* content, const float* kd,
                                               const float* immobilised, float* annual, double* out,
                                               double* top_dissolved, double* top_capacity) {
  const std::size_t stride = in.stride;
  ShortColumn<Layers, V> column;
  V fixed[Layers], before[Layers], mass[Layers], q;
  load_lanes(q, in.q + j);
  for (std::size_t l = 0; l < Layers; ++l) {
    const std::size_t at = l * stride + j;
    V water, kd_m3, share;
    load_lanes(mass[l], in.mass + at);
    load_lanes(before[l], content + at);
    load_lanes(water, in.water + at);
    load_lanes(kd_m3, kd + at);
    V metal, pore;
    layer_metal_kg_m2(metal, before[l], mass[l]);
    if constexpr (Immobilised) {
      load_lanes(share, immobilised + at);
      mobile_metal_kg_m2(fixed[l], column.amount[l], metal, share);
    } else {
      fixed[l] = V{};  // zero in every lane
      column.amount[l] = metal;
    }
    pore_water_m(pore, water);
    sorbing_capacity_m(column.capacity[l], pore, kd_m3, mass[l]);
  }
  for (std::size_t f = 0; f + 1 < Layers; ++f) {
    // A face's two coefficients sum to 1 (it passes on the water, q), so the lower one's flux is
    // what the upper one's leaves of q: one array and one product less than loading both.
    V on_upper;
    load_lanes(on_upper, in.face_on_upper + f * stride + j);
    column.flux_on_upper[f] = q * on_upper;
    column.flux_on_lower[f] = q - column.flux_on_upper[f];
  }
  V leaving;
  solve_short_column(column, q, leaving);
  add_to_annual(annual + j, leaving);
  store_lanes(out + j, leaving * in.area);
  for (std::size_t l = 0; l < Layers; ++l) {
    const std::size_t at = l * stride + j;
    V per_mass;
    load_lanes(per_mass, in.per_mass + at);
    V after;
    content_mg_kg(after, fixed[l], column.capacity[l], column.amount[l], per_mass);
    const V kept = ((q > 0.0) & (mass[l] > 0.0)) ? after : before[l];
    store_lanes(content + at, kept);
  }
  store_lanes(top_dissolved + j, column.amount[0]);
  store_lanes(top_capacity + j, column.capacity[0]);
}

template <std::size_t Layers, bool Immobilised>
[[gnu::always_inline]] inline void leach_species_lanes(const SharedLanes& in, double* content,
                                                       const float* kd, const float* immobilised,
                                                       float* annual, double* out,
                                                       double* top_dissolved,
                                                       double* top_capacity) {
  // A local copy: the stores through double pointers could alias the caller's struct, so GCC
  // would reload its pointers after each store.
  const SharedLanes shared = in;
  std::size_t j = 0;
  for (; j + 4 <= shared.lanes; j += 4)
    leach_lanes<Layers, Immobilised, Double4>(shared, j, content, kd, immobilised, annual, out,
                                              top_dissolved, top_capacity);
  for (; j < shared.lanes; ++j)
    leach_lanes<Layers, Immobilised, double>(shared, j, content, kd, immobilised, annual, out,
                                             top_dissolved, top_capacity);
}

// The instances for 1 to kFusedLayers layers, each also built for AVX2 and AVX-512 (the loop
// spills with 16 vector registers; models/CMakeLists.txt turns contraction off for the file).
#define MINETWIN_FUSED_LEACH(LAYERS)                                                              \
  MINETWIN_WIDEST_VECTORS void leach_species_##LAYERS(                                            \
      const SharedLanes& in, double* content, const float* kd, const float* immobilised,          \
      float* annual, double* out, double* top_dissolved, double* top_capacity) {                  \
    if (immobilised != nullptr) {                                                                 \
      leach_species_lanes<LAYERS, true>(in, content, kd, immobilised, annual, out, top_dissolved, \
                                        top_capacity);                                            \
    } else {                                                                                      \
      leach_species_lanes<LAYERS, false>(in, content, kd, nullptr, annual, out, top_dissolved,    \
                                         top_capacity);                                           \
    }                                                                                             \
  }
MINETWIN_FUSED_LEACH(1)
MINETWIN_FUSED_LEACH(2)
MINETWIN_FUSED_LEACH(3)
MINETWIN_FUSED_LEACH(4)
#undef MINETWIN_FUSED_LEACH

using FusedLeach = void (*)(const SharedLanes&, double*, const float*, const float*, float*,
                            double*, double*, double*);
constexpr FusedLeach kFusedLeach[kFusedLayers + 1] = {nullptr, leach_species_1, leach_species_2,
                                                      leach_species_3, leach_species_4};

// Four vectors of four as the rows of a matrix, transposed in place.
// __builtin_shufflevector: GCC (12 and later) and clang both have it; GCC's __builtin_shuffle
// stopped clang.
[[gnu::always_inline]] inline void transpose_quad(Double4 (&row)[4]) {
  const Double4 low01 = __builtin_shufflevector(row[0], row[1], 0, 4, 2, 6);
  const Double4 high01 = __builtin_shufflevector(row[0], row[1], 1, 5, 3, 7);
  const Double4 low23 = __builtin_shufflevector(row[2], row[3], 0, 4, 2, 6);
  const Double4 high23 = __builtin_shufflevector(row[2], row[3], 1, 5, 3, 7);
  row[0] = __builtin_shufflevector(low01, low23, 0, 1, 4, 5);
  row[1] = __builtin_shufflevector(high01, high23, 0, 1, 4, 5);
  row[2] = __builtin_shufflevector(low01, low23, 2, 3, 6, 7);
  row[3] = __builtin_shufflevector(high01, high23, 2, 3, 6, 7);
}

// A slot's halves: species 0-3, then 4-5 and the padding.
using AlignedHalf = double __attribute__((vector_size(4 * sizeof(double)), may_alias));
static_assert(kSpecies == 6 && sizeof(SpeciesSlot) == 2 * sizeof(AlignedHalf));
inline AlignedHalf& half_of(SpeciesSlot& slot, std::size_t h) {
  return *reinterpret_cast<AlignedHalf*>(slot.kg + 4 * h);
}

// The walk through one chunk, a cell (flow-order position) at a time.
template <bool WithWetland>
struct RunoffWalk {
  // A cell's slot as two halves of four species (the last two lanes are padding).
  using Half = Double4;
  const RunoffRoute& route;
  std::size_t last;
  Half retained_half[2] = {};

  [[gnu::always_inline]] void step(std::size_t j) {
    // Cells come in flow order, near but not next to each other in memory: their slots and their
    // receivers' are prefetched a few positions ahead.
    constexpr std::size_t kAhead = 16;
    if (j + kAhead < last) {
      const std::size_t ahead = route.cells[j + kAhead];
      __builtin_prefetch(&route.leaving[ahead]);
      __builtin_prefetch(&route.metal_in[ahead], 1);
      __builtin_prefetch(&route.metal_in[route.sends_to[j + kAhead]], 1);
    }
    const std::size_t c = route.cells[j];
    double* arrived = route.metal_in[c].kg;
    double* to = route.metal_in[route.sends_to[j]].kg;
    const double leaving = route.leaving[c];
    for (std::size_t h = 0; h < 2; ++h) {
      auto& arrived_half = *reinterpret_cast<UnalignedDouble4*>(arrived + 4 * h);
      auto& to_half = *reinterpret_cast<UnalignedDouble4*>(to + 4 * h);
      const Half metal_in = arrived_half;
      const Half leaves = metal_in * leaving;
      if constexpr (WithWetland) {
        const Half kept = leaves * static_cast<double>(route.wetland[c]);
        retained_half[h] += kept;
        to_half += leaves - kept;
      } else {
        to_half += leaves;
      }
      arrived_half = metal_in - leaves;  // the metal that infiltrates
    }
  }
  void finish(SpeciesSlot& retained) const {
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t s = 0; s < 4; ++s) retained.kg[4 * h + s] = retained_half[h][s];
  }
};

// Chunks [a_first, a_last) and [b_first, b_last) of the flow order (b may be empty), stepped
// through side by side. Each cell waits for its donors' metal (a load, a product, a sum, often
// straight after the donor's store): two independent chunks give the processor two such chains
// to overlap. Each chunk's cells are taken in its own order, so the sums are those of one chunk at
// a time.
template <bool WithWetland>
[[gnu::always_inline]] inline void route_metal_through(const RunoffRoute& route,
                                                       std::size_t a_first, std::size_t a_last,
                                                       std::size_t b_first, std::size_t b_last,
                                                       SpeciesSlot& a_retained,
                                                       SpeciesSlot& b_retained) {
  RunoffWalk<WithWetland> a{route, a_last}, b{route, b_last};
  const std::size_t together = std::min(a_last - a_first, b_last - b_first);
  for (std::size_t i = 0; i < together; ++i) {
    a.step(a_first + i);
    b.step(b_first + i);
  }
  for (std::size_t j = a_first + together; j < a_last; ++j) a.step(j);
  for (std::size_t j = b_first + together; j < b_last; ++j) b.step(j);
  a.finish(a_retained);
  b.finish(b_retained);
}

}  // namespace

// The per-layer passes of the leaching over a sub-block's lanes: plain loops over restrict
// pointers, so the compiler vectorises them (docs/development.md, "Vectorised cell loops").
MINETWIN_WIDE_VECTORS void pore_water(std::size_t count, const double* __restrict water,
                                      double* __restrict pore) {
  for (std::size_t j = 0; j < count; ++j) pore_water_m(pore[j], water[j]);
}
MINETWIN_WIDE_VECTORS void mobile_mass(std::size_t count, const double* __restrict total_mg_kg,
                                       const float* __restrict kd,
                                       const float* __restrict immobilised,
                                       const double* __restrict mass, const double* __restrict pore,
                                       double* __restrict fixed, double* __restrict capacity,
                                       double* __restrict amount) {
  if (immobilised != nullptr) {
    mobile_mass_lanes<true>(count, total_mg_kg, kd, immobilised, mass, pore, fixed, capacity,
                            amount);
  } else {
    mobile_mass_lanes<false>(count, total_mg_kg, kd, nullptr, mass, pore, fixed, capacity, amount);
  }
}

MINETWIN_WIDE_VECTORS void store_content(std::size_t count, const double* __restrict q,
                                         const double* __restrict mass,
                                         const double* __restrict per_mass,
                                         const double* __restrict fixed,
                                         const double* __restrict capacity,
                                         const double* __restrict dissolved,
                                         double* __restrict total_mg_kg) {
  for (std::size_t j = 0; j < count; ++j) {
    double moved;
    content_mg_kg(moved, fixed[j], capacity[j], dissolved[j], per_mass[j]);
    total_mg_kg[j] = q[j] > 0.0 && mass[j] > 0.0 ? moved : total_mg_kg[j];
  }
}

// The month's leaching out of the profile (kg m-2, where water moved) added to the year's; @p out
// becomes the cells' leaching in kg (over @p area m2), for the ledger.
MINETWIN_WIDE_VECTORS void add_leached(std::size_t count, const double* __restrict q, double area,
                                       double* __restrict out, float* __restrict annual) {
  for (std::size_t j = 0; j < count; ++j) {
    annual[j] = q[j] > 0.0 ? annual[j] + static_cast<float>(out[j]) : annual[j];
    out[j] = q[j] > 0.0 ? out[j] * area : 0.0;
  }
}

// The water leaving the bottom of the profile of each lane (m; none on invalid cells).
MINETWIN_WIDE_VECTORS void percolating_water(std::size_t count,
                                             const std::uint8_t* __restrict valid,
                                             const float* __restrict percolation,
                                             double* __restrict q) {
  for (std::size_t j = 0; j < count; ++j)
    q[j] = valid[j] != 0 && percolation[j] > 0.0f ? static_cast<double>(percolation[j]) : 0.0;
}

void leach_fused(std::size_t layers, const SharedLanes& in, double* content, const float* kd,
                 const float* immobilised, float* annual, double* out, double* top_dissolved,
                 double* top_capacity) {
  kFusedLeach[layers](in, content, kd, immobilised, annual, out, top_dissolved, top_capacity);
}

// The run-on of cells [first, first + count) of a grid of @p n cells: the discharge of the
// neighbours that drain into each (its donors, @p donor_bits), summed in the fixed order of the
// bits. A cell's donors are its D8 neighbours, so this reads three rows of the discharge in cell
// order where summing the discharges down the flow graph scattered them in flow order.
MINETWIN_WIDE_VECTORS void run_on_from_donors(std::size_t first, std::size_t count, std::size_t n,
                                              const std::array<std::ptrdiff_t, 8>& offset,
                                              const std::uint8_t* __restrict donor_bits,
                                              const float* __restrict discharge,
                                              double* __restrict run_on) {
  // Lanes whose eight neighbours all lie in the grid, then the rest with their bounds checked.
  const auto lo = static_cast<std::ptrdiff_t>(first),
             hi = static_cast<std::ptrdiff_t>(first + count);
  const auto [lowest, highest] = std::minmax_element(offset.begin(), offset.end());
  const std::ptrdiff_t inner_lo = std::clamp(-*lowest, lo, hi),
                       inner_hi =
                           std::clamp(static_cast<std::ptrdiff_t>(n) - *highest, inner_lo, hi);
  for (std::ptrdiff_t c = inner_lo; c < inner_hi; ++c) {
    double sum = 0.0;
    for (std::size_t d = 0; d < 8; ++d) {
      const float q = discharge[c + offset[d]];
      sum += (donor_bits[c] >> d & 1u) != 0 && q > 0.0f ? static_cast<double>(q) : 0.0;
    }
    run_on[c - lo] = sum;
  }
  auto edge = [&](std::ptrdiff_t c) {
    double sum = 0.0;
    for (std::size_t d = 0; d < 8; ++d) {
      if ((donor_bits[c] >> d & 1u) == 0) continue;  // no donor there (or outside the grid)
      const float q = discharge[c + offset[d]];
      sum += q > 0.0f ? static_cast<double>(q) : 0.0;
    }
    run_on[c - lo] = sum;
  };
  for (std::ptrdiff_t c = lo; c < inner_lo; ++c) edge(c);
  for (std::ptrdiff_t c = inner_hi; c < hi; ++c) edge(c);
}

// The month's surface water on a sub-block's lanes: the runoff generated on each cell (m3, its
// discharge beyond the run-on) and the share of the water in transit that leaves it; the rest
// infiltrates as run-on. Water ending in a pit lake or off the site leaves whole, and so does the
// water crossing a cell without fine earth, which has no soil to hold the metal it carries.
MINETWIN_WIDE_VECTORS void surface_water_shares(std::size_t count, const double* __restrict run_on,
                                                const float* __restrict discharge,
                                                const double* __restrict per_mass,
                                                const std::uint8_t* __restrict terminal,
                                                double* __restrict generated,
                                                double* __restrict leaving) {
  for (std::size_t j = 0; j < count; ++j) {
    double share;
    surface_water_m3(generated[j], share, run_on[j],
                     discharge[j] > 0.0f ? static_cast<double>(discharge[j]) : 0.0);
    leaving[j] = terminal[j] == 0 && per_mass[j] > 0.0 ? share : 1.0;
  }
}

// The metal that infiltrated into the top layer of cells [first, first + count) (kg per cell and
// species), into their content (mg kg-1). Four cells at a time, their slots transposed into one
// vector per species. @p empty: the slots are emptied; else left as they are, for the pick-up to
// overwrite.
MINETWIN_WIDE_VECTORS void infiltrate(std::size_t count, double per_area,
                                      const double* __restrict per_mass,
                                      SpeciesSlot* __restrict infiltrated,
                                      const std::array<double*, kSpecies>& content,
                                      std::size_t first, bool empty) {
  std::size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    Double4 low[4], high[4];
    for (std::size_t i = 0; i < 4; ++i) {
      low[i] = half_of(infiltrated[j + i], 0);
      high[i] = half_of(infiltrated[j + i], 1);
      if (empty) infiltrated[j + i] = SpeciesSlot{};
    }
    transpose_quad(low);
    transpose_quad(high);
    Double4 per_kg, per_cell_mass;
    load_lanes(per_kg, per_mass + j);
    cell_fine_earth_per_kg(per_cell_mass, per_area, per_kg);
    for (std::size_t k = 0; k < kSpecies; ++k) {
      auto& to = *reinterpret_cast<UnalignedDouble4*>(content[k] + first + j);
      Double4 change;
      cell_metal_as_content(change, k < 4 ? low[k] : high[k - 4], per_cell_mass);
      to += change;
    }
  }
  for (; j < count; ++j) {
    double per_cell_mass;
    cell_fine_earth_per_kg(per_cell_mass, per_area, per_mass[j]);
    for (std::size_t k = 0; k < kSpecies; ++k) {
      double change;
      cell_metal_as_content(change, infiltrated[j].kg[k], per_cell_mass);
      content[k][first + j] += change;
    }
    if (empty) infiltrated[j] = SpeciesSlot{};
  }
}

// The pick-up of a sub-block's lanes (PickUpLanes): from the top layer's dissolved concentration
// and capacity of every species ([k * count + j]) out of its content (mg kg-1, at the sub-block's
// first cell) into the cells' slots. Four cells at a time: one vector per species, transposed
// into the cells' slots.
MINETWIN_WIDE_VECTORS void pick_up(const PickUpLanes& in, const double* __restrict dissolved,
                                   const double* __restrict capacity,
                                   const std::array<double*, kSpecies>& content,
                                   SpeciesSlot* __restrict slots) {
  const std::size_t count = in.count;
  const double per_area = 1.0 / in.area;
  std::size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    Double4 generated, per_mass, per_cell_mass, low[4], high[4] = {};
    load_lanes(generated, in.generated + j);
    load_lanes(per_mass, in.per_mass + j);
    cell_fine_earth_per_kg(per_cell_mass, per_area, per_mass);
    for (std::size_t k = 0; k < kSpecies; ++k) {
      Double4 concentration, held;
      load_lanes(concentration, dissolved + k * count + j);
      load_lanes(held, capacity + k * count + j);
      Double4 picked, change;
      runoff_pick_up_kg(picked, concentration, held, generated, in.extraction, in.area);
      auto& top = *reinterpret_cast<UnalignedDouble4*>(content[k] + j);
      cell_metal_as_content(change, picked, per_cell_mass);
      top -= change;
      (k < 4 ? low[k] : high[k - 4]) = picked;
    }
    transpose_quad(low);
    transpose_quad(high);
    for (std::size_t i = 0; i < 4; ++i) {
      half_of(slots[j + i], 0) = low[i];
      half_of(slots[j + i], 1) = high[i];
    }
  }
  for (; j < count; ++j) {
    double per_cell_mass;
    cell_fine_earth_per_kg(per_cell_mass, per_area, in.per_mass[j]);
    for (std::size_t k = 0; k < kSpecies; ++k) {
      double picked, change;
      runoff_pick_up_kg(picked, dissolved[k * count + j], capacity[k * count + j], in.generated[j],
                        in.extraction, in.area);
      cell_metal_as_content(change, picked, per_cell_mass);
      content[k][j] -= change;
      slots[j].kg[k] = picked;
    }
  }
}

MINETWIN_WIDE_VECTORS void route_metal(const RunoffRoute& route, std::size_t a_first,
                                       std::size_t a_last, std::size_t b_first, std::size_t b_last,
                                       SpeciesSlot& a_retained, SpeciesSlot& b_retained) {
  if (route.wetland != nullptr) {
    route_metal_through<true>(route, a_first, a_last, b_first, b_last, a_retained, b_retained);
  } else {
    route_metal_through<false>(route, a_first, a_last, b_first, b_last, a_retained, b_retained);
  }
}

}  // namespace minetwin::metals

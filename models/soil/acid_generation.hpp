#pragma once
/// @file
/// @brief Acid generation in sulfidic spoil and tailings (issue 24): sulfide oxidation limited by
/// the oxygen that diffuses in, the acidity it makes, the carbonate that neutralises it, and the
/// acid-base accounting and lime requirement a plan sizes its lime by.
///
/// Each month, per cell: oxygen diffuses from the air down the profile and pyrite consumes it
/// where it is (first order in oxygen, rate Kr = K' 6 (1 − n) / D_H · Cp, Collin 1987; Mbonimpa
/// et al. 2003), in the steady profile of the layers (oxygen_consumption): the diffusion
/// coefficient De of each layer comes from its air- and water-filled porosity (Millington & Quirk
/// 1961, Aachib et al. 2004), so wet layers and water covers slow oxidation by orders of
/// magnitude, and a layer whose sulfide is spent lets the oxygen pass to the next. FeS2 + 15/4 O2 +
/// 7/2 H2O → Fe(OH)3 + 2 SO4²⁻ + 4 H⁺: each mol of sulfide S oxidised gives 2 mol H⁺ (1 mol of
/// CaCO3 to neutralise, hence the maximum potential acidity of 31.25 kg CaCO3 per t per % S, Sobek
/// et al. 1978). The acidity first dissolves the layer's carbonate (neutralisation potential: the
/// soil table's `carbonate_pct`, and lime beyond pH 8.3); the rest lowers the pH over the soil's
/// buffer capacity (soil_measures.hpp), not below the pH where ferric iron hydrolysis buffers.
/// Yearly: the net neutralisation potential of each layer and each cell's lime requirement
/// (the potential acidity the carbonate does not cover, and the lime to bring each layer to the
/// target pH). Equations and sources: docs/models/soil.md, "Acid generation".

#include <span>

#include <string>
#include <vector>

#include "engine/core/component.hpp"

namespace minetwin::soil {

/// The oxygen diffusion coefficient of a porous layer (m2 s-1, per unit of total area):
/// De = (Da θa^(10/3) + H Dw θw^(10/3)) / n² (Millington & Quirk 1961, as Aachib et al. 2004
/// write it with Henry's constant for the water phase). @p porosity n, @p water θw (volume
/// fractions; θa = n − θw).
double oxygen_diffusivity(double porosity, double water);

/// The steady oxygen profile through a cell's layers (top first): in each, diffusion with
/// coefficient @p diffusivity and first-order consumption at @p rate (s-1; 0 where nothing
/// consumes oxygen), C = C0 at the surface and no flux below the last layer (rock). Solved
/// exactly layer by layer (each layer's C = a cosh(λz) + b sinh(λz), λ = √(Kr/De), or linear
/// where Kr = 0, joined by continuous concentration and flux). Writes the oxygen each layer
/// consumes (mol m-2 s-1) into @p consumed; their sum is the flux through the surface. Below a
/// non-reactive cover of resistance R over a deep reactive layer it tends to
/// F = C0 / (R + 1/√(Kr De)) (Nicholson et al. 1989; Mbonimpa et al. 2003).
void oxygen_consumption(std::span<const double> thickness, std::span<const double> diffusivity,
                        std::span<const double> rate, std::span<double> consumed);

class AcidGeneration final : public Component {
 public:
  std::string_view name() const override { return "acid_generation"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  void account(FieldAccess& fields, const StepContext& step);  // December: ABA and lime
  // The sulfide-S and carbonate ledgers: opened each January, closed each December.
  void open_ledgers(FieldAccess& fields);
  void close_ledgers(FieldAccess& fields, const StepContext& step);
  ParameterValues parameters_;
  double sulfide_open_ = 0.0, carbonate_open_ = 0.0;  // kg, the year's opening stocks
  double oxidised_kg_ = 0.0, dissolved_kg_ = 0.0;     // kg in the year so far
  // Per zone (in the state's zone order): its mean lime requirement and drainage pH columns.
  std::vector<std::string> zone_column_names_, zone_column_docs_;
  std::vector<SummaryColumn> columns_;
};

}  // namespace minetwin::soil

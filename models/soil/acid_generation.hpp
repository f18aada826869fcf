#pragma once
/// @file
/// @brief Acid generation in sulfidic spoil and tailings (issue 24): sulfide oxidation limited by
/// the oxygen that diffuses in, the acidity it makes, the carbonate that neutralises it, and the
/// acid-base accounting and lime requirement a plan sizes its lime by.
///
/// Each month, per cell: oxygen diffuses from the air through the layers above the first layer
/// that holds sulfide (their diffusion resistances L/De in series) into that layer, where pyrite
/// consumes it (first order, rate Kr): the flux into a reactive medium below a cover is
/// F = C0 / (Σ L/De + 1/√(Kr De)) (Nicholson et al. 1989; Mbonimpa et al. 2003). De comes from
/// the air- and water-filled porosity (Millington & Quirk 1961, Aachib et al. 2004), so wet
/// layers and water covers slow oxidation by orders of magnitude; Kr = K' 6 (1 − n) / D_H · Cp
/// (Collin 1987; Mbonimpa et al. 2003). FeS2 + 15/4 O2 + 7/2 H2O → Fe(OH)3 + 2 SO4²⁻ + 4 H⁺:
/// each mol of sulfide S oxidised gives 2 mol H⁺ (1 mol of CaCO3 to neutralise, hence the
/// maximum potential acidity of 31.25 kg CaCO3 per t per % S, Sobek et al. 1978). The acidity
/// first dissolves the layer's carbonate (neutralisation potential: the soil table's
/// `carbonate_pct`, and lime beyond pH 8.3); the rest lowers the pH over the soil's buffer
/// capacity (soil_measures.hpp), not below the pH where ferric iron hydrolysis buffers.
/// A layer's sulfide is used up from the top down: a spent layer becomes part of the cover of the
/// next. Yearly: the net neutralisation potential of each layer and each cell's lime requirement
/// (the potential acidity the carbonate does not cover, and the lime to bring each layer to the
/// target pH). Equations and sources: docs/models/soil.md, "Acid generation".

#include <array>

#include "engine/core/component.hpp"

namespace minetwin::soil {

/// The oxygen diffusion coefficient of a porous layer (m2 s-1, per unit of total area):
/// De = (Da θa^(10/3) + H Dw θw^(10/3)) / n² (Millington & Quirk 1961, as Aachib et al. 2004
/// write it with Henry's constant for the water phase). @p porosity n, @p water θw (volume
/// fractions; θa = n − θw).
double oxygen_diffusivity(double porosity, double water);

/// The oxygen flux (mol m-2 s-1) into a reactive layer with first-order consumption rate
/// @p reaction_rate Kr (s-1) and diffusivity @p diffusivity, below layers of total diffusion
/// resistance @p cover_resistance Σ L/De (s m-1): F = C0 / (Σ L/De + 1/√(Kr De)).
double oxygen_flux(double cover_resistance, double reaction_rate, double diffusivity);

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
  ParameterValues parameters_;
};

}  // namespace minetwin::soil

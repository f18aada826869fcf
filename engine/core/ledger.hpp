#pragma once
/// @file
/// @brief A conservation ledger: storage change = inputs - outputs, checked every period.

#include <map>
#include <string>

namespace minetwin {

/// Each conservative model owns one ledger per conserved quantity (water, each metal, carbon).
/// A period opens with the storage, collects named inputs and outputs, and closes with the
/// new storage; the residual is what the books do not explain (round-off when the model is
/// right). Design brief, Conservation.
class Ledger {
 public:
  Ledger(std::string quantity, std::string units)
      : quantity_(std::move(quantity)), units_(std::move(units)) {}

  void open(double storage);
  void add_input(const std::string& flux, double amount);
  void add_output(const std::string& flux, double amount);
  /// Closes the period; returns the residual storage_end - storage_start - inputs + outputs.
  double close(double storage);

  double inputs() const;
  double outputs() const;
  double residual() const { return residual_; }
  /// |residual| relative to the largest of the storages and fluxes involved.
  double relative_residual() const;
  const std::map<std::string, double>& input_fluxes() const { return inputs_; }
  const std::map<std::string, double>& output_fluxes() const { return outputs_; }
  const std::string& quantity() const { return quantity_; }
  const std::string& units() const { return units_; }

 private:
  std::string quantity_;
  std::string units_;
  double storage_start_ = 0.0;
  double storage_end_ = 0.0;
  double residual_ = 0.0;
  std::map<std::string, double> inputs_;
  std::map<std::string, double> outputs_;
};

}  // namespace minetwin

// Issue 25: the ES-MDA analysis against the closed-form posterior of a linear-Gaussian problem,
// and the prior transform of the calibration (quantile and CDF inverse to each other).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "engine/calibration/es_mda.hpp"
#include "engine/core/random.hpp"
#include "engine/sweep/distribution.hpp"

using namespace minetwin;
using calibration::EnsembleMatrix;

namespace {

// d = G m with m ~ N(mu, diag(prior_sd^2)) and errors N(0, diag(sd^2)): the posterior is
// N(mu_post, P_post) with P_post = (P^-1 + G^T C_D^-1 G)^-1, mu_post = P_post (P^-1 mu +
// G^T C_D^-1 d) (e.g. Tarantola 2005, eq. 3.37-3.38). Two parameters, three data.
struct LinearProblem {
  double g[3][2] = {{1.0, 0.5}, {0.2, 1.5}, {2.0, -0.3}};
  double mu[2] = {1.0, -2.0};
  double prior_sd[2] = {0.8, 1.2};
  std::vector<double> observed{2.1, -1.7, 3.2};
  std::vector<double> sd{0.3, 0.5, 0.4};

  // The closed form by hand: the 2 x 2 precision, inverted.
  void posterior(double mean[2], double covariance[2][2]) const {
    double a[2][2] = {{1 / (prior_sd[0] * prior_sd[0]), 0}, {0, 1 / (prior_sd[1] * prior_sd[1])}};
    double b[2] = {mu[0] * a[0][0], mu[1] * a[1][1]};
    for (int i = 0; i < 3; ++i) {
      const double w = 1 / (sd[i] * sd[i]);
      for (int p = 0; p < 2; ++p) {
        b[p] += g[i][p] * w * observed[i];
        for (int q = 0; q < 2; ++q) a[p][q] += g[i][p] * w * g[i][q];
      }
    }
    const double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    covariance[0][0] = a[1][1] / det;
    covariance[1][1] = a[0][0] / det;
    covariance[0][1] = covariance[1][0] = -a[0][1] / det;
    for (int p = 0; p < 2; ++p) mean[p] = covariance[p][0] * b[0] + covariance[p][1] * b[1];
  }

  EnsembleMatrix predict(const EnsembleMatrix& m) const {
    EnsembleMatrix d(3, m.members);
    for (std::size_t j = 0; j < m.members; ++j)
      for (int i = 0; i < 3; ++i) d.at(i, j) = g[i][0] * m.at(0, j) + g[i][1] * m.at(1, j);
    return d;
  }
};

EnsembleMatrix run_es_mda(const LinearProblem& problem, std::size_t members,
                          std::size_t iterations) {
  EnsembleMatrix m(2, members);
  for (std::size_t j = 0; j < members; ++j)
    for (std::size_t p = 0; p < 2; ++p)
      m.at(p, j) = problem.mu[p] + problem.prior_sd[p] * random_normal({7, j, 0, p, 1});
  const std::vector<double> alpha = calibration::es_mda_inflation(iterations);
  for (std::size_t k = 0; k < iterations; ++k) {
    EnsembleMatrix noise(3, members);
    for (std::size_t j = 0; j < members; ++j)
      for (std::size_t i = 0; i < 3; ++i) noise.at(i, j) = random_normal({7, j, k + 1, i, 2});
    m = calibration::es_mda_update(m, problem.predict(m), problem.observed, problem.sd, alpha[k],
                                   noise);
  }
  return m;
}

void moments(const EnsembleMatrix& m, std::size_t p, double& mean, double& sd) {
  mean = 0;
  for (std::size_t j = 0; j < m.members; ++j) mean += m.at(p, j);
  mean /= static_cast<double>(m.members);
  double ss = 0;
  for (std::size_t j = 0; j < m.members; ++j) ss += std::pow(m.at(p, j) - mean, 2);
  sd = std::sqrt(ss / static_cast<double>(m.members - 1));
}

}  // namespace

TEST(EsMda, InflationFactorsInvertToOne) {
  for (std::size_t n : {1u, 2u, 4u, 7u}) {
    const std::vector<double> alpha = calibration::es_mda_inflation(n);
    ASSERT_EQ(alpha.size(), n);
    double sum = 0;
    for (double a : alpha) sum += 1 / a;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(EsMda, LinearGaussianPosteriorMatchesTheClosedForm) {
  const LinearProblem problem;
  double mean[2], covariance[2][2];
  problem.posterior(mean, covariance);
  // The data pull the posterior well away from the prior: the test can tell them apart.
  ASSERT_GT(std::abs(mean[0] - problem.mu[0]), 0.2);
  for (std::size_t iterations : {1u, 4u}) {
    SCOPED_TRACE("iterations " + std::to_string(iterations));
    const EnsembleMatrix posterior = run_es_mda(problem, 20000, iterations);
    for (std::size_t p = 0; p < 2; ++p) {
      double m = 0, s = 0;
      moments(posterior, p, m, s);
      const double true_sd = std::sqrt(covariance[p][p]);
      EXPECT_NEAR(m, mean[p], 0.02 * std::abs(mean[p])) << "parameter " << p;
      EXPECT_NEAR(s, true_sd, 0.02 * true_sd) << "parameter " << p;
    }
  }
}

TEST(EsMda, EnsembleAndDataSpaceFormsAgree) {
  // 3 data and 6 members (data space) against the same update with the data repeated so
  // that there are more data than members (ensemble space): each datum twice with sd * sqrt(2)
  // carries the same information.
  const LinearProblem problem;
  EnsembleMatrix m(2, 6), noise(3, 6), noise6(6, 6);
  for (std::size_t j = 0; j < 6; ++j) {
    for (std::size_t p = 0; p < 2; ++p)
      m.at(p, j) = problem.mu[p] + problem.prior_sd[p] * random_normal({3, j, 0, p, 0});
    for (std::size_t i = 0; i < 3; ++i) noise.at(i, j) = noise6.at(i, j) = noise6.at(i + 3, j) = 0;
  }
  const EnsembleMatrix d = problem.predict(m);
  EnsembleMatrix d6(6, 6);
  std::vector<double> observed6, sd6;
  for (std::size_t i = 0; i < 6; ++i) {
    observed6.push_back(problem.observed[i % 3]);
    sd6.push_back(problem.sd[i % 3] * std::sqrt(2.0));
    for (std::size_t j = 0; j < 6; ++j) d6.at(i, j) = d.at(i % 3, j);
  }
  const EnsembleMatrix a =
      calibration::es_mda_update(m, d, problem.observed, problem.sd, 1.0, noise);
  const EnsembleMatrix b = calibration::es_mda_update(m, d6, observed6, sd6, 1.0, noise6);
  for (std::size_t k = 0; k < a.values.size(); ++k) EXPECT_NEAR(a.values[k], b.values[k], 1e-9);
  // And the update moved the members (it is not the identity).
  EXPECT_GT(std::abs(a.values[0] - m.values[0]), 1e-3);
}

TEST(CalibrationPriors, QuantileAndCdfAreInverse) {
  using sweep::Distribution;
  using sweep::DistributionKind;
  std::vector<Distribution> priors(6);
  priors[0].kind = DistributionKind::uniform;
  priors[0].min = 2, priors[0].max = 5;
  priors[1].kind = DistributionKind::normal;
  priors[1].mean = 1, priors[1].sd = 0.3;
  priors[2].kind = DistributionKind::lognormal;
  priors[2].median = 2e-4, priors[2].sigma = 0.5;
  priors[3].kind = DistributionKind::triangular;
  priors[3].min = 0.3, priors[3].mode = 0.389, priors[3].max = 0.5;
  priors[4].kind = DistributionKind::truncated_normal;
  priors[4].mean = 0.389, priors[4].sd = 0.05, priors[4].min = 0.25, priors[4].max = 0.55;
  priors[5].kind = DistributionKind::beta;
  priors[5].alpha = 4, priors[5].beta = 2, priors[5].min = 10, priors[5].max = 20;
  for (const Distribution& prior : priors) {
    SCOPED_TRACE(to_string(prior.kind));
    for (double u : {0.01, 0.2, 0.5, 0.77, 0.99})
      EXPECT_NEAR(prior.cdf(prior.quantile(u)), u, 1e-9);
  }
}

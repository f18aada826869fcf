#include "engine/site/synthetic_site.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "engine/core/errors.hpp"
#include "engine/core/random.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/vector_zones.hpp"
#include "engine/site/climate.hpp"

namespace minetwin {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kUtm50N = 32650;

double smoothstep(double t) {
  return t * t * (3 - 2 * t);
}

// Value noise on a lattice of @p spacing metres, smoothly interpolated: gentle hills.
double value_noise(double x, double y, double spacing, std::uint64_t seed) {
  const double gx = x / spacing, gy = y / spacing;
  const auto ix = static_cast<std::int64_t>(std::floor(gx));
  const auto iy = static_cast<std::int64_t>(std::floor(gy));
  const double fx = smoothstep(gx - static_cast<double>(ix));
  const double fy = smoothstep(gy - static_cast<double>(iy));
  auto at = [&](std::int64_t a, std::int64_t b) {
    return random_uniform({seed, 0, static_cast<std::uint64_t>(a + (1 << 20)),
                           static_cast<std::uint64_t>(b + (1 << 20)), 7}) -
           0.5;
  };
  const double top = at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx;
  const double bottom = at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

// Distance from (x, y) to an axis-aligned rectangle (0 inside).
double rectangle_distance(double x, double y, double half_x, double half_y) {
  const double dx = std::max(std::abs(x) - half_x, 0.0);
  const double dy = std::max(std::abs(y) - half_y, 0.0);
  return std::hypot(dx, dy);
}

double segment_distance(double px, double py, double ax, double ay, double bx, double by,
                        double& t) {
  const double vx = bx - ax, vy = by - ay;
  t = std::clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0.0, 1.0);
  return std::hypot(px - ax - t * vx, py - ay - t * vy);
}

std::vector<std::pair<double, double>> ellipse_ring(double cx, double cy, double a, double b) {
  std::vector<std::pair<double, double>> ring;
  for (int i = 0; i < 72; ++i) {
    const double t = 2 * kPi * i / 72.0;
    ring.emplace_back(cx + a * std::cos(t), cy + b * std::sin(t));
  }
  return ring;
}

std::vector<std::pair<double, double>> rounded_rectangle_ring(double cx, double cy, double hx,
                                                              double hy, double radius) {
  std::vector<std::pair<double, double>> ring;
  const double corners[4][3] = {
      {hx, hy, 0}, {-hx, hy, 0.5 * kPi}, {-hx, -hy, kPi}, {hx, -hy, 1.5 * kPi}};
  for (const auto& c : corners) {
    for (int i = 0; i <= 8; ++i) {
      const double t = c[2] + 0.5 * kPi * i / 8.0;
      ring.emplace_back(cx + c[0] + radius * std::cos(t), cy + c[1] + radius * std::sin(t));
    }
  }
  return ring;
}

std::vector<std::pair<double, double>> segment_ring(double ax, double ay, double bx, double by,
                                                    double half_width) {
  const double length = std::hypot(bx - ax, by - ay);
  const double nx = -(by - ay) / length * half_width, ny = (bx - ax) / length * half_width;
  return {{ax + nx, ay + ny}, {bx + nx, by + ny}, {bx - nx, by - ny}, {ax - nx, ay - ny}};
}

// Illustrative initial soils of a north-China metal mine (assets/demo_site/README.md gives the
// sources of the ranges): zone, layer, sand, silt, clay, rock, bulk density, OC %, pH, CEC,
// Cd, Pb, Zn, Cu, As, Sb.
const char* kSoilTable =
    "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_cm3,organic_carbon_"
    "pct,ph,cec_cmol_kg,Cd_mg_kg,Pb_mg_kg,Zn_mg_kg,Cu_mg_kg,As_mg_kg,Sb_mg_kg\n"
    "undisturbed,1,30,50,20,5,1.30,1.20,7.2,15,0.15,25,70,22,10,1.0\n"
    "undisturbed,2,28,50,22,8,1.40,0.60,7.4,14,0.12,22,65,21,10,0.9\n"
    "undisturbed,3,30,48,22,15,1.50,0.30,7.6,12,0.10,20,60,20,9,0.8\n"
    "pit,1,60,25,15,45,1.70,0.10,6.8,6,0.80,180,300,80,30,8.0\n"
    "pit,2,60,25,15,55,1.75,0.05,6.8,5,0.80,180,300,80,30,8.0\n"
    "pit,3,60,25,15,65,1.80,0.05,6.9,5,0.70,160,280,75,28,7.0\n"
    "waste_dump,1,55,30,15,35,1.60,0.20,4.5,7,1.80,320,650,120,45,12\n"
    "waste_dump,2,55,30,15,40,1.65,0.15,4.3,7,2.00,350,700,130,50,13\n"
    "waste_dump,3,55,30,15,45,1.70,0.10,4.2,6,2.10,360,720,130,52,13\n"
    "tailings,1,35,55,10,0,1.55,0.05,3.9,4,6.50,1200,2100,400,180,60\n"
    "tailings,2,35,55,10,0,1.60,0.05,3.7,4,7.00,1300,2300,420,190,62\n"
    "tailings,3,35,55,10,0,1.65,0.05,3.6,4,7.20,1350,2400,430,200,65\n"
    "haul_road,1,50,30,20,50,1.85,0.10,7.5,8,0.60,150,220,50,20,5.0\n"
    "haul_road,2,45,33,22,45,1.80,0.10,7.5,9,0.30,60,120,35,14,2.0\n"
    "haul_road,3,40,38,22,30,1.70,0.10,7.5,10,0.15,30,80,25,11,1.2\n"
    "subsidence,1,30,50,20,5,1.30,1.00,7.3,15,0.18,28,75,23,11,1.1\n"
    "subsidence,2,28,50,22,8,1.40,0.50,7.4,14,0.14,24,68,22,10,1.0\n"
    "subsidence,3,30,48,22,15,1.50,0.25,7.6,12,0.11,21,62,20,9,0.8\n";

// Monthly normals of a continental monsoon climate in north China (Tangshan, Hebei; China
// Meteorological Administration 1981-2010 normals, rounded).
constexpr std::array<double, 12> kNormalTemperatureC = {-5.1, -1.6, 5.0,  13.1, 19.6, 23.7,
                                                        26.0, 25.0, 20.4, 13.2, 4.3,  -2.8};
constexpr std::array<double, 12> kNormalPrecipitationMm = {3,   5,   9,  23, 45, 87,
                                                           171, 142, 51, 25, 11, 4};

}  // namespace

double probability_integral_subsidence(double x, double y, double half_x, double half_y,
                                       double thickness_m, double depth_m, double q,
                                       double tan_beta, double offset_m, double dip_rad) {
  const double w0 = q * thickness_m * std::cos(dip_rad);
  const double r = depth_m / tan_beta;
  const double sqrt_pi = std::sqrt(kPi);
  // Computing edges: the panel edges moved inwards by the inflection-point offset.
  const double x1 = -half_x + offset_m, x2 = half_x - offset_m;
  const double y1 = -half_y + offset_m, y2 = half_y - offset_m;
  const double cx = 0.5 * (std::erf(sqrt_pi * (x - x1) / r) - std::erf(sqrt_pi * (x - x2) / r));
  const double cy = 0.5 * (std::erf(sqrt_pi * (y - y1) / r) - std::erf(sqrt_pi * (y - y2) / r));
  return w0 * cx * cy;
}

SyntheticSiteFiles generate_site(const SyntheticSiteOptions& options,
                                 const std::filesystem::path& directory) {
  if (options.kind != "open_pit") {
    throw InputError("", 0, 0, "--kind '" + options.kind + "' is not known (known: open_pit)");
  }
  if (options.size < 32 || options.size > 16384) {
    throw InputError("", 0, 0, "--size must be 32 to 16384 cells");
  }
  if (!(options.cell_m >= 0.5 && options.cell_m <= 100)) {
    throw InputError("", 0, 0, "--cell must be 0.5 to 100 m");
  }
  std::filesystem::create_directories(directory);
  const std::size_t n = options.size;
  const double cell = options.cell_m;
  const double side = static_cast<double>(n) * cell;
  // Centred on a point of the north-China plain in UTM zone 50N.
  const double west = 560000.0 - side / 2, south = 4390000.0 - side / 2;

  // Landform layout, as fractions of the side (x east, y north from the south-west corner).
  const double pit_x = 0.33 * side, pit_y = 0.62 * side, pit_a = 0.17 * side, pit_b = 0.13 * side;
  const double dump_x = 0.76 * side, dump_y = 0.62 * side, dump_hx = 0.09 * side,
               dump_hy = 0.07 * side;
  const double tail_x = 0.72 * side, tail_y = 0.22 * side, tail_a = 0.13 * side,
               tail_b = 0.10 * side;
  const double sub_x = 0.26 * side, sub_y = 0.22 * side, sub_hx = 0.09 * side,
               sub_hy = 0.055 * side;
  const double road_half_width = 7.0;

  auto base = [&](double x, double y) {
    return 180.0 + 14.0 * (y / side) +
           18.0 * std::sin(2 * kPi * x / (0.55 * side) + 0.3) *
               std::cos(2 * kPi * y / (0.7 * side)) +
           12.0 * value_noise(x, y, 0.12 * side, options.seed) +
           3.0 * value_noise(x, y, 0.03 * side, options.seed + 1);
  };
  const double pit_rim = base(pit_x, pit_y);
  const double dump_base = base(dump_x, dump_y);
  const double tail_base = base(tail_x, tail_y);

  // Open pit: six 10 m benches (faces at about 70 degrees, berms between) to a 60 m deep floor.
  auto pit_depth = [&](double x, double y) {
    const double rho = std::hypot((x - pit_x) / pit_a, (y - pit_y) / pit_b);
    if (rho >= 1.0) return 0.0;
    constexpr double floor_rho = 0.35;
    if (rho <= floor_rho) return 60.0 + 1.5 * (1.0 - rho / floor_rho);  // floor drains to a sump
    const double across = (1.0 - rho) / (1.0 - floor_rho) * 6.0;
    const double bench = std::floor(across);
    const double within = across - bench;
    return 10.0 * (bench + std::min(1.0, within / 0.2));
  };
  // Waste dump: 36 m high in two lifts, batters at 35 degrees, a 10 m berm between the lifts.
  auto dump_height = [&](double x, double y) {
    const double d = rectangle_distance(x - dump_x, y - dump_y, dump_hx, dump_hy);
    const double slope = std::tan(35.0 * kPi / 180.0), lift = 18.0, berm = 10.0;
    const double first = lift / slope;
    if (d < first) return 36.0 - d * slope;
    if (d < first + berm) return lift;
    return std::max(0.0, lift - (d - first - berm) * slope);
  };
  const double dump_toe = 18.0 / std::tan(35.0 * kPi / 180.0) * 2 + 10.0;
  // Tailings impoundment: a 15 m embankment (outer slope 1:2.5) around a beach sloping to a pond.
  auto tailings_height = [&](double x, double y) {
    const double rho = std::hypot((x - tail_x) / tail_a, (y - tail_y) / tail_b);
    const double crest = 15.0;
    if (rho <= 0.85) return 9.0 + 2.5 * rho / 0.85;
    if (rho <= 1.0) return crest;
    const double outside = (rho - 1.0) * std::min(tail_a, tail_b);
    return std::max(0.0, crest - outside / 2.5);
  };
  // Subsidence over a longwall panel 160 m deep, 3 m seam (parameters.md section 5).
  const double panel_depth = 160.0, seam = 3.0, q = 0.75, tan_beta = 2.0;

  // Haul road: from the pit's east rim to the dump's west toe, and from there south to the edge.
  const double road_ax = pit_x + pit_a, road_ay = pit_y;
  const double road_bx = dump_x - dump_hx - dump_toe, road_by = dump_y;
  const double road_cx = 0.5 * (road_ax + road_bx), road_cy = road_ay;
  const double road_dx = road_cx, road_dy = 0.0;

  std::vector<double> elevation(n * n);
  for (std::size_t row = 0; row < n; ++row) {
    const double y = side - (static_cast<double>(row) + 0.5) * cell;
    for (std::size_t column = 0; column < n; ++column) {
      const double x = (static_cast<double>(column) + 0.5) * cell;
      double z = base(x, y);
      double t = 0;
      const double d1 = segment_distance(x, y, road_ax, road_ay, road_bx, road_by, t);
      const double z1 = base(road_ax, road_ay) * (1 - t) + base(road_bx, road_by) * t;
      double t2 = 0;
      const double d2 = segment_distance(x, y, road_cx, road_cy, road_dx, road_dy, t2);
      const double z2 = base(road_cx, road_cy) * (1 - t2) + base(road_dx, road_dy) * t2;
      const double d = std::min(d1, d2);
      const double z_road = d1 < d2 ? z1 : z2;
      if (d < road_half_width + 10.0) {
        const double w =
            d <= road_half_width ? 1.0 : 1.0 - smoothstep((d - road_half_width) / 10.0);
        z = w * z_road + (1 - w) * z;  // graded road bed, blended into the cut and fill
      }
      // Landforms are built on (fill) or cut into (pit) the ground, never both at one cell.
      if (const double h = dump_height(x, y); h > 0) z = std::max(z, dump_base + h);
      if (const double h = tailings_height(x, y); h > 0) z = std::max(z, tail_base + h);
      if (const double depth = pit_depth(x, y); depth > 0) z = std::min(z, pit_rim - depth);
      z -= probability_integral_subsidence(x - sub_x, y - sub_y, sub_hx, sub_hy, seam, panel_depth,
                                           q, tan_beta, 0.1 * panel_depth);
      elevation[row * n + column] = z;
    }
  }

  SyntheticSiteFiles files{directory / "dem.tif", directory / "zones.geojson",
                           directory / "climate.csv", directory / "soil.csv"};
  GridGeometry geometry{n, n, cell, west, south + side, crs_wkt_from_epsg(kUtm50N)};
  write_raster(files.dem, RasterFormat::geotiff, geometry, elevation, {}, -9999.0);

  auto shift = [&](std::vector<std::pair<double, double>> ring) {
    for (auto& [x, y] : ring) {
      x += west;
      y += south;
    }
    return ring;
  };
  const double sub_r = panel_depth / tan_beta;
  // The dump zone includes a 60 m apron beyond the toe: the ground onto which regrading pushes
  // the batters.
  std::vector<ZonePolygon> zones = {
      {"subsidence", shift(rounded_rectangle_ring(sub_x, sub_y, sub_hx, sub_hy, 0.8 * sub_r))},
      {"tailings", shift(ellipse_ring(tail_x, tail_y, tail_a + 37.5, tail_b + 37.5))},
      {"waste_dump",
       shift(rounded_rectangle_ring(dump_x, dump_y, dump_hx, dump_hy, dump_toe + 60.0))},
      {"haul_road", shift(segment_ring(road_ax, road_ay, road_bx, road_by, road_half_width))},
      {"haul_road",
       shift(segment_ring(road_cx, road_cy, road_dx, road_dy + cell, road_half_width))},
      {"pit", shift(ellipse_ring(pit_x, pit_y, pit_a, pit_b))},
  };
  write_zones_geojson(files.zones, zones, geometry.crs_wkt);

  const auto months = draw_climate(kNormalTemperatureC, kNormalPrecipitationMm, 0.8, 0.3,
                                   options.climate_start_year, options.climate_years, options.seed);
  std::ostringstream climate;
  climate << "year,month,temperature_c,precipitation_mm\n";
  for (std::size_t i = 0; i < months.size(); ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "%d,%zu,%.2f,%.1f\n",
                  options.climate_start_year + static_cast<int>(i / 12), i % 12 + 1,
                  months[i].temperature_c, months[i].precipitation_mm);
    climate << line;
  }
  write_file_atomically(files.climate, climate.str());
  write_file_atomically(files.soil, kSoilTable);
  return files;
}

}  // namespace minetwin

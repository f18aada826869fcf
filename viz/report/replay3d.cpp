// The report's 3D replay: every recorded year's terrain, quantised and embedded, drawn by
// three.js (vendored, inline as a data: module: the report stays one file that opens offline).
#include "viz/report/replay3d.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/land_cover_colours.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "viz/report/map_images.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {
namespace {

constexpr const char* kElevation = "topographic__elevation";

// The viewer. Reads the JSON in #replay-data; each run is base64 of its heights (uint16 per
// sample and recorded year, over [zmin, zmax]) then its surface codes (uint8: 0-250 the cover
// fraction x 250, 254 outside the site, 255 water), then its tree sites' stem carbon (uint8 per
// site and recorded year, over [0, trees.stem_max]). Without WebGL it says so and draws nothing.
// Test hooks: window.minetwinReplay, and the URL fragment "#replay-selftest" (below).
constexpr const char* kViewer = R"JS(
import * as THREE from 'three';
const section = document.getElementById('replay3d');
const note = section.querySelector('.replay-status');
const data = JSON.parse(document.getElementById('replay-data').textContent);
const probe = document.createElement('canvas');
if (!(probe.getContext('webgl2') || probe.getContext('webgl'))) {
  note.textContent = 'The 3D replay needs WebGL, which this browser does not offer.';
  section.dataset.replay = 'no-webgl';
} else {
  const nx = data.nx, ny = data.ny, n = nx * ny, years = data.years, Y = years.length;
  const scale = (data.zmax - data.zmin) / 65535;
  const bytesOf = s => { const b = atob(s), a = new Uint8Array(b.length);
    for (let i = 0; i < b.length; ++i) a[i] = b.charCodeAt(i); return a; };
  const bare = data.palette.bare, green = data.palette.vegetation, water = data.palette.water,
        outside = [0.3, 0.3, 0.3];
  const colourOf = (code, out, at) => {
    const c = code === 255 ? water : code === 254 ? outside : null;
    if (c) { out[at] = c[0]; out[at + 1] = c[1]; out[at + 2] = c[2]; return; }
    const f = code / 250;
    for (let k = 0; k < 3; ++k) out[at + k] = (1 - f) * bare[k] + f * green[k];
  };
  const width = (nx - 1) * data.dx, depth = (ny - 1) * data.dx;
  const index = [];
  for (let j = 0; j + 1 < ny; ++j)
    for (let i = 0; i + 1 < nx; ++i) {
      const a = j * nx + i, b = a + 1, c = a + nx, d = c + 1;
      index.push(a, c, b, b, c, d);
    }
  // Each view holds the two recorded years around the slider's position as vertex attributes
  // (heights h0, h1 and colours c0, c1); the vertex shader mixes them by the uniform u, so a
  // frame between two recorded years uploads nothing. Normals come from the screen-space
  // derivatives (flat shading), so they follow the mixed heights.
  const mixing = {value: 0};
  const views = data.runs.map((run, r) => {
    const bytes = bytesOf(run.data);
    const heights = new Uint16Array(bytes.buffer, 0, Y * n);
    const codes = new Uint8Array(bytes.buffer, 2 * Y * n, Y * n);
    const T = data.trees.nx * data.trees.ny;
    const stems = new Uint8Array(bytes.buffer, 3 * Y * n, Y * T);
    const geometry = new THREE.BufferGeometry();
    const position = new Float32Array(3 * n);
    for (let j = 0; j < ny; ++j)
      for (let i = 0; i < nx; ++i) {
        const v = j * nx + i;
        position[3 * v] = i * data.dx - width / 2;
        position[3 * v + 2] = j * data.dx - depth / 2;
      }
    geometry.setAttribute('position', new THREE.BufferAttribute(position, 3));
    const h0 = new Float32Array(n), h1 = new Float32Array(n);
    const c0 = new Float32Array(3 * n), c1 = new Float32Array(3 * n);
    geometry.setAttribute('h0', new THREE.BufferAttribute(h0, 1));
    geometry.setAttribute('h1', new THREE.BufferAttribute(h1, 1));
    geometry.setAttribute('c0', new THREE.BufferAttribute(c0, 3));
    geometry.setAttribute('c1', new THREE.BufferAttribute(c1, 3));
    geometry.setIndex(index);
    const material = new THREE.MeshLambertMaterial({flatShading: true});
    material.onBeforeCompile = shader => {
      shader.uniforms.u = mixing;
      shader.vertexShader = 'attribute float h0;\nattribute float h1;\nattribute vec3 c0;\n' +
        'attribute vec3 c1;\nuniform float u;\nvarying vec3 vMix;\n' +
        shader.vertexShader.replace('#include <begin_vertex>',
          'vec3 transformed = vec3(position.x, mix(h0, h1, u), position.z);\n' +
          'vMix = mix(c0, c1, u);');
      shader.fragmentShader = 'varying vec3 vMix;\n' +
        shader.fragmentShader.replace('#include <color_fragment>', 'diffuseColor.rgb *= vMix;');
    };
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0xdde8f0);
    scene.add(new THREE.HemisphereLight(0xffffff, 0x5a5040, 1.1));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(-0.6, 1.0, -0.4);
    scene.add(sun);
    const mesh = new THREE.Mesh(geometry, material);
    mesh.frustumCulled = false;  // the bounds of y = 0 are not the drawn ones
    scene.add(mesh);
    // Trees: one cone per tree site, sized by the stem carbon of its cell (setTrees).
    const crown = new THREE.ConeGeometry(0.4, 1, 6);
    crown.translate(0, 0.5, 0);  // its base on the ground
    const trees = new THREE.InstancedMesh(crown,
                                          new THREE.MeshLambertMaterial({color: 0x1f4a17}), T);
    trees.frustumCulled = false;
    scene.add(trees);
    const canvas = section.querySelector('#replay-canvas-' + r);
    const renderer = new THREE.WebGLRenderer({canvas, antialias: false});
    renderer.setPixelRatio(1);
    renderer.setSize(canvas.clientWidth, canvas.clientHeight, false);
    return {heights, codes, stems, trees, geometry, h0, h1, c0, c1, scene, renderer, canvas};
  });
  const camera = new THREE.PerspectiveCamera(40, views[0].canvas.clientWidth /
                                                 views[0].canvas.clientHeight, 1, 1e6);
  const orbit = {azimuth: -0.5, elevation: 0.75, distance: 1.35 * Math.max(width, depth)};
  const relief = (data.zmax - data.zmin) / 2;
  const place = () => {
    const e = orbit.elevation, a = orbit.azimuth, d = orbit.distance;
    camera.position.set(d * Math.cos(e) * Math.sin(a), relief + d * Math.sin(e),
                        d * Math.cos(e) * Math.cos(a));
    camera.lookAt(0, relief / 2, 0);
  };
  // A tree's drawn height grows with the square root of its stem carbon, up to one and a half
  // times the spacing of the tree sites (a display scale, exaggerated so that a stand shows on
  // a whole site; not an allometry); trees stand on the terrain of the moment.
  const tn = data.trees.nx, sp = data.trees.spacing, treeTallest = 1.5 * sp * data.dx;
  const matrix = new THREE.Matrix4();
  const setTrees = (view, k, k1, u) => {
    let shown = 0;
    const T = tn * data.trees.ny;
    for (let t = 0; t < T; ++t) {
      const s = (1 - u) * view.stems[k * T + t] + u * view.stems[k1 * T + t];
      const v = Math.floor(t / tn) * sp * nx + (t % tn) * sp;
      const size = s > 0 ? treeTallest * Math.sqrt(s / 255) : 0;
      if (size > 0) ++shown;
      const ground = (1 - u) * view.h0[v] + u * view.h1[v];
      matrix.makeScale(size, size, size);
      matrix.setPosition((v % nx) * data.dx - width / 2, ground, Math.floor(v / nx) * data.dx - depth / 2);
      view.trees.setMatrixAt(t, matrix);
    }
    view.trees.instanceMatrix.needsUpdate = true;
    view.shownTrees = shown;
  };
  let year = 0, pair = -1;
  const slider = section.querySelector('#replay-year'), label = section.querySelector('#replay-label');
  const load = (view, k, k1) => {
    for (let v = 0; v < n; ++v) {
      view.h0[v] = view.heights[k * n + v] * scale;
      view.h1[v] = view.heights[k1 * n + v] * scale;
      colourOf(view.codes[k * n + v], view.c0, 3 * v);
      colourOf(view.codes[k1 * n + v], view.c1, 3 * v);
    }
    for (const name of ['h0', 'h1', 'c0', 'c1']) view.geometry.attributes[name].needsUpdate = true;
  };
  const setYear = t => {
    year = Math.min(Math.max(t, 0), Y - 1);
    const k = Math.min(Math.floor(year), Math.max(0, Y - 2)), k1 = Y > 1 ? k + 1 : k;
    if (k !== pair) { for (const view of views) load(view, k, k1); pair = k; }
    mixing.value = Y > 1 ? year - k : 0;
    for (const view of views) setTrees(view, k, k1, mixing.value);
    slider.value = year;
    label.textContent = String(Math.round(years[k] + mixing.value * (years[k1] - years[k])));
  };
  const draw = () => { place(); for (const view of views) view.renderer.render(view.scene, camera); };
  slider.addEventListener('input', () => { setYear(Number(slider.value)); draw(); });
  let playing = false, last = 0;
  const play = section.querySelector('#replay-play');
  const step = now => {
    if (!playing) return;
    if (last) setYear(year + (now - last) / 1000);  // one recorded interval a second
    last = now;
    draw();
    if (year >= Y - 1) { playing = false; play.textContent = 'Play'; return; }
    requestAnimationFrame(step);
  };
  play.addEventListener('click', () => {
    playing = !playing;
    play.textContent = playing ? 'Pause' : 'Play';
    if (playing) { if (year >= Y - 1) setYear(0); last = 0; requestAnimationFrame(step); }
  });
  for (const view of views) {
    let dragging = null;
    view.canvas.addEventListener('pointerdown', e => { dragging = [e.clientX, e.clientY]; });
    window.addEventListener('pointerup', () => { dragging = null; });
    view.canvas.addEventListener('pointermove', e => {
      if (!dragging) return;
      orbit.azimuth -= (e.clientX - dragging[0]) * 0.008;
      orbit.elevation = Math.min(1.5, Math.max(0.1, orbit.elevation + (e.clientY - dragging[1]) * 0.006));
      dragging = [e.clientX, e.clientY];
      draw();
    });
    view.canvas.addEventListener('wheel', e => {
      e.preventDefault();
      orbit.distance *= Math.exp(e.deltaY * 0.001);
      draw();
    }, {passive: false});
  }
  const heightSum = () => {
    let sum = 0;
    for (let v = 0; v < n; ++v)
      sum += (1 - mixing.value) * views[0].h0[v] + mixing.value * views[0].h1[v];
    return sum;
  };
  // Frames a second while the years change (the slider's cost: heights, colours, normals, draw).
  // Each frame reads a pixel back, so it is drawn to the end before the next one starts.
  const framesPerSecond = frames => {
    const gl = views[0].renderer.getContext(), pixel = new Uint8Array(4);
    const start = performance.now();
    for (let f = 0; f < frames; ++f) {
      setYear((f / frames) * (Y - 1));
      draw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    }
    return frames / ((performance.now() - start) / 1000);
  };
  // Shares of the first view's pixels that are vegetation green and bare-ground grey, read
  // from the drawing buffer right after a draw.
  const pixelShares = () => {
    draw();
    const gl = views[0].renderer.getContext();
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, px = new Uint8Array(4 * w * h);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let green = 0, grey = 0;
    for (let i = 0; i < w * h; ++i) {
      const r = px[4 * i], g = px[4 * i + 1], b = px[4 * i + 2];
      if (g > r + 20 && g > b + 20) ++green;
      else if (Math.abs(r - g) < 30 && Math.abs(g - b) < 30 && r > 50 && r < 235 && b <= r + 8)
        ++grey;
    }
    return {green: green / (w * h), grey: grey / (w * h)};
  };
  window.minetwinReplay = {setYear, draw, heightSum, framesPerSecond, pixelShares, vertices: n,
                           years, trees: () => views[0].shownTrees};
  setYear(0);
  draw();
  section.dataset.vertices = String(n);
  // Test hook: "#replay-selftest" records, on the section, the heights' sums and the pixel
  // shares of the first and the last recorded year, and the frames a second of 10 slider steps.
  if (location.hash === '#replay-selftest') {
    // How far the heights moved from the first to the last recorded year, summed over the mesh.
    let change = 0;
    for (let v = 0; v < n; ++v)
      change += Math.abs(views[0].heights[(Y - 1) * n + v] - views[0].heights[v]) * scale;
    section.dataset.heightChange = change.toFixed(3);
    const first = heightSum(), firstShares = pixelShares(), treesFirst = views[0].shownTrees;
    setYear(Y - 1);
    const last = heightSum(), lastShares = pixelShares(), treesLast = views[0].shownTrees;
    Object.assign(section.dataset, {
      heightFirst: first.toFixed(3), heightLast: last.toFixed(3),
      greenFirst: firstShares.green.toFixed(4), greyFirst: firstShares.grey.toFixed(4),
      greenLast: lastShares.green.toFixed(4), greyLast: lastShares.grey.toFixed(4),
      treesFirst: String(treesFirst), treesLast: String(treesLast),
      fps: framesPerSecond(10).toFixed(1)});
    // Where a frame's time goes: the slider's update of the mesh, and the draw.
    let start = performance.now();
    for (let f = 0; f < 5; ++f) setYear((f / 5) * (Y - 1));
    section.dataset.updateMs = ((performance.now() - start) / 5).toFixed(2);
    const gl = views[0].renderer.getContext(), pixel = new Uint8Array(4);
    start = performance.now();
    for (let f = 0; f < 5; ++f) {
      draw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    }
    section.dataset.drawMs = ((performance.now() - start) / 5).toFixed(2);
  }
  section.dataset.replay = 'ready';
}
)JS";

// The land-cover palette's colour as a JSON array (the glTF export's colours, shared).
std::string rgb_json(const land_cover::Rgb& rgb) {
  return "[" + format_number(rgb[0]) + "," + format_number(rgb[1]) + "," + format_number(rgb[2]) +
         "]";
}

}  // namespace

void replay_section(Page& page, const std::vector<RunOutputs>& runs) {
  // Every run's elevation, cover and lakes of every recorded year, sampled every k-th cell.
  std::vector<std::unique_ptr<NetcdfReader>> readers;
  for (const auto& run : runs) {
    readers.push_back(std::make_unique<NetcdfReader>(run.folder / "state.nc"));
    const auto names = readers.back()->variables();
    if (std::find(names.begin(), names.end(), kElevation) == names.end())
      throw InputError((run.folder / "state.nc").string(), 0, 0,
                       "the 3D replay needs topographic__elevation, which this run did not record "
                       "(outputs.fields)");
  }
  const GridGeometry& g = readers.front()->geometry();
  for (std::size_t r = 1; r < runs.size(); ++r) {
    const GridGeometry& other = readers[r]->geometry();
    if (other.columns != g.columns || other.rows != g.rows || other.cell_size_m != g.cell_size_m ||
        other.west_m != g.west_m || other.north_m != g.north_m)
      throw InputError(runs[r].folder.string(), 0, 0,
                       "a comparison needs runs on one grid: " + runs[r].name + " is " +
                           std::to_string(other.columns) + " x " + std::to_string(other.rows) +
                           " cells of " + format_number(other.cell_size_m) + " m, " +
                           runs.front().name + " " + std::to_string(g.columns) + " x " +
                           std::to_string(g.rows) + " of " + format_number(g.cell_size_m) + " m");
  }
  const std::vector<int> years = readers.front()->years();
  const std::size_t stride = std::max<std::size_t>(
      1, (std::max(g.columns, g.rows) - 1 + kReplayMaxSide - 2) / (kReplayMaxSide - 1));
  const std::size_t nx = (g.columns - 1) / stride + 1, ny = (g.rows - 1) / stride + 1;
  auto sample = [&](std::size_t s) { return (s / nx) * stride * g.columns + (s % nx) * stride; };

  double zmin = std::numeric_limits<double>::infinity(), zmax = -zmin;
  std::vector<std::vector<std::vector<double>>> elevation(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto& run_years = readers[r]->years();
    for (int year : years) {
      const auto found = std::find(run_years.begin(), run_years.end(), year);
      std::vector<double> z(nx * ny, kFillValue);
      if (found != run_years.end()) {
        const auto values =
            readers[r]->read(kElevation, static_cast<std::size_t>(found - run_years.begin()));
        for (std::size_t s = 0; s < z.size(); ++s) z[s] = values[sample(s)];
      }
      for (double v : z)
        if (v != kFillValue) {
          zmin = std::min(zmin, v);
          zmax = std::max(zmax, v);
        }
      elevation[r].push_back(std::move(z));
    }
  }
  if (!std::isfinite(zmin)) zmin = zmax = 0;
  if (zmax <= zmin) zmax = zmin + 1;

  // Trees: one site every kTreeSpacing samples each way; each recorded year a site holds the
  // stem carbon (kg C m-2) of its cell, quantised to a byte over [0, the runs' largest].
  constexpr std::size_t kTreeSpacing = 4;
  const std::size_t tree_nx = (nx + kTreeSpacing - 1) / kTreeSpacing,
                    tree_ny = (ny + kTreeSpacing - 1) / kTreeSpacing;
  auto tree_sample = [&](std::size_t t) {
    return (t / tree_nx) * kTreeSpacing * nx + (t % tree_nx) * kTreeSpacing;
  };
  constexpr const char* kStem = "vegetation__woody_stem_carbon";
  std::vector<std::vector<std::vector<double>>> stem(runs.size());
  double stem_max = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto names = readers[r]->variables();
    const bool recorded = std::find(names.begin(), names.end(), kStem) != names.end();
    const auto& run_years = readers[r]->years();
    for (int year : years) {
      std::vector<double> carbon(tree_nx * tree_ny, 0.0);
      const auto found = std::find(run_years.begin(), run_years.end(), year);
      if (recorded && found != run_years.end()) {
        const auto values =
            readers[r]->read(kStem, readers[r]->time_varying(kStem)
                                        ? static_cast<std::size_t>(found - run_years.begin())
                                        : 0);
        for (std::size_t t = 0; t < carbon.size(); ++t) {
          const double v = values[sample(tree_sample(t))];
          carbon[t] = v != kFillValue && v > 0 ? v : 0.0;
          stem_max = std::max(stem_max, carbon[t]);
        }
      }
      stem[r].push_back(std::move(carbon));
    }
  }

  std::string json = "{\"nx\":" + std::to_string(nx) + ",\"ny\":" + std::to_string(ny) +
                     ",\"dx\":" + format_number(g.cell_size_m * static_cast<double>(stride)) +
                     ",\"zmin\":" + format_number(zmin) + ",\"zmax\":" + format_number(zmax) +
                     ",\"palette\":{\"bare\":" + rgb_json(land_cover::kBare) +
                     ",\"vegetation\":" + rgb_json(land_cover::kVegetation) +
                     ",\"water\":" + rgb_json(land_cover::kWater) + "}" +
                     ",\"trees\":{\"nx\":" + std::to_string(tree_nx) +
                     ",\"ny\":" + std::to_string(tree_ny) +
                     ",\"spacing\":" + std::to_string(kTreeSpacing) +
                     ",\"stem_max\":" + format_number(stem_max) + "},\"years\":[";
  for (std::size_t k = 0; k < years.size(); ++k) json += (k ? "," : "") + std::to_string(years[k]);
  json += "],\"runs\":[";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto names = readers[r]->variables();
    auto has = [&](const char* name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    const auto& run_years = readers[r]->years();
    std::string bytes;
    for (const auto& z : elevation[r])
      for (double v : z) {
        const auto q = static_cast<std::uint16_t>(
            v == kFillValue ? 0 : std::lround((v - zmin) / (zmax - zmin) * 65535.0));
        bytes.append(reinterpret_cast<const char*>(&q), 2);
      }
    for (std::size_t k = 0; k < years.size(); ++k) {
      const auto found = std::find(run_years.begin(), run_years.end(), years[k]);
      const auto record = static_cast<std::size_t>(found - run_years.begin());
      std::vector<double> cover, lake;
      if (found != run_years.end() && has("vegetation__cover_fraction"))
        cover =
            readers[r]->read("vegetation__cover_fraction",
                             readers[r]->time_varying("vegetation__cover_fraction") ? record : 0);
      if (found != run_years.end() && has("pit_lake__volume"))
        lake = readers[r]->read("pit_lake__volume", record);
      for (std::size_t s = 0; s < nx * ny; ++s) {
        const std::size_t c = sample(s);
        std::uint8_t code = 0;
        if (elevation[r][k][s] == kFillValue)
          code = 254;
        else if (!lake.empty() && lake[c] != kFillValue && lake[c] > 0)
          code = 255;
        else if (!cover.empty() && cover[c] != kFillValue)
          code = static_cast<std::uint8_t>(std::lround(std::clamp(cover[c], 0.0, 1.0) * 250));
        bytes.push_back(static_cast<char>(code));
      }
    }
    for (const auto& carbon : stem[r])
      for (double v : carbon) {
        // Any stem carbon draws a tree (at least 1 of 255): a young stand is shown, not rounded
        // away.
        const long q = v > 0 ? std::max(1L, std::lround(v / stem_max * 255.0)) : 0L;
        bytes.push_back(static_cast<char>(static_cast<std::uint8_t>(q)));
      }
    json += std::string(r ? "," : "") + "{\"name\":" + json_string(runs[r].name) + ",\"data\":\"" +
            base64(bytes) + "\"}";
  }
  json += "]}";
  // Inside <script>: a name must not close it.
  for (std::size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3)
    json.replace(at, 2, "<\\/");

  page.add(
      "<section id=\"replay3d\"><h2>3D replay</h2><p class=\"note\">The terrain of every "
      "recorded year (" +
      std::to_string(years.front()) + "–" + std::to_string(years.back()) +
      "): bare ground to vegetation by the cover fraction, water where pit lakes stand, shrubs "
      "and trees (one every " +
      std::to_string(kTreeSpacing) +
      " drawn cells) sized by the square root of their stem carbon. Drag to "
      "turn the site, scroll to zoom; the slider moves through the years (between recorded "
      "years the heights and colours are interpolated)" +
      (stride > 1 ? "; every " + std::to_string(stride) + "th cell is drawn" : std::string()) +
      (runs.size() > 1 ? "; the two views turn together" : std::string()) +
      ".</p><p class=\"note replay-status\"></p><div class=\"replay-controls\"><button "
      "id=\"replay-play\" type=\"button\">Play</button> <input id=\"replay-year\" type=\"range\" "
      "style=\"width:480px\" "
      "min=\"0\" max=\"" +
      std::to_string(years.size() - 1) +
      "\" step=\"0.01\" value=\"0\" aria-label=\"year\"> <span id=\"replay-label\">" +
      std::to_string(years.front()) + "</span></div><div class=\"replay-views\">");
  for (std::size_t r = 0; r < runs.size(); ++r)
    page.add("<figure><canvas id=\"replay-canvas-" + std::to_string(r) + "\" style=\"width:" +
             (runs.size() > 1 ? "480" : "960") + "px;height:540px\"></canvas><figcaption>" +
             escape(runs[r].name) + "</figcaption></figure>");
  page.add("</div><script type=\"application/json\" id=\"replay-data\">" + json +
           "</script><script type=\"importmap\">{\"imports\":{\"three\":\"data:text/"
           "javascript;base64," +
           base64(vendored_js("three.module.min.js")) + "\"}}</script><script type=\"module\">" +
           kViewer + "</script></section>");
}

}  // namespace minetwin::report

// The report's 3D replay: every recorded year's terrain, quantised and embedded, drawn by
// three.js (vendored, inline as a data: module: the report stays one file that opens offline).
#include "viz/report/replay3d.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/land_cover_colours.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "viz/colormap.hpp"
#include "viz/report/map_images.hpp"
#include "viz/report/run_outputs.hpp"
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
const missing = data.runs.filter((run, r) =>
  run.data === undefined && !(window.minetwinReplayAssets && window.minetwinReplayAssets[r]));
if (missing.length) {
  note.textContent = 'The 3D replay\'s data are in a folder beside this report, which is missing: ' +
    missing.map(run => run.asset).join(', ') + '.';
  section.dataset.replay = 'missing-assets';
} else if (!(probe.getContext('webgl2') || probe.getContext('webgl'))) {
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
  // Three levels of detail over the samples: every sample, drawn when the view is still, and
  // every second or fourth sample each way (and the last), drawn while the years play or the
  // view turns. Playing starts with every second sample and goes to every fourth while frames
  // take longer than 40 ms (software rendering without a GPU draws the 64 x 64 level of a
  // 256 x 256 mesh at about 30 frames a second). Each level maps its vertices to samples (the
  // fine level: one to one).
  const axis = (count, step) => {
    const a = [];
    for (let i = 0; i < count; i += step) a.push(i);
    if (a[a.length - 1] !== count - 1) a.push(count - 1);
    return a;
  };
  const levels = [1, 2, 4].map(step => {
    const xs = axis(nx, step), ys = axis(ny, step), mx = xs.length, my = ys.length;
    const map = new Uint32Array(mx * my);
    for (let j = 0; j < my; ++j)
      for (let i = 0; i < mx; ++i) map[j * mx + i] = ys[j] * nx + xs[i];
    const index = [];
    for (let j = 0; j + 1 < my; ++j)
      for (let i = 0; i + 1 < mx; ++i) {
        const a = j * mx + i, b = a + 1, c = a + mx, d = c + 1;
        index.push(a, c, b, b, c, d);
      }
    return {map, index};
  });
  // Each view holds the two recorded years around the slider's position as vertex attributes
  // (heights h0, h1 and colours c0, c1); the vertex shader mixes them by the uniform u, so a
  // frame between two recorded years uploads nothing. Normals come from the screen-space
  // derivatives (flat shading), so they follow the mixed heights.
  const mixing = {value: 0};
  const views = data.runs.map((run, r) => {
    const bytes = bytesOf(run.data !== undefined ? run.data : window.minetwinReplayAssets[r]);
    const heights = new Uint16Array(bytes.buffer, 0, Y * n);
    const codes = new Uint8Array(bytes.buffer, 2 * Y * n, Y * n);
    const T = data.trees.nx * data.trees.ny;
    const stems = new Uint8Array(bytes.buffer, 3 * Y * n, Y * T);
    const fields = [];
    for (let f = 0; f < data.fields; ++f)
      fields.push(new Uint8Array(bytes.buffer, 3 * Y * n + Y * T + f * Y * n, Y * n));
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
    const meshes = levels.map(level => {
      const m = level.map.length;
      const geometry = new THREE.BufferGeometry();
      const position = new Float32Array(3 * m);
      for (let k = 0; k < m; ++k) {
        position[3 * k] = (level.map[k] % nx) * data.dx - width / 2;
        position[3 * k + 2] = Math.floor(level.map[k] / nx) * data.dx - depth / 2;
      }
      geometry.setAttribute('position', new THREE.BufferAttribute(position, 3));
      for (const [name, size] of [['h0', 1], ['h1', 1], ['c0', 3], ['c1', 3]])
        geometry.setAttribute(name, new THREE.BufferAttribute(new Float32Array(size * m), size));
      geometry.setIndex(level.index);
      const mesh = new THREE.Mesh(geometry, material);
      mesh.frustumCulled = false;  // the bounds of y = 0 are not the drawn ones
      return mesh;
    });
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0xdde8f0);
    scene.add(new THREE.HemisphereLight(0xffffff, 0x5a5040, 1.1));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(-0.6, 1.0, -0.4);
    scene.add(sun);
    for (const mesh of meshes) scene.add(mesh);
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
    // Zones: their outlines (the edges between samples of different zones, a little above the
    // ground, moved with the heights in setZones) and their names (HTML labels over the canvas,
    // placed in draw).
    let zones = null;
    if (run.zones) {
      const ids = bytesOf(run.zones.ids), ends = [];
      for (let j = 0; j < ny; ++j)
        for (let i = 0; i < nx; ++i) {
          const v = j * nx + i;
          if (i + 1 < nx && ids[v] !== ids[v + 1]) ends.push(v, v + 1);
          if (j + 1 < ny && ids[v] !== ids[v + nx]) ends.push(v, v + nx);
        }
      // Each edge between samples a and b: a segment across it, from the midpoint of a's and b's
      // left neighbours to that of their right ones (a cell side on the drawn grid).
      const segments = new Float32Array(6 * ends.length / 2);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(segments, 3));
      const lines = new THREE.LineSegments(geometry,
                                           new THREE.LineBasicMaterial({color: 0xfff4c0}));
      lines.frustumCulled = false;
      scene.add(lines);
      const layer = canvas.parentElement.querySelector('.replay-labels');
      const labels = run.zones.names.map((name, z) => {
        const at = run.zones.labels[z];
        if (at < 0) return null;
        const div = document.createElement('div');
        div.textContent = name.replace(/_/g, ' ');
        div.className = 'replay-zone-label';
        div.style.cssText = 'position:absolute;transform:translate(-50%,-100%);font:12px sans-serif;' +
          'color:#222;background:rgba(255,255,255,0.8);padding:1px 4px;border-radius:3px;' +
          'white-space:nowrap';
        layer.appendChild(div);
        return {div, at};
      }).filter(label => label);
      zones = {ends, segments, geometry, lines, labels, layer};
    }
    // The fine level's arrays are indexed by sample: the trees stand on its heights.
    const fine = meshes[0].geometry.attributes;
    return {heights, codes, stems, fields, trees, meshes, zones, h0: fine.h0.array, h1: fine.h1.array,
            scene, renderer, canvas};
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
  // Only the sites with a tree are instances (the first count): an empty site costs nothing.
  const setTrees = (view, k, k1, u) => {
    let shown = 0;
    const T = tn * data.trees.ny;
    for (let t = 0; t < T; ++t) {
      const s = (1 - u) * view.stems[k * T + t] + u * view.stems[k1 * T + t];
      if (!(s > 0)) continue;
      const v = Math.floor(t / tn) * sp * nx + (t % tn) * sp;
      const size = treeTallest * Math.sqrt(s / 255);
      const ground = (1 - u) * view.h0[v] + u * view.h1[v];
      matrix.makeScale(size, size, size);
      matrix.setPosition((v % nx) * data.dx - width / 2, ground, Math.floor(v / nx) * data.dx - depth / 2);
      view.trees.setMatrixAt(shown++, matrix);
    }
    view.trees.count = shown;
    view.trees.instanceMatrix.needsUpdate = true;
    view.shownTrees = shown;
  };
  // The zone outlines on the terrain of the moment, lifted by a hundredth of the relief.
  const lift = Math.max(0.5, (data.zmax - data.zmin) / 100);
  const groundAt = (view, v, u) => (1 - u) * view.h0[v] + u * view.h1[v];
  const setZones = (view, u) => {
    const zones = view.zones;
    if (!zones) return;
    const p = zones.segments;
    for (let e = 0; e < zones.ends.length; e += 2) {
      const a = zones.ends[e], b = zones.ends[e + 1], across = b - a === 1 ? nx : 1;
      const ha = groundAt(view, a, u), hb = groundAt(view, b, u);
      const x = ((a % nx) + (b % nx)) / 2 * data.dx - width / 2;
      const z = (Math.floor(a / nx) + Math.floor(b / nx)) / 2 * data.dx - depth / 2;
      // Half a cell each way along the edge.
      const dx = across === 1 ? data.dx / 2 : 0, dz = across === nx ? data.dx / 2 : 0;
      const h = Math.max(ha, hb) + lift, k = 3 * e;
      p[k] = x - dx; p[k + 1] = h; p[k + 2] = z - dz;
      p[k + 3] = x + dx; p[k + 4] = h; p[k + 5] = z + dz;
    }
    zones.geometry.attributes.position.needsUpdate = true;
  };
  const zoneToggle = section.querySelector('#replay-zones');
  const vector = new THREE.Vector3();
  // The names where their zones' label samples appear on the canvas (hidden behind the camera).
  const placeLabels = view => {
    const zones = view.zones;
    if (!zones) return 0;
    zones.lines.visible = zoneToggle.checked;
    zones.layer.style.display = zoneToggle.checked ? '' : 'none';
    let placed = 0;
    const w = view.canvas.clientWidth, h = view.canvas.clientHeight;
    for (const label of zones.labels) {
      const v = label.at;
      vector.set((v % nx) * data.dx - width / 2, groundAt(view, v, mixing.value) + 2 * lift,
                 Math.floor(v / nx) * data.dx - depth / 2).project(camera);
      const shown = vector.z < 1 && Math.abs(vector.x) <= 1 && Math.abs(vector.y) <= 1;
      label.div.style.display = shown ? '' : 'none';
      label.div.style.left = ((vector.x + 1) / 2 * w).toFixed(1) + 'px';
      label.div.style.top = ((1 - vector.y) / 2 * h).toFixed(1) + 'px';
      placed += shown;
    }
    return placed;
  };
  let year = 0, pair = -1;
  const slider = section.querySelector('#replay-year'), label = section.querySelector('#replay-label');
  // A field's byte as its viridis colour (255: no value, the outside's grey).
  const fieldColourOf = (b, out, at) => {
    if (b === 255) { out[at] = outside[0]; out[at + 1] = outside[1]; out[at + 2] = outside[2]; return; }
    const t = b / 254 * 10, s = Math.min(9, Math.floor(t)), f = t - s;
    const lo = data.viridis[s], hi = data.viridis[s + 1];
    for (let k = 0; k < 3; ++k) out[at + k] = (1 - f) * lo[k] + f * hi[k];
  };
  let field = -1;  // -1: the land-cover look
  const load = (view, k, k1) => {
    const codes = field < 0 ? view.codes : view.fields[field];
    const colour = field < 0 ? colourOf : fieldColourOf;
    view.meshes.forEach((mesh, l) => {
      const map = levels[l].map, a = mesh.geometry.attributes;
      const h0 = a.h0.array, h1 = a.h1.array, c0 = a.c0.array, c1 = a.c1.array;
      for (let m = 0; m < map.length; ++m) {
        const v = map[m];
        h0[m] = view.heights[k * n + v] * scale;
        h1[m] = view.heights[k1 * n + v] * scale;
        colour(codes[k * n + v], c0, 3 * m);
        colour(codes[k1 * n + v], c1, 3 * m);
      }
      for (const name of ['h0', 'h1', 'c0', 'c1']) a[name].needsUpdate = true;
    });
  };
  const setYear = t => {
    year = Math.min(Math.max(t, 0), Y - 1);
    const k = Math.min(Math.floor(year), Math.max(0, Y - 2)), k1 = Y > 1 ? k + 1 : k;
    if (k !== pair) { for (const view of views) load(view, k, k1); pair = k; }
    mixing.value = Y > 1 ? year - k : 0;
    for (const view of views) { setTrees(view, k, k1, mixing.value); setZones(view, mixing.value); }
    slider.value = year;
    label.textContent = String(Math.round(years[k] + mixing.value * (years[k1] - years[k])));
  };
  // draw(true): the coarse level (while the years play or the view moves); settle() draws the
  // fine level once the moving has stopped for a moment.
  let settling = 0, movingLevel = 1;
  const draw = (moving = false, level = moving ? movingLevel : 0) => {
    place();
    for (const view of views) {
      view.meshes.forEach((mesh, l) => { mesh.visible = l === level; });
      view.labelsPlaced = placeLabels(view);
      view.renderer.render(view.scene, camera);
    }
  };
  const settle = () => { clearTimeout(settling); settling = setTimeout(() => draw(false), 250); };
  slider.addEventListener('input', () => { setYear(Number(slider.value)); draw(true); settle(); });
  zoneToggle.addEventListener('change', () => draw(false));
  const colourChoice = section.querySelector('#replay-colour');
  const setField = f => {
    field = f;
    colourChoice.value = String(f);
    for (const legend of section.querySelectorAll('.replay-legend'))
      legend.style.display = Number(legend.dataset.field) === f ? '' : 'none';
    pair = -1;  // reload the colours
    setYear(year);
  };
  colourChoice.addEventListener('change', () => { setField(Number(colourChoice.value)); draw(false); });
  let playing = false, last = 0;
  const play = section.querySelector('#replay-play');
  const step = now => {
    if (!playing) return;
    if (last) {
      setYear(year + (now - last) / 1000);  // one recorded interval a second
      // Coarser while frames are slow, finer again when they are quick.
      if (now - last > 40) movingLevel = 2;
      else if (now - last < 20) movingLevel = 1;
    }
    last = now;
    draw(true);
    if (year >= Y - 1) { playing = false; play.textContent = 'Play'; draw(false); return; }
    requestAnimationFrame(step);
  };
  play.addEventListener('click', () => {
    playing = !playing;
    play.textContent = playing ? 'Pause' : 'Play';
    if (playing) { if (year >= Y - 1) setYear(0); last = 0; requestAnimationFrame(step); }
    else draw(false);
  });
  for (const view of views) {
    let dragging = null;
    view.canvas.addEventListener('pointerdown', e => { dragging = [e.clientX, e.clientY]; });
    window.addEventListener('pointerup', () => { if (dragging) draw(false); dragging = null; });
    view.canvas.addEventListener('pointermove', e => {
      if (!dragging) return;
      orbit.azimuth -= (e.clientX - dragging[0]) * 0.008;
      orbit.elevation = Math.min(1.5, Math.max(0.1, orbit.elevation + (e.clientY - dragging[1]) * 0.006));
      dragging = [e.clientX, e.clientY];
      draw(true);
    });
    view.canvas.addEventListener('wheel', e => {
      e.preventDefault();
      orbit.distance *= Math.exp(e.deltaY * 0.001);
      draw(true);
      settle();
    }, {passive: false});
  }
  const heightSum = () => {
    let sum = 0;
    for (let v = 0; v < n; ++v)
      sum += (1 - mixing.value) * views[0].h0[v] + mixing.value * views[0].h1[v];
    return sum;
  };
  // Frames a second while the years play (the playing frame's cost: the year's heights, colours
  // and trees, and the coarse level's draw). Each frame reads a pixel back, so it is drawn to
  // the end before the next one starts.
  const framesPerSecond = (frames, level) => {
    const gl = views[0].renderer.getContext(), pixel = new Uint8Array(4);
    const start = performance.now();
    for (let f = 0; f < frames; ++f) {
      setYear((f / frames) * (Y - 1));
      draw(true, level);
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
  window.minetwinReplay = {setYear, setField, draw, heightSum, framesPerSecond, pixelShares, vertices: n,
                           years, trees: () => views[0].shownTrees,
                           zoneLabels: () => views[0].labelsPlaced};
  setYear(0);
  draw();
  // Milliseconds from the start of the page's navigation to the first view drawn and the
  // controls live (the report opens and is interactive), before any self-test.
  const readyAt = performance.now();
  section.dataset.vertices = String(n);
  // Test hook: "#replay-selftest" records, on the section, the heights' sums and the pixel
  // shares of the first and the last recorded year, and the frames a second of 10 playing steps
  // at the coarsest level (fps) and at every second sample (fpsHalf).
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
      zoneLabels: String(views[0].labelsPlaced || 0),
      zoneEdges: String(views[0].zones ? views[0].zones.ends.length / 2 : 0),
      fps: framesPerSecond(10, 2).toFixed(1), fpsHalf: framesPerSecond(10, 1).toFixed(1)});
    // Colouring by the first field (Cd) instead of the land cover: the share of the canvas's
    // pixels whose colour changed by more than 40 in a channel (the terrain's, not the sky's).
    if (data.fields > 0) {
      const gl = views[0].renderer.getContext();
      const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
      const read = () => { draw(); const px = new Uint8Array(4 * w * h);
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px); return px; };
      const before = read();
      setField(0);
      const after = read();
      setField(-1);
      let changed = 0;
      for (let i = 0; i < w * h; ++i)
        for (let k = 0; k < 3; ++k)
          if (Math.abs(after[4 * i + k] - before[4 * i + k]) > 40) { ++changed; break; }
      section.dataset.fieldChange = (changed / (w * h)).toFixed(4);
    }
    // Where a frame's time goes: the slider's update of the mesh, and the draw.
    let start = performance.now();
    for (let f = 0; f < 5; ++f) setYear((f / 5) * (Y - 1));
    section.dataset.updateMs = ((performance.now() - start) / 5).toFixed(2);
    const gl = views[0].renderer.getContext(), pixel = new Uint8Array(4);
    for (const [key, level] of [['drawMs', 0], ['playDrawMs', 2]]) {
      start = performance.now();
      for (let f = 0; f < 5; ++f) {
        draw(level > 0, level);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      }
      section.dataset[key] = ((performance.now() - start) / 5).toFixed(2);
    }
    draw(false);
  }
  section.dataset.readyMs = readyAt.toFixed(0);
  section.dataset.replay = 'ready';
}
)JS";

// The land-cover palette's colour as a JSON array (the glTF export's colours, shared).
std::string rgb_json(const land_cover::Rgb& rgb) {
  return "[" + format_number(rgb[0]) + "," + format_number(rgb[1]) + "," + format_number(rgb[2]) +
         "]";
}

}  // namespace

std::vector<std::pair<std::filesystem::path, std::string>> replay_section(
    Page& page, const std::vector<RunOutputs>& runs, const ReplayAssets& assets) {
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

  // Fields the terrain can be coloured by instead of the land-cover look (those the first run
  // recorded): viridis over the 2nd-98th percentile of every run's recorded years, as the maps.
  std::vector<MapStyle> fields;
  {
    const auto names = readers.front()->variables();
    std::vector<std::filesystem::path> files;
    for (const auto& run : runs) files.push_back(run.folder / "state.nc");
    for (MapStyle style : std::vector<MapStyle>{
             {"soil_cd__total_concentration", 0, "Cd in the top layer", "mg/kg", false, 0, 1},
             {"soil__ph", 0, "pH of the top layer", "", false, 0, 1},
             {"erosion__soil_loss", 0, "Soil loss in the year", "kg/m²", false, 0, 1},
             {"vegetation__annual_npp", 0, "Net primary production (C)", "kg/m²", false, 0, 1}}) {
      if (std::find(names.begin(), names.end(), style.variable) == names.end()) continue;
      fit_range(style, files, years);
      fields.push_back(style);
    }
  }
  std::string palette;
  for (int k = 0; k <= 10; ++k) {
    const viz::Rgb c = viz::colormap(viz::ColormapKind::sequential, k / 10.0);
    palette += std::string(k ? "," : "") + "[" + format_number(c.r) + "," + format_number(c.g) +
               "," + format_number(c.b) + "]";
  }

  std::string json =
      "{\"nx\":" + std::to_string(nx) + ",\"ny\":" + std::to_string(ny) +
      ",\"dx\":" + format_number(g.cell_size_m * static_cast<double>(stride)) +
      ",\"zmin\":" + format_number(zmin) + ",\"zmax\":" + format_number(zmax) +
      ",\"palette\":{\"bare\":" + rgb_json(land_cover::kBare) +
      ",\"vegetation\":" + rgb_json(land_cover::kVegetation) +
      ",\"water\":" + rgb_json(land_cover::kWater) + "}" +
      ",\"trees\":{\"nx\":" + std::to_string(tree_nx) + ",\"ny\":" + std::to_string(tree_ny) +
      ",\"spacing\":" + std::to_string(kTreeSpacing) + ",\"stem_max\":" + format_number(stem_max) +
      "},\"fields\":" + std::to_string(fields.size()) + ",\"viridis\":[" + palette +
      "],\"years\":[";
  for (std::size_t k = 0; k < years.size(); ++k) json += (k ? "," : "") + std::to_string(years[k]);
  json += "],\"runs\":[";
  std::vector<std::string> encoded, run_json;  // per run: its data (base64) and its JSON
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
    // Each field: a byte per sample and recorded year over its colour range (255: no value).
    for (const MapStyle& style : fields) {
      const bool recorded = has(style.variable.c_str());
      for (int year : years) {
        const auto found = std::find(run_years.begin(), run_years.end(), year);
        std::vector<double> values;
        if (recorded && found != run_years.end())
          values = readers[r]->read(style.variable,
                                    readers[r]->time_varying(style.variable)
                                        ? static_cast<std::size_t>(found - run_years.begin())
                                        : 0,
                                    style.layer);
        for (std::size_t s = 0; s < nx * ny; ++s) {
          const double v = values.empty() ? kFillValue : values[sample(s)];
          const bool valid = v != kFillValue && std::isfinite(v);
          const double t = (v - style.low) / (style.high - style.low);
          bytes.push_back(static_cast<char>(
              valid ? static_cast<std::uint8_t>(std::lround(std::clamp(t, 0.0, 1.0) * 254.0))
                    : std::uint8_t{255}));
        }
      }
    }
    // Zones: zone__id per sample (255: none), their names and where each name goes.
    std::string zone_json = "null";
    if (has("zone__id") && !runs[r].zone_names.empty()) {
      const auto ids = readers[r]->read("zone__id", 0);
      std::string zone_bytes;
      for (std::size_t s = 0; s < nx * ny; ++s) {
        const double id = ids[sample(s)];
        const bool named = id >= 0 && id < static_cast<double>(runs[r].zone_names.size());
        zone_bytes.push_back(static_cast<char>(named ? static_cast<std::uint8_t>(id) : 255));
      }
      zone_json = "{\"ids\":\"" + base64(zone_bytes) + "\",\"names\":[";
      const auto label_cells = zone_label_cells(ids, g.columns, runs[r].zone_names.size());
      std::string labels;
      for (std::size_t z = 0; z < runs[r].zone_names.size(); ++z) {
        zone_json += (z ? "," : "") + json_string(runs[r].zone_names[z]);
        const std::size_t cell = label_cells[z];
        const long at = cell == static_cast<std::size_t>(-1)
                            ? -1L
                            : static_cast<long>(
                                  std::min(ny - 1, (cell / g.columns + stride / 2) / stride) * nx +
                                  std::min(nx - 1, (cell % g.columns + stride / 2) / stride));
        labels += (z ? "," : "") + std::to_string(at);
      }
      zone_json += "],\"labels\":[" + labels + "]}";
    }
    encoded.push_back(base64(bytes));
    run_json.push_back("{\"name\":" + json_string(runs[r].name) + ",\"zones\":" + zone_json);
  }
  // The data inline, or in one script file per run (window.minetwinReplayAssets[r]).
  std::size_t total = 0;
  for (const auto& e : encoded) total += e.size();
  std::filesystem::path folder = assets.folder;
  // Test hook: MINETWIN_REPLAY_INLINE_LIMIT_BYTES lowers the limit, so the tests reach the
  // automatic assets folder with a small run.
  std::size_t limit = kReplayInlineLimit;
  if (const char* bytes = std::getenv("MINETWIN_REPLAY_INLINE_LIMIT_BYTES"))
    limit = static_cast<std::size_t>(std::strtoull(bytes, nullptr, 10));
  if (folder.empty() && total > limit)
    folder = assets.report.parent_path() / (assets.report.stem().string() + "_assets");
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  std::string asset_scripts;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (folder.empty()) {
      json += (r ? "," : "") + run_json[r] + ",\"data\":\"" + encoded[r] + "\"}";
      continue;
    }
    const std::string name = "replay-" + std::to_string(r) + ".js";
    // The path from the report's folder (the report and its assets move together).
    const std::string source = (std::filesystem::absolute(folder).lexically_proximate(
                                    std::filesystem::absolute(assets.report).parent_path()) /
                                name)
                                   .generic_string();
    json += (r ? "," : "") + run_json[r] + ",\"asset\":" + json_string(source) + "}";
    files.emplace_back(folder / name,
                       "(window.minetwinReplayAssets = window.minetwinReplayAssets "
                       "|| [])[" +
                           std::to_string(r) + "] = \"" + encoded[r] + "\";\n");
    asset_scripts += "<script src=\"" + escape(source) + "\"></script>";
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
      " drawn cells) sized by the square root of their stem carbon; the zones' outlines and "
      "names; or the colours of a field (the colour list). Drag to "
      "turn the site, scroll to zoom; the slider moves through the years (between recorded "
      "years the heights and colours are interpolated; while the years play or the site turns, "
      "a coarser mesh is drawn)" +
      (stride > 1 ? "; every " + std::to_string(stride) + "th cell is drawn" : std::string()) +
      (runs.size() > 1 ? "; the two views turn together" : std::string()) +
      ".</p><p class=\"note replay-status\"></p><div class=\"replay-controls\"><button "
      "id=\"replay-play\" type=\"button\">Play</button> <input id=\"replay-year\" type=\"range\" "
      "style=\"width:480px\" "
      "min=\"0\" max=\"" +
      std::to_string(years.size() - 1) +
      "\" step=\"0.01\" value=\"0\" aria-label=\"year\"> <span id=\"replay-label\">" +
      std::to_string(years.front()) +
      "</span> <label><input id=\"replay-zones\" type=\"checkbox\" checked> zones</label> "
      "<label>colour <select id=\"replay-colour\"><option value=\"-1\">land cover</option>");
  for (std::size_t f = 0; f < fields.size(); ++f)
    page.add("<option value=\"" + std::to_string(f) + "\">" + escape(fields[f].title) +
             "</option>");
  page.add("</select></label>");
  for (std::size_t f = 0; f < fields.size(); ++f)
    page.add("<span class=\"replay-legend\" data-field=\"" + std::to_string(f) +
             "\" style=\"display:none\">" + legend_html(fields[f]) + "</span>");
  page.add("</div><div class=\"replay-views\">");
  for (std::size_t r = 0; r < runs.size(); ++r)
    page.add("<figure style=\"position:relative\"><canvas id=\"replay-canvas-" + std::to_string(r) +
             "\" style=\"width:" + (runs.size() > 1 ? "480" : "960") +
             "px;height:540px\"></canvas><div class=\"replay-labels\" style=\"position:absolute;"
             "left:0;top:0;pointer-events:none\"></div><figcaption>" +
             escape(runs[r].name) + "</figcaption></figure>");
  page.add("</div>" + asset_scripts + "<script type=\"application/json\" id=\"replay-data\">" +
           json +
           "</script><script type=\"importmap\">{\"imports\":{\"three\":\"data:text/"
           "javascript;base64," +
           base64(vendored_js("three.module.min.js")) + "\"}}</script><script type=\"module\">" +
           kViewer + "</script></section>");
  return files;
}

}  // namespace minetwin::report

// MineTwin's 3D replay in the planner's report (issue 27; docs/report.md, "3D replay"): the
// viewer module that viz/report/replay3d.cpp embeds in every report with three.js. MineTwin's
// own code (not a vendored library).
//
// The viewer. Reads the JSON in #replay-data; each run is base64 of its heights (uint16 per
// sample and recorded year, over [zmin, zmax]) then its surface codes (uint8: 0-250 the cover
// fraction x 250, 254 outside the site, 255 water), then its tree sites' stem carbon (uint8 per
// site and recorded year, over [0, trees.stem_max]), then each field's byte per sample and
// recorded year over its colour range (255: no value); with --assets, the same base64 comes from
// window.minetwinReplayAssets[r], set by a script beside the report. Without WebGL it says so
// and draws nothing.
// Test hooks: window.minetwinReplay, and the URL fragment "#replay-selftest" (below).
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
  // The ground under sample v between the two recorded years around the slider (u: 0 to 1).
  const groundAt = (view, v, u) => (1 - u) * view.h0[v] + u * view.h1[v];
  // Only the sites with a tree are instances (the first count): an empty site costs nothing.
  const setTrees = (view, k, k1, u) => {
    let shown = 0;
    const T = tn * data.trees.ny;
    for (let t = 0; t < T; ++t) {
      const s = (1 - u) * view.stems[k * T + t] + u * view.stems[k1 * T + t];
      if (!(s > 0)) continue;
      const v = Math.floor(t / tn) * sp * nx + (t % tn) * sp;
      const size = treeTallest * Math.sqrt(s / 255);
      const ground = groundAt(view, v, u);
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
      sum += groundAt(views[0], v, mixing.value);
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

// The attention heatmap as inline SVG: click a cell or a target word to pick that
// target word.  Drawn from plain data (viz/grid.py); every label is set as text
// (textContent), never as markup, so user text cannot become HTML.
//
// Cells are sized to the room there is: as wide as the component's width allows,
// between the grid's min_cell and max_cell; labels keep the grid's font size (>= 13 px)
// and a matrix too wide even at min_cell scrolls sideways instead of shrinking.

const SVG = "http://www.w3.org/2000/svg";
const LEGEND_PX = 60; // the colour scale and its ticks, right of the cells

function node(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function text(parent, attrs, content) {
  const t = node("text", attrs, parent);
  t.textContent = content;
  return t;
}

function labelled(parent, attrs, content, tip) {
  // the tooltip sits beside the text in a group, so the text's own content stays the label
  const group = node("g", {}, parent);
  node("title", {}, group).textContent = tip;
  return text(group, attrs, content);
}

function longest(labels) {
  return labels.reduce((m, s) => Math.max(m, [...s].length), 1);
}

// Cell sizes, label angle and margins for a matrix drawn in `room` pixels of width.
function layout(g, room) {
  const nC = Math.max(g.cols.length, 1);
  const font = g.font;
  const left = Math.min(200, Math.max(40, Math.ceil(longest(g.rows) * font * 0.62) + 14));
  const fit = Math.floor((room - left - LEGEND_PX) / nC);
  const cw = Math.max(g.min_cell, Math.min(g.max_cell, fit));
  const ch = Math.max(font + 9, Math.min(g.max_cell, cw));
  const angle = cw >= 2.2 * font ? -45 : -90;
  const sin = Math.abs(Math.sin((angle * Math.PI) / 180));
  const labelTop = Math.ceil(longest(g.cols) * font * 0.62 * sin) + 14;
  const top = Math.min(220, Math.max(40, labelTop)) + (g.title ? 26 : 0);
  return { cw, ch, font, angle, top, left };
}

function legend(svg, g, size, x) {
  const height = Math.min(160, Math.max(60, g.rows.length * size.ch));
  const grad = node("linearGradient", { id: "attn-scale", x1: 0, y1: 1, x2: 0, y2: 0 },
    node("defs", {}, svg));
  g.stops.forEach((c, i) => node("stop", {
    offset: `${(100 * i) / (g.stops.length - 1)}%`, "stop-color": c }, grad));
  node("rect", { x, y: size.top, width: 10, height, fill: "url(#attn-scale)",
    stroke: "#ccc" }, svg);
  text(svg, { x: x + 14, y: size.top + 8, class: "tick" }, "1");
  text(svg, { x: x + 14, y: size.top + height, class: "tick" }, "0");
  text(svg, { x: x - 2, y: size.top - 6, class: "tick" }, "\u03b1");
}

function tip(g, i, j) {
  const value = g.values[i][j]; // null: not decoded yet (step through)
  return value === null ? "" : `${g.rows[i]} \u2190 ${g.cols[j]}: ${value.toFixed(3)}`;
}

// One SVG rect per cell, each with its tooltip: up to g.svg_cells cells.
// A row not decoded yet (Step through) shows the page through it, so it never reads as
// alpha = 0 (white) on a dark page; still painted, so a click on it picks its step.
const NOT_YET = "transparent";

function drawnCells(svg, g, size, choose) {
  const { cw, ch, left, top } = size;
  const cells = node("g", { class: "cells" }, svg);
  for (let i = 0; i < g.rows.length; i++) {
    for (let j = 0; j < g.cols.length; j++) {
      const value = g.values[i][j];
      const rect = node("rect", { x: left + j * cw, y: top + i * ch, width: cw, height: ch,
        fill: value === null ? NOT_YET : g.colours[i][j], class: "cell",
        "data-row": i, "data-col": j }, cells);
      if (value !== null) node("title", {}, rect).textContent = tip(g, i, j);
    }
  }
  cells.addEventListener("click", (e) => {
    const cell = e.target.closest("rect.cell");
    if (cell) choose(Number(cell.dataset.row), Number(cell.dataset.col));
  });
}

// A larger matrix: one pixel per cell on a canvas, scaled up as an image (tens of
// thousands of rects would take the browser seconds to lay out and to hit-test), under
// one transparent rect that maps the pointer to a cell for the click and the tooltip.
function paintedCells(svg, g, size, choose) {
  const { cw, ch, left, top } = size;
  const nR = g.rows.length, nC = g.cols.length;
  const canvas = document.createElement("canvas");
  canvas.width = nC;
  canvas.height = nR;
  const ctx = canvas.getContext("2d");
  for (let i = 0; i < nR; i++) {
    for (let j = 0; j < nC; j++) {
      if (g.values[i][j] === null) continue; // not decoded yet: left clear (NOT_YET)
      ctx.fillStyle = g.colours[i][j];
      ctx.fillRect(j, i, 1, 1);
    }
  }
  const box = { x: left, y: top, width: nC * cw, height: nR * ch };
  node("image", { ...box, href: canvas.toDataURL(), preserveAspectRatio: "none",
    class: "cells-image" }, svg);
  const hit = node("rect", { ...box, fill: "transparent", class: "cells-hit" }, svg);
  const title = node("title", {}, hit);
  const at = (e) => {
    const r = hit.getBoundingClientRect();
    const i = Math.floor(((e.clientY - r.top) / r.height) * nR);
    const j = Math.floor(((e.clientX - r.left) / r.width) * nC);
    return [Math.min(Math.max(i, 0), nR - 1), Math.min(Math.max(j, 0), nC - 1)];
  };
  hit.addEventListener("mousemove", (e) => {
    const [i, j] = at(e);
    title.textContent = tip(g, i, j);
  });
  hit.addEventListener("click", (e) => {
    const [i, j] = at(e);
    choose(i, j);
  });
}

function draw(g, room, choose) {
  const nR = g.rows.length, nC = g.cols.length;
  const size = layout(g, room);
  const { cw, ch, left, top } = size;
  const width = Math.ceil(left + nC * cw + LEGEND_PX), height = Math.ceil(top + nR * ch + 10);
  const svg = node("svg", { width, height, viewBox: `0 0 ${width} ${height}`,
    role: "img", "aria-label": "Attention heatmap", class: "attn-svg" });
  svg.style.fontSize = `${size.font}px`;
  if (g.title) text(svg, { x: 4, y: 18, class: "title" }, g.title);
  g.cols.forEach((c, j) => {
    const x = left + j * cw + cw / 2, y = top - 6;
    labelled(svg, { x, y, class: "col-label", transform: `rotate(${size.angle} ${x} ${y})` },
      c, `source: ${c}`);
  });
  g.rows.forEach((r, i) => {
    const t = labelled(svg, { x: left - 6, y: top + i * ch + ch / 2, class: "row-label",
      "data-row": i }, r, `target: ${r}`);
    t.addEventListener("click", () => choose(i, null));
  });
  if (nR * nC > g.svg_cells) {
    paintedCells(svg, g, size, choose);
  } else {
    drawnCells(svg, g, size, choose);
  }
  (g.marks || []).forEach(([i, j]) => {
    node("rect", { class: "link-mark", x: left + j * cw + 1.5, y: top + i * ch + 1.5,
      width: Math.max(cw - 3, 1), height: Math.max(ch - 3, 1) }, svg);
  });
  node("rect", { class: "sel-row", x: left, y: top, width: nC * cw, height: ch }, svg);
  node("rect", { class: "sel-cell", x: left, y: top, width: cw, height: ch,
    visibility: "hidden" }, svg);
  legend(svg, g, size, left + nC * cw + 22);
  svg.dataset.left = left;
  svg.dataset.top = top;
  svg.dataset.cw = cw;
  svg.dataset.ch = ch;
  return svg;
}

function mark(svg, row, col) {
  const left = Number(svg.dataset.left), top = Number(svg.dataset.top);
  const cw = Number(svg.dataset.cw), ch = Number(svg.dataset.ch);
  svg.querySelector(".sel-row").setAttribute("y", top + row * ch);
  const cell = svg.querySelector(".sel-cell");
  if (col === null || col === undefined || Number.isNaN(col)) {
    cell.setAttribute("visibility", "hidden");
  } else {
    cell.setAttribute("x", left + col * cw);
    cell.setAttribute("y", top + row * ch);
    cell.setAttribute("visibility", "visible");
  }
  svg.querySelectorAll(".row-label").forEach((t) => {
    t.classList.toggle("selected", Number(t.dataset.row) === row);
  });
}

// The width to draw in: the root's, else its container's (the root sits in a shadow
// root, whose host is the container; a root taken off the page has neither).
function room(root) {
  const around = root.parentElement || (root.getRootNode && root.getRootNode().host);
  return root.clientWidth || (around && around.clientWidth) || 800;
}

// Draw the root's current data at the root's current width, with its marks.
function render(root) {
  const state = root.attnState;
  const svg = draw(state.grid, room(root), (row, col) => {
    state.selected = row;
    state.clicked = col === null ? null : [row, col];
    markSelected(root);
    pick(root, row);
  });
  root.replaceChildren(svg);
  root.dataset.width = String(room(root));
  markSelected(root);
  sayOverflow(root);
}

// A matrix wider than its column even at the smallest cells scrolls sideways; a thin
// scrollbar (none at all where the system hides them) does not say so: a line does.
function sayOverflow(root) {
  const more = root.attnMore;
  if (!more) return;
  const wider = root.scrollWidth - root.clientWidth > 1;
  more.hidden = !wider;
  more.textContent = wider
    ? `Wider than its column: scroll sideways (Shift + mouse wheel) to see all ` +
      `${root.attnState.grid.cols.length} source columns and the scale.`
    : "";
}

function markSelected(root) {
  const state = root.attnState;
  const svg = root.querySelector("svg");
  const clicked = state.clicked && state.clicked[0] === state.selected ? state.clicked[1] : null;
  if (svg) mark(svg, state.selected, clicked);
}

// A pick goes to the page with a number one above any sent or echoed before; the page
// echoes the number of the last pick it took (data.seq) with the row it then selected.
// Until the echo reaches the latest pick, the row marked here is the truth: a reply
// drawn for an older pick (quick key presses overtake the page's runs) would move the
// mark back, and the next press would start from there and be lost.
function pick(root, row) {
  root.attnSeq += 1;
  root.attnWaiting = root.attnSeq;
  root.attnState.setTriggerValue("row", { row, seq: root.attnSeq });
}

// Whether the page's reply holds every pick sent from here (its row is then the truth).
function caughtUp(root, seq) {
  root.attnSeq = Math.max(root.attnSeq, seq);
  return seq >= root.attnWaiting;
}

// Scroll the selected cell (else the selected row) into view by the least there is to
// scroll, sideways in the heatmap's own scroll box and up or down in the page's.
function reveal(root) {
  const svg = root.querySelector("svg");
  if (!svg) return;
  const cell = svg.querySelector(".sel-cell");
  const shown = cell.getAttribute("visibility") === "visible";
  if (shown) {
    const x = Number(cell.getAttribute("x")), w = Number(cell.getAttribute("width"));
    if (x < root.scrollLeft) root.scrollLeft = x;
    else if (x + w > root.scrollLeft + root.clientWidth) root.scrollLeft = x + w - root.clientWidth;
  }
  // up / down only: the row's outline spans the matrix, so it must not pull sideways
  const sideways = root.scrollLeft;
  (shown ? cell : svg.querySelector(".sel-row")).scrollIntoView({ block: "nearest",
    inline: "nearest" });
  root.scrollLeft = sideways;
}

// The keyboard: up / down (Home / End) choose the target word, as a click on its row
// does; left / right move the marked cell along the row.  The new row is sent to the
// page at once and marked here without waiting for it; a live region reads the cell.
const KEYS = ["ArrowUp", "ArrowDown", "Home", "End", "ArrowLeft", "ArrowRight"];

function onKey(root, e) {
  const state = root.attnState;
  if (!state || !KEYS.includes(e.key)) return;
  e.preventDefault();
  const nR = state.grid.rows.length, nC = state.grid.cols.length;
  let row = state.selected;
  let col = state.clicked && state.clicked[0] === row ? state.clicked[1] : null;
  if (e.key === "ArrowUp") row = Math.max(row - 1, 0);
  if (e.key === "ArrowDown") row = Math.min(row + 1, nR - 1);
  if (e.key === "Home") row = 0;
  if (e.key === "End") row = nR - 1;
  if (e.key === "ArrowLeft") col = col === null ? nC - 1 : Math.max(col - 1, 0);
  if (e.key === "ArrowRight") col = col === null ? 0 : Math.min(col + 1, nC - 1);
  const moved = row !== state.selected;
  state.selected = row;
  state.clicked = col === null ? null : [row, col];
  markSelected(root);
  reveal(root);
  if (moved) pick(root, row);
  root.attnLive.textContent =
    col === null ? `target: ${state.grid.rows[row]}` : tip(state.grid, row, col);
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".attn-map");
  if (!root) {
    root = document.createElement("div");
    root.className = "attn-map";
    root.tabIndex = 0;
    // "application": one focusable widget that takes the arrow keys itself (a screen
    // reader's browse keys would take them otherwise) and says what they picked in a
    // live region.  Not "grid": its cells are SVG shapes, neither focusable nor in
    // row / gridcell elements, and the keys move a selection, not a focus.
    root.setAttribute("role", "application");
    root.setAttribute("aria-roledescription", "attention heatmap");
    root.addEventListener("keydown", (e) => onKey(root, e));
    // focusing by keyboard (Tab) scrolls a tall heatmap to its middle: bring the
    // selection back once the browser has scrolled (not on a click: it picks a cell)
    root.addEventListener("focus", () => requestAnimationFrame(() => {
      if (root.matches(":focus-visible")) reveal(root);
    }));
    root.attnSeq = 0; // picks sent and echoed (see pick)
    root.attnWaiting = 0;
    parentElement.appendChild(root);
    const live = document.createElement("div");
    live.className = "attn-live";
    live.setAttribute("aria-live", "polite");
    parentElement.appendChild(live);
    root.attnLive = live; // the component's parent is a shadow root: no parentElement
    const more = document.createElement("div");
    more.className = "attn-more";
    more.hidden = true;
    parentElement.insertBefore(more, root); // above the matrix, seen before its rows
    root.attnMore = more;
    // a wider or narrower column (window resized, sidebar folded) redraws the cells
    new ResizeObserver(() => {
      if (!root.isConnected || !root.clientWidth) return; // off the page, or hidden
      if (root.attnState && Math.abs(room(root) - Number(root.dataset.width)) > 8) {
        render(root);
      }
    }).observe(root);
  }
  root.setAttribute("aria-label", `${data.label || "Attention heatmap"}: the up and down ` +
    "arrow keys choose a target word, left and right a source word");
  const fresh = !root.attnState || root.dataset.signature !== data.signature;
  const current = caughtUp(root, Number(data.seq) || 0);
  root.attnState = {
    ...(root.attnState || {}),
    grid: JSON.parse(data.grid),
    selected: current ? data.selected : root.attnState.selected,
    setTriggerValue,
    clicked: fresh ? null : root.attnState.clicked,
  };
  if (fresh || !root.querySelector("svg")) {
    // a new matrix: draw it; a click on the same matrix only moves the marks
    root.dataset.signature = data.signature;
    render(root);
  } else {
    markSelected(root);
  }
}
